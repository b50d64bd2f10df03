"""The ``scene-gym`` command line.

Each subcommand lives in its own module ``scene_gym/cli/cmd_<name>.py`` that defines
``register(subparsers)``; modules are discovered automatically, so adding a command never touches this file.
Errors of the package's own types print one line to stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from scene_gym.errors import SceneGymError


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every discovered subcommand."""
    from scene_gym import __version__

    parser = argparse.ArgumentParser(prog="scene-gym", description="3D indoor scene synthesis toolkit.")
    parser.add_argument("--version", action="version", version=f"scene-gym {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            importlib.import_module(f"{__name__}.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``scene-gym`` script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SceneGymError as err:
        print(f"scene-gym {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"scene-gym {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

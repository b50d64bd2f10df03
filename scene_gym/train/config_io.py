"""Trainer configs in and out: a config dataclass (one per algorithm, each field with ``metadata["help"]``) is
read from a TOML or JSON file, checked key by key, and written back resolved (every field, its value and its
help) next to each run's outputs."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path
from typing import Any

from scene_gym.errors import SceneGymError


class ConfigError(SceneGymError):
    """A trainer config is malformed; the message names the field and the value."""


def read_config_file(path: str | Path) -> dict[str, Any]:
    """The table of a ``.toml`` or ``.json`` config file (a TOML file may put its keys under ``[config]``)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"expected a config file, got {str(path)!r} (no such file)")
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
        else:
            raise ConfigError(f"expected a .toml or .json config file, got {str(path)!r}")
    except (tomllib.TOMLDecodeError, ValueError) as err:
        raise ConfigError(f"config {str(path)!r}: cannot parse it: {err}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config {str(path)!r}: expected a table of fields, got {type(data).__name__}")
    return dict(data.get("config", data))


def make_config(cls, source: str | Path | dict | None = None, **overrides: Any):
    """An instance of the config dataclass ``cls`` from a file path or a dict, with ``overrides`` on top.
    Unknown keys raise :class:`ConfigError` listing the known ones; lists become tuples where the default is one;
    the dataclass's own ``__post_init__`` checks values."""
    data = {} if source is None else (dict(source) if isinstance(source, dict) else read_config_file(source))
    data.update(overrides)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(f"config: unknown field(s) {unknown}; expected among {sorted(fields)}")
    for name, value in data.items():
        f = fields[name]
        default = f.default if f.default is not dataclasses.MISSING else None
        if isinstance(value, list) and (isinstance(default, tuple) or "tuple" in str(f.type)):
            data[name] = tuple(value)
    try:
        return cls(**data)
    except TypeError as err:
        raise ConfigError(f"config: {err}") from None


def resolved(config) -> dict[str, Any]:
    """``{"config": {field: value}, "help": {field: help}, "class": name}``, JSON-ready."""
    values = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
    values = json.loads(json.dumps(values, default=str))
    helps = {f.name: f.metadata.get("help", "") for f in dataclasses.fields(config)}
    return {"class": type(config).__name__, "config": values, "help": helps}


def write_resolved(config, path: str | Path) -> Path:
    """Write :func:`resolved` ``(config)`` as JSON to ``path`` (atomically)."""
    from scene_gym.scene.io import atomic_write

    return atomic_write(path, json.dumps(resolved(config), indent=1) + "\n")


def check(condition: bool, name: str, expected: str, value: Any) -> None:
    """Raise :class:`ConfigError` ``"<name>: expected <expected>, got <value>"`` unless ``condition``."""
    if not condition:
        raise ConfigError(f"{name}: expected {expected}, got {value!r}")

"""``scene-gym site --db lb.sqlite --out site/ [--artifacts DIR] [--submissions DIR ...] [--viewer FILE]``:
build the static leaderboard site (:mod:`scene_gym.site.build`): ranked index, entry pages, scene pages with
renders, trajectories and a 3D viewer. It opens from disk (``site/index.html``) or from any static host. The
3D viewer is the ``@google/model-viewer`` bundle from ``node_modules`` (``npm ci`` in the repository); without
it the site is built with a note where the viewer would be, and this command says how to get it."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser(
        "site", help="build the static leaderboard website (index, entries, scenes, 3D viewer)"
    )
    p.add_argument("--db", default="leaderboard.db", help="leaderboard database (default leaderboard.db)")
    p.add_argument("--out", default="site", help="output folder (default site/)")
    p.add_argument(
        "--artifacts",
        default=None,
        help="the run's artifact folder (default: <db stem>_artifacts next to the db); nothing outside it is read",
    )
    p.add_argument(
        "--submissions",
        nargs="*",
        default=[],
        help="submission folders (or folders of them) to show beside the database's entries",
    )
    p.add_argument("--no-db", action="store_true", help="show only --submissions")
    p.add_argument("--viewer", default=None, help="path of model-viewer-umd.min.js (default: node_modules)")
    p.add_argument(
        "--workers", type=int, default=None, help="processes exporting GLBs (default: usable CPUs)"
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from scene_gym.site import db_source
    from scene_gym.site.build import VIEWER_HINT, build_site
    from scene_gym.site.submission import submission_sources

    sources = [] if args.no_db else [db_source(args.db, args.artifacts)]
    sources += submission_sources(args.submissions)
    report = build_site(sources, args.out, viewer=args.viewer, workers=args.workers)
    if not report.viewer:
        print(f"scene-gym site: warning: {VIEWER_HINT}", file=sys.stderr)
    for h, err in sorted(report.model_errors.items())[:10]:
        print(f"scene-gym site: warning: no 3D model for scene {h}: {err}", file=sys.stderr)
    print(
        f"wrote {report.out / 'index.html'}: {report.pages} pages, {report.models} distinct scenes, "
        f"{report.bytes / 2**20:.1f} MiB in {report.seconds:.1f} s"
    )
    return 0

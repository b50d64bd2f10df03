"""``scene-gym leaderboard [--db PATH] [--suite S] [--format table|md|csv|html] [--out DIR] [--artifacts DIR]``:
rank the entries of a leaderboard database by mean Q +- standard error; ``html`` writes a static report folder
(sortable table, per-room-type bar charts, thumbnails copied only from the run's artifact folder); ``--rooms``
adds each entry's per-room-type table; ``--protocol`` shows the published protocols' columns (CF, IB, Rel, Pos,
Rot, PSA: :data:`scene_gym.benchmarks.views.PROTOCOL_COLUMNS`) instead of the default ones in ``table`` and
``md`` (``csv`` and ``html`` always carry both)."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("leaderboard", help="rank benchmark entries (table, md, csv, or an HTML report)")
    p.add_argument("--db", default="leaderboard.db", help="leaderboard database (default leaderboard.db)")
    p.add_argument("--suite", default=None, help="only this suite")
    p.add_argument("--format", default="table", choices=["table", "md", "csv", "html"], help="output format")
    p.add_argument("--out", default=None,
                   help="html: the report folder (default leaderboard_report); others: write DIR/leaderboard.<ext>")
    p.add_argument("--artifacts", default=None,
                   help="html: the benchmark's artifact folder thumbnails may be copied from (default: <db stem>_artifacts "
                        "next to the db; pass the folder given to `scene-gym benchmark --out`)")
    p.add_argument("--metric", default="q", help="ranking metric (default q)")
    p.add_argument("--rooms", action="store_true", help="also print each entry's per-room-type table")
    p.add_argument("--protocol", action="store_true",
                   help="table/md: show the published protocols' metrics (CF, IB, Rel, Pos, Rot, PSA) instead of the "
                        "default columns")
    p.set_defaults(func=run)


def run(args) -> int:
    from scene_gym.benchmarks.errors import StoreError
    from scene_gym.benchmarks.store import Store
    from scene_gym.benchmarks.views import (
        PROTOCOL_COLUMNS,
        format_rooms,
        format_standings,
        room_table,
        standings,
    )
    from scene_gym.scene.io import atomic_write

    if not Path(args.db).is_file():
        raise StoreError(f"no leaderboard database at {args.db!r}; run `scene-gym benchmark` first or pass --db")
    with Store(args.db) as store:
        if args.suite is not None and args.suite not in store.suites():
            raise StoreError(f"no results for suite {args.suite!r} in {args.db!r}; recorded: {store.suites()}")
        if args.format == "html":
            from scene_gym.benchmarks.report import write_report

            path = write_report(store, args.out or "leaderboard_report", args.suite, args.metric,
                                artifacts=args.artifacts)
            print(f"wrote {path}")
            return 0
        results = store.results(args.suite)
        lines = standings(results, store.entries(), args.suite, args.metric)
        text = format_standings(lines, args.format, PROTOCOL_COLUMNS if getattr(args, "protocol", False) else None)
        if args.rooms and args.format != "csv":
            for st in lines:
                text += f"\n{st.entry.get('name')} on {st.suite}\n"
                text += format_rooms(room_table(results, st.entry["id"], st.suite), args.format)
    if args.out:
        ext = {"table": "txt", "md": "md", "csv": "csv"}[args.format]
        print(f"wrote {atomic_write(Path(args.out) / f'leaderboard.{ext}', text)}")
    else:
        print(text, end="")
    return 0

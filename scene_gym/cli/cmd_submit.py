"""``scene-gym submit FOLDER``: check a leaderboard submission folder (metadata, rows, artifacts and their
hashes, a reproduce command that parses; :mod:`scene_gym.site.submission`) and say what is wrong, or pack one
first from a database entry with ``--from-db DB --entry ID --name NAME --model MODEL [--link URL ...]``."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("submit", help="check (or pack, then check) a leaderboard submission folder")
    p.add_argument("folder", help="the submission folder")
    p.add_argument("--from-db", default=None, help="pack the folder from this leaderboard database first")
    p.add_argument("--entry", type=int, default=None, help="with --from-db: the entry id to pack")
    p.add_argument(
        "--artifacts",
        default=None,
        help="with --from-db: the run's artifact folder (default <db stem>_artifacts)",
    )
    p.add_argument("--name", default=None, help="with --from-db: the submission's display name")
    p.add_argument("--model", default=None, help="with --from-db: the model behind the policy")
    p.add_argument(
        "--link", action="append", default=[], help="with --from-db: a http(s) link (paper, code); repeatable"
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from scene_gym.site.submission import SubmissionError, check_submission
    from scene_gym.site.verify import pack_submission

    if args.from_db:
        if args.entry is None or not args.name or not args.model:
            raise SubmissionError("packing with --from-db needs --entry, --name and --model")
        pack_submission(
            args.from_db,
            args.entry,
            args.folder,
            name=args.name,
            model=args.model,
            links=args.link,
            artifacts=args.artifacts,
        )
        print(f"packed entry {args.entry} of {args.from_db} into {args.folder}")
    sub = check_submission(args.folder)
    ok = sum(r["status"] == "ok" for r in sub.rows)
    print(
        f"submission {sub.metadata['name']!r} ok: {len(sub.rows)} rows ({ok} ok), artifacts and hashes match, "
        f"reproduce: {sub.metadata['reproduce']}; verified: false until `scene-gym verify {args.folder}`"
    )
    return 0

"""``scene-gym verify FOLDER [--sample 3] [--allow-api]``: rescore and rerun a sample of a submission's scenes
and write ``verification.json`` (:mod:`scene_gym.site.verify`): verified only when every sampled scene was
rerun and matched within the stated tolerances. Local policies (heuristic, random, scripted) rerun anywhere;
``vlm:PATH`` needs the same checkpoint here, ``api:MODEL`` the same endpoint (and ``--allow-api``); without
them only the rescoring of the submitted scenes is done and the submission stays unverified. Exit status 1 when
not verified."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser(
        "verify", help="rerun a sample of a submission's scenes and mark it verified if they match"
    )
    p.add_argument("folder", help="the submission folder")
    p.add_argument("--sample", type=int, default=3, help="scenes to rescore and rerun (default 3)")
    p.add_argument(
        "--allow-api",
        action="store_true",
        help="rerun api: policies / openai judges against OPENAI_BASE_URL (costs calls)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from scene_gym.site.verify import verify_submission

    report = verify_submission(args.folder, args.sample, allow_api=args.allow_api)
    for line in report.lines:
        print(line)
    return 0 if report.verified else 1

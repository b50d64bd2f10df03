"""``scene-gym robot SCENE.json --open all [--close ...] [--json] [--video out.mp4]``: robot-interaction tests.

Runs the scripted skill of :mod:`scene_gym.sim.skills` with the floating gripper on every articulated object
(or the ids given) and prints one line per part; ``--json`` prints a list of dicts with at least ``object``,
``joint``, ``opened_fraction`` and ``success``. Exit status 0 when every part succeeded, 1 otherwise.
"""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("robot", help="open (or close) every articulated part of a scene with a simulated gripper")
    p.add_argument("scene", help="scene JSON file")
    p.add_argument("--open", dest="targets", metavar="IDS", default="all",
                   help="'all' (default) or comma-separated object ids to open")  # fmt: skip
    p.add_argument("--close", action="store_true", help="close the parts (each starting fully open) instead")
    p.add_argument("--json", action="store_true", help="print a JSON list of results")
    p.add_argument("--video", metavar="PATH", help="write a video (.mp4 needs imageio-ffmpeg; .gif works without)")
    p.add_argument("--robot", metavar="MJCF", help="also attach this robot MJCF (it stays passive)")
    p.set_defaults(func=run)


def run(args) -> int:
    from scene_gym.assets.validation import check_scene
    from scene_gym.scene import Scene
    from scene_gym.sim import SimWorld, operate_all

    scene = check_scene(Scene.load(args.scene))  # catalog check before any building
    objects = None if args.targets.strip() == "all" else [s.strip() for s in args.targets.split(",") if s.strip()]
    world = SimWorld(scene, robot_mjcf=args.robot)
    action = "close" if args.close else "open"
    if args.close:
        _open_all_joints(world)
    recorder = None
    on_frame = None
    if args.video:
        from scene_gym.errors import MissingDependencyError
        from scene_gym.sim.video import VIDEO_EXTRA, VideoRecorder, mp4_available

        if args.video.lower().endswith(".mp4") and not mp4_available():
            raise MissingDependencyError("imageio_ffmpeg", VIDEO_EXTRA, "writing .mp4 videos (write a .gif instead)")
        recorder = VideoRecorder(world.model, 480, 360, fps=25)
        state = {"part": None}

        def on_frame(w):
            part = w.current_part
            if part is not state["part"]:
                recorder.frame_part(w, part)
                state["part"] = part
            recorder.capture(w.data)

    results = operate_all(world, action, objects=objects, on_frame=on_frame, progress=not args.json)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2))
    else:
        for r in results:
            mark = "ok  " if r.success else "FAIL"
            why = f"  ({r.reason})" if r.reason else ""
            print(f"{mark} {r.object:24s} {r.joint:28s} {r.kind:9s} opened {r.opened_fraction:6.1%}{why}")
        n = sum(r.success for r in results)
        print(f"{n}/{len(results)} parts {'opened' if action == 'open' else 'closed'}", file=sys.stderr)
    if recorder is not None:
        path = recorder.save(args.video)
        recorder.close()
        if not args.json:
            print(f"video: {path}", file=sys.stderr)
    return 0 if all(r.success for r in results) else 1


def _open_all_joints(world) -> None:
    """Start every part fully open (for ``--close``), then settle and save that state."""
    for p in world.parts:
        world.data.qpos[p.qpos] = p.joint.limits[1]
    world.settle()

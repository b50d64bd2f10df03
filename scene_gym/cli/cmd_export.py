"""``scene-gym export SCENE.json --to mjcf|urdf|sdf|glb|obj|blender --out DIR``."""

from __future__ import annotations


def register(sub) -> None:
    from scene_gym.export import FORMATS

    p = sub.add_parser("export", help="export a scene file to simulator and renderer formats")
    p.add_argument("scene", help="scene JSON file")
    p.add_argument("--to", required=True, action="append", metavar="FORMAT",
                   help=f"one of {', '.join(FORMATS)} (repeat for several)")  # fmt: skip
    p.add_argument("--out", required=True, help="output folder")
    p.set_defaults(func=run)


def run(args) -> int:
    from scene_gym.assets.validation import check_scene
    from scene_gym.export import export_scene
    from scene_gym.scene import Scene

    scene = check_scene(Scene.load(args.scene))  # catalog check before any building
    for fmt in args.to:
        for path in export_scene(scene, fmt, args.out):
            print(path)
    return 0

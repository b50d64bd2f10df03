"""``scene-gym eval SCENE.json``: print a scene's metrics as one JSON object.

The object is the union of the dicts returned by the functions in :data:`PROVIDERS`, each ``(scene) -> dict``,
in order. The physical and spatial metrics (:func:`scene_gym.metrics.evaluate`) come first; other key
providers (judges, rewards) are added with :func:`add_provider`.

Then the published protocols' metrics (:mod:`scene_gym.rewards.protocol_metrics`), from the keys above (no second
physics evaluation) and the task spec of the scene's own prompt: ``collision_free_pct`` and ``in_boundary_pct``
(CF, IB), ``pos_coherence`` and ``rot_coherence`` (null when there is nothing to score), and, with ``--judge``,
``psa`` (the judge's ``q_vis`` weighted by the share of physically valid objects).
"""

from __future__ import annotations

import json
from collections.abc import Callable

KeyProvider = Callable[[object], dict]


def metrics_keys(scene) -> dict:
    """n_obj, n_oob, n_collisions, collisions, unsupported, nav, acc, opc, q_phy and the rest of
    :class:`scene_gym.metrics.Metrics`."""
    from scene_gym.metrics import evaluate

    return evaluate(scene).to_dict()


#: Functions ``(scene) -> dict`` whose results ``scene-gym eval`` merges, in order (later keys win).
PROVIDERS: list[KeyProvider] = [metrics_keys]


def add_provider(provider: KeyProvider) -> KeyProvider:
    """Append a key provider (usable as a decorator); adding the same function twice has no effect."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def register(sub) -> None:
    p = sub.add_parser("eval", help="print a scene's metrics (collisions, bounds, support, NAV, ACC, OPC, Q_phy) as JSON")
    p.add_argument("scene", metavar="SCENE.json", help="scene file (schema scene-gym/scene@2)")
    p.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    p.add_argument("--judge", default=None, metavar="offline|openai:MODEL|vlm:PATH",
                   help="add the judge's realism, functionality, layout, completeness, q_vis and q")
    p.add_argument("--clip", default=None, metavar="MODEL:PRETRAINED",
                   help="add 'clip', the prompt-render CLIP similarity (PRETRAINED: a tag or a checkpoint path)")
    p.set_defaults(func=run)


def evaluate_keys(scene) -> dict:
    """Merge every provider's keys for ``scene``."""
    out: dict = {}
    for provider in PROVIDERS:
        out.update(provider(scene))
    return out


def protocol_keys(scene, keys: dict) -> dict:
    """CF, IB, positional and rotational coherence of ``scene`` against its own prompt's task spec, and ``psa``
    when ``keys`` holds a judge's ``q_vis`` (0-10); ``keys`` must hold :func:`metrics_keys`'s ``n_obj``,
    ``collisions``, ``oob``, ``unsupported``, ``collision_free_pct`` and ``in_boundary_pct``."""
    from scene_gym.rewards.protocol_metrics import protocol_metrics
    from scene_gym.spec import parse_prompt

    out = protocol_metrics(scene, parse_prompt(scene.prompt), keys, q_vis=keys.get("q_vis"))
    if out["psa"] is None:
        del out["psa"]  # no judge, no PSA
    return out


def run(args) -> int:
    from scene_gym.assets.validation import check_scene
    from scene_gym.scene import Scene

    scene = check_scene(Scene.load(args.scene))  # catalog check before any building
    keys = evaluate_keys(scene)
    if getattr(args, "judge", None) or getattr(args, "clip", None):
        from scene_gym.rewards.eval_keys import reward_keys

        keys.update(reward_keys(scene, judge=args.judge, clip=args.clip))
    keys.update(protocol_keys(scene, keys))
    print(json.dumps(keys, indent=args.indent, allow_nan=False))
    return 0

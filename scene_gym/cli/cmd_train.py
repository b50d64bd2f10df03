"""``scene-gym train ALGORITHM --config FILE``: run (or resume) a trainer of :mod:`scene_gym.train`.

``scene-gym train self-improve --config configs/self_improve_tiny.toml [--set key=value ...]`` runs
:func:`scene_gym.train.self_improve.train_self_improve`; ``scene-gym train orchestra --config
configs/orchestra_tiny.toml`` runs :func:`scene_gym.train.orchestra.train_orchestra` (SceneOrchestra: four
stages, discriminator, interleaved round). A rerun with the same ``run_dir`` resumes. ``--set``
overrides one config field (its value read as TOML: ``--set rounds=3 --set run_dir='"runs/x"'``; bare words are
taken as text). The results table is printed at the end.
"""

from __future__ import annotations

import tomllib

from scene_gym.errors import SceneGymError


def _override(text: str) -> tuple[str, object]:
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise SceneGymError(f"--set: expected key=value, got {text!r}")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key.strip(), value


def register(sub) -> None:
    p = sub.add_parser("train", help="run a trainer (self-improve, orchestra) from a config file; rerun to resume")
    p.add_argument("algorithm", choices=["self-improve", "orchestra"], help="which trainer")
    p.add_argument("--config", required=True, metavar="FILE", help="config file (.toml or .json)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a config field")
    p.set_defaults(func=run)


def run(args) -> int:
    from scene_gym.train.config_io import make_config

    overrides = dict(_override(t) for t in args.set)
    if args.algorithm == "orchestra":
        from scene_gym.train.orchestra import train_orchestra
        from scene_gym.train.orchestra_config import OrchestraConfig

        out = train_orchestra(make_config(OrchestraConfig, args.config, **overrides))
    else:
        from scene_gym.train.self_improve import train_self_improve
        from scene_gym.train.self_improve_config import SelfImproveConfig

        out = train_self_improve(make_config(SelfImproveConfig, args.config, **overrides))
    print(f"{'policy':<12} {'mean':>7} {'95% CI':>17} {'valid':>6}")
    for row in out["results"]:
        print(f"{row['policy']:<12} {row['mean']:>7.3f} [{row['ci_low']:>6.3f}, {row['ci_high']:>6.3f}] "
              f"{row['valid_share']:>6.2f}")  # fmt: skip
    for c in out["comparisons"]:
        print(f"{c['a']} - {c['b']}: {c['diff']:+.3f} [{c['low']:+.3f}, {c['high']:+.3f}]"
              f"{' (CI excludes 0)' if c['significant'] else ''}")  # fmt: skip
    disc = out.get("discriminator") or {}
    if disc.get("accuracy") is not None:
        print(f"discriminator top-1 {disc['accuracy']:.3f} [Wilson 95% {disc['ci_low']:.3f}, {disc['ci_high']:.3f}] on "
              f"{disc['sets']} held-out sets ({disc['ties']} ties dropped); chance {disc['chance']:.2f}, most objects "
              f"{disc['most_objects_accuracy']:.3f}")  # fmt: skip
    print(f"final checkpoint: {out['final']} (load it as vlm:{out['final']}); {out['wall_s']:.0f} s")
    return 0

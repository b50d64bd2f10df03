"""Reward names and string specs: ``make_reward("0.5*clip+0.5*quality") -> Reward``.

Grammar (whitespace between tokens is ignored; no ``eval``, a small tokenizer and a recursive-descent
parser)::

    spec   := term (("+" | "-") term)*
    term   := factor ("*" factor)*          one factor is a reward, the others are numbers
    factor := NUMBER | "-" factor | reward
    reward := NAME (":" ARG)?               ARG runs to the next whitespace, "+", "*", "(" or ")"

``ARG`` may hold colons and hyphens (``clip:ViT-B-32:laion2b_s34b_b79k``, ``judge:openai:gpt-4o-mini``), so
write a minus after an argument with spaces around it: ``"clip:ViT-B-32 - 0.1*physical"``.

Built-in names (:data:`REWARDS`; add more with :func:`register_reward`):

============  ========================================================================================
name          reward
============  ========================================================================================
``quality``   :class:`~scene_gym.rewards.judge.QualityReward` (normalised Q), ``quality:JUDGE``
``judge``     :class:`~scene_gym.rewards.judge.JudgeReward` (Q_vis / 10); ``judge:offline`` (default),
              ``judge:openai`` (model from ``SCENE_GYM_JUDGE_MODEL``, default ``gpt-4o-mini``),
              ``judge:openai:MODEL`` (an OpenAI-compatible endpoint, :mod:`~scene_gym.rewards.vlm_judge`),
              ``judge:vlm:PATH`` (a local image-text-to-text checkpoint directory,
              :mod:`~scene_gym.rewards.local_judge`)
``clip``      :class:`~scene_gym.rewards.clip.ClipReward`; ``clip:MODEL:PRETRAINED`` (default
              ``ViT-B-32:laion2b_s34b_b79k``; PRETRAINED may be a local checkpoint path)
``q``         :class:`~scene_gym.rewards.judge.SceneOrchestraQReward` (SceneOrchestra's Q, unnormalised), ``q:JUDGE``
``physical``  :class:`~scene_gym.rewards.judge.PhysicalReward` (shares of valid objects, in [0, 1])
``q_phy``     :class:`~scene_gym.rewards.judge.PhysicalScoreReward` (``n_obj - 4 (n_oob + n_collisions)``)
``asset``     :class:`~scene_gym.rewards.asset_fit.AssetReward` (asset level: fit, arrangement, free area,
              stability and richness of the items on a receptacle, in [0, 1])
============  ========================================================================================

``JUDGE`` is ``offline``, ``openai[:MODEL]`` or ``vlm:PATH`` wherever a judge is taken (``quality:``, ``judge:``,
``q:``; :func:`make_judge`, which ``scene-gym eval --judge`` and the benchmarks' ``--judge`` use too).

**Empty-room baselines** (:mod:`~scene_gym.rewards.baseline`). ``clip`` and every reward on a model judge
(``openai``, ``vlm``) also score the task's empty room (same room, doors, windows and lights, no objects; once per
(prompt, room)) and report it as the term ``baseline``; the value is unchanged. A last argument ``:relative``
reports ``value - baseline`` instead (the value before subtracting is the term ``absolute``), so an empty room
scores 0:

================================================  ==============================================================
spec                                              value
================================================  ==============================================================
``clip:relative``                                 default CLIP model, minus its empty-room score
``clip:ViT-B-32:laion2b_s34b_b79k:relative``      that model, minus its empty-room score
``judge:openai:gpt-4o-mini:relative``             Q_vis / 10 minus the empty room's Q_vis / 10
``quality:vlm:/models/qwen2.5-vl:relative``       normalised Q minus the empty room's
``judge:offline:relative``                        the offline judge too, when asked (it reports no baseline otherwise)
================================================  ==============================================================

A model name or path that itself ends in ``:relative`` cannot be written in a spec; build the reward in Python.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from scene_gym.rewards.base import Reward, RewardError, WeightedSum

RewardFactory = Callable[[str | None], Reward]
MAX_SPEC_CHARS = 2000
DEFAULT_JUDGE_MODEL = "gpt-4o-mini"


def make_judge(arg: str | None = None):
    """A judge from a spec argument: ``None``/``"offline"``, ``"openai[:MODEL]"`` (an OpenAI-compatible endpoint)
    or ``"vlm:PATH"`` (a local image-text-to-text checkpoint directory)."""
    from scene_gym.rewards.judge import OfflineJudge

    if arg in (None, "", "offline"):
        return OfflineJudge()
    kind, _, model = arg.partition(":")
    if kind == "openai":
        from scene_gym.rewards.vlm_judge import VLMJudge

        return VLMJudge(model=model or os.environ.get("SCENE_GYM_JUDGE_MODEL", DEFAULT_JUDGE_MODEL))
    if kind == "vlm":
        if not model:
            raise RewardError(f"judge: expected 'vlm:PATH' with a checkpoint directory, got {arg!r}")
        from scene_gym.rewards.local_judge import LocalVLMJudge

        return LocalVLMJudge(model)
    raise RewardError(f"judge: expected 'offline', 'openai[:MODEL]' or 'vlm:PATH', got {arg!r}")


def _with_baseline(reward, judge_or_none, relative: bool):
    """``reward`` wrapped in :class:`~scene_gym.rewards.baseline.EmptyRoomBaseline` for CLIP and model judges
    (always) and for any reward asked ``:relative``; else ``reward`` itself."""
    from scene_gym.rewards.baseline import EmptyRoomBaseline
    from scene_gym.rewards.vlm_judge import ModelJudge

    if relative or judge_or_none is None or isinstance(judge_or_none, ModelJudge):
        return EmptyRoomBaseline(reward, subtract=relative)
    return reward


def _judge_arg(arg):
    from scene_gym.rewards.baseline import split_relative

    arg, relative = split_relative(arg)
    return arg, make_judge(arg), relative


def _quality(arg):
    from scene_gym.rewards.judge import QualityReward

    arg, judge, relative = _judge_arg(arg)
    return _with_baseline(QualityReward(judge), judge, relative)


def _judge(arg):
    from scene_gym.rewards.judge import JudgeReward

    arg, judge, relative = _judge_arg(arg)
    reward = JudgeReward(judge, name="judge" if arg in (None, "", "offline") else f"judge:{judge.name}")
    return _with_baseline(reward, judge, relative)


def _clip(arg):
    from scene_gym.rewards.baseline import split_relative
    from scene_gym.rewards.clip import ClipReward

    arg, relative = split_relative(arg)
    return _with_baseline(ClipReward.from_spec(arg), None, relative)


def _q(arg):
    from scene_gym.rewards.judge import SceneOrchestraQReward

    arg, judge, relative = _judge_arg(arg)
    reward = SceneOrchestraQReward(judge, name="q" if arg in (None, "", "offline") else f"q:{arg}")
    return _with_baseline(reward, judge, relative)


def _no_arg(name: str, arg) -> None:
    if arg:
        raise RewardError(f"{name}: expected no argument, got {arg!r}")


def _q_phy(arg):
    from scene_gym.rewards.judge import PhysicalScoreReward

    _no_arg("q_phy", arg)
    return PhysicalScoreReward()


def _physical(arg):
    from scene_gym.rewards.judge import PhysicalReward

    _no_arg("physical", arg)
    return PhysicalReward()


def _asset(arg):
    from scene_gym.rewards.asset_fit import AssetReward

    _no_arg("asset", arg)
    return AssetReward()


REWARDS: dict[str, RewardFactory] = {"quality": _quality, "q": _q, "judge": _judge, "clip": _clip,
                                     "physical": _physical, "q_phy": _q_phy, "asset": _asset}
"""Reward name -> factory taking the ``:ARG`` text (or None)."""


def register_reward(name: str, factory: RewardFactory, *, replace: bool = False) -> None:
    """Make ``name`` usable in reward specs; ``factory(arg)`` builds the reward."""
    if not isinstance(name, str) or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise RewardError(f"reward name: expected lowercase letters, digits and '_', got {name!r}")
    if name in REWARDS and not replace:
        raise RewardError(f"reward name {name!r} is already registered; pass replace=True to override")
    REWARDS[name] = factory


@dataclass(frozen=True)
class Token:
    """One token of a reward spec: ``kind`` in {"num", "name", "op", "end"}, its text and position."""

    kind: str
    text: str
    pos: int


_NUM = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ARG = re.compile(r"[^\s+*()]+")


def tokenize(spec: str) -> list[Token]:
    """Split a reward spec into tokens; raises :class:`RewardError` at an unexpected character."""
    out: list[Token] = []
    i = 0
    while i < len(spec):
        ch = spec[i]
        if ch.isspace():
            i += 1
        elif ch in "+-*()":
            out.append(Token("op", ch, i))
            i += 1
        elif m := _NUM.match(spec, i):
            out.append(Token("num", m.group(), i))
            i = m.end()
        elif m := _NAME.match(spec, i):
            end = m.end()
            text = m.group()
            if end < len(spec) and spec[end] == ":":
                arg = _ARG.match(spec, end + 1)
                if not arg:
                    raise RewardError(f"reward spec {spec!r}: expected an argument after ':' at position {end}")
                text, end = spec[i : arg.end()], arg.end()
            out.append(Token("name", text, i))
            i = end
        else:
            raise RewardError(f"reward spec {spec!r}: unexpected character {ch!r} at position {i}")
    out.append(Token("end", "", len(spec)))
    return out


class _Parser:
    def __init__(self, spec: str):
        self.spec, self.tokens, self.i = spec, tokenize(spec), 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def fail(self, expected: str, tok: Token) -> RewardError:
        got = "end of text" if tok.kind == "end" else repr(tok.text)
        return RewardError(f"reward spec {self.spec!r}: expected {expected} at position {tok.pos}, got {got}")

    def parse(self) -> list[tuple[float, str]]:
        parts = self.term()
        while self.peek().kind == "op" and self.peek().text in "+-":
            sign = -1.0 if self.take().text == "-" else 1.0
            parts += [(sign * w, r) for w, r in self.term()]
        if self.peek().kind != "end":
            raise self.fail("'+', '-', '*' or the end", self.peek())
        return parts

    def term(self) -> list[tuple[float, str]]:
        weight, parts = self.factor()
        while self.peek().kind == "op" and self.peek().text == "*":
            self.take()
            w2, p2 = self.factor()
            if parts and p2:
                raise self.fail("a number (one reward per product)", self.tokens[self.i - 1])
            weight *= w2
            parts = parts or p2
        if not parts:
            raise self.fail("a reward name in the product", self.peek())
        out = [(weight * w, r) for w, r in parts]
        if not all(math.isfinite(w) for w, _ in out):
            raise RewardError(f"reward spec {self.spec!r}: expected finite weights, got {[w for w, _ in out]}")
        return out

    def factor(self) -> tuple[float, list[tuple[float, str]]]:
        tok = self.take()
        if tok.kind == "op" and tok.text == "-":
            w, parts = self.factor()
            return -w, parts
        if tok.kind == "op" and tok.text == "(":
            parts = self.term()
            while self.peek().kind == "op" and self.peek().text in "+-":
                sign = -1.0 if self.take().text == "-" else 1.0
                parts += [(sign * w, r) for w, r in self.term()]
            close = self.take()
            if close.kind != "op" or close.text != ")":
                raise self.fail("')'", close)
            return 1.0, parts
        if tok.kind == "num":
            return float(tok.text), []
        if tok.kind == "name":
            return 1.0, [(1.0, tok.text)]
        raise self.fail("a reward name or a number", tok)


def parse_spec(spec: str) -> list[tuple[float, str]]:
    """The (weight, ``NAME[:ARG]``) terms of a reward spec, without building anything; repeated atoms are
    kept apart. Raises :class:`RewardError` naming the position of a syntax error."""
    if not isinstance(spec, str):
        raise RewardError(f"reward spec: expected a string, got {type(spec).__name__}")
    if not spec.strip():
        raise RewardError("reward spec: expected a reward name such as 'quality', got an empty string")
    if len(spec) > MAX_SPEC_CHARS:
        raise RewardError(f"reward spec: expected at most {MAX_SPEC_CHARS} characters, got {len(spec)}")
    return _Parser(spec).parse()


def build(atom: str) -> Reward:
    """One reward from ``NAME`` or ``NAME:ARG``; unknown names raise :class:`RewardError` with suggestions."""
    name, _, arg = atom.partition(":")
    factory = REWARDS.get(name)
    if factory is None:
        close = difflib.get_close_matches(name, list(REWARDS), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise RewardError(f"unknown reward {name!r}; known: {', '.join(sorted(REWARDS))}{hint}")
    return factory(arg or None)


def make_reward(spec: str | Reward) -> Reward:
    """A :class:`Reward` from a reward object (returned as is) or a string spec (module docstring).

    A single reward with weight 1 is returned unwrapped; anything else is a :class:`WeightedSum`.
    """
    if isinstance(spec, Reward):
        return spec
    if not isinstance(spec, str):
        raise RewardError(f"reward: expected a Reward or a string spec like '0.5*clip+0.5*quality', got "
                          f"{type(spec).__name__}")  # fmt: skip
    terms = parse_spec(spec)
    for _, atom in terms:  # unknown names fail before anything is built
        name = atom.partition(":")[0]
        if name not in REWARDS:
            build(atom)
    built: dict[str, Reward] = {}
    parts = []
    for w, atom in terms:
        if atom not in built:
            built[atom] = build(atom)
        parts.append((w, built[atom]))
    if len(parts) == 1 and parts[0][0] == 1.0:
        return parts[0][1]
    return WeightedSum(parts)

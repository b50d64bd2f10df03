"""Chat prompts for language-model policies: the system prompt of each action format, the observation as a user
turn, in-context examples, the retry turn that feeds a parse error back, and converters to the formats of
OpenAI-compatible APIs and of ``transformers`` chat templates.

Prompts are keyed by action format (``dsl``, ``point``, ``trajectory``, ``toolcall``; see
:data:`scene_gym.envs.kinds.ACTION_FORMATS`); every function taking ``kind`` accepts an
:class:`~scene_gym.envs.kinds.EnvKind`, a registered kind's name or a format
(:func:`~scene_gym.agents.base.action_format`), so a kind registered later is prompted like the kinds that share
its format.

Messages are kept in one neutral form, a list of ``{"role": "system"|"user"|"assistant", "content": str | list}``
where a list holds parts ``{"type": "text", "text": str}`` and ``{"type": "image", "image": (H, W, 3) uint8}``:

- :func:`to_openai`: images become ``image_url`` parts with PNG data URLs;
- :func:`to_hf`: images become ``{"type": "image"}`` placeholders plus a list of PIL images for the processor;
- :func:`to_text_only`: every content a plain string, images dropped (for causal LMs without a vision tower).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scene_gym.agents.base import action_format
from scene_gym.errors import ParseError, SceneGymError

_FRAME = ("Room frame: metres, origin at the south-west floor corner, x east, y north, z up; yaw in degrees, "
          "counter-clockwise, 0 = the object's front faces north.")  # fmt: skip


def dsl_reference() -> str:
    """One line per scene-DSL command: its signature (required arguments first) and what it does."""
    from scene_gym.actions.dsl import COMMANDS

    lines = []
    for c in COMMANDS.values():
        args = [p.name if p.required else f"{p.name}=" for p in c.params]
        lines.append(f"- {c.name}({', '.join(args)}): {c.doc}")
    if "define" in COMMANDS:
        from scene_gym.assets.programs.card import PROGRAM_CARD

        lines.append(f"  define's program: {PROGRAM_CARD}")
    return "\n".join(lines)


SYSTEM = {
    "dsl": ("You are an interior designer furnishing a 3D room by writing short programs in a scene DSL. "
              "Each turn, write one or more statements, one per line, inside a ```python code block and nothing "
              "else. Arguments are literals only (strings, numbers, tuples; define's program is a dict). " + _FRAME +
              "\nCommands:\n{dsl}\nCall done() when the room is complete."),
    "trajectory": ("You are an interior designer who builds a 3D room by calling tools. Write the COMPLETE plan "
                   "at once: a JSON list of tool calls [{{\"tool\": name, \"args\": {{...}}}}, ...] inside a "
                   "```json code block. It is validated as a whole and then run in order; an unknown tool or a bad "
                   "argument makes the whole plan invalid. End with terminate. " + _FRAME),
    "toolcall": ("You are an interior designer who builds a 3D room by calling one tool per turn and reading the "
                 "review of the result. Answer with exactly ONE tool call as JSON {{\"tool\": name, \"args\": "
                 "{{...}}}} inside a ```json code block. Call terminate when the room is complete. " + _FRAME),
    "point": ("You decorate a piece of furniture with small objects. You see a close-up image of it. Choose where "
              "to put ONE small object and describe it, answering with a single point tag: "
              "<point x=\"61.5\" y=\"40.2\" alt=\"a stack of books\">a stack of books</point> where x and y are "
              "percentages (0-100) of the image width and height from its top-left corner. The point must be on a "
              "free, flat top surface. Answer done when the furniture is decorated enough."),
}  # fmt: skip
"""System prompt templates per action format (``{dsl}`` is filled with :func:`dsl_reference`)."""

ANSWER_FORMAT = {
    "dsl": "Answer with DSL statements in a ```python code block.",
    "trajectory": "Answer with the JSON list of tool calls in a ```json code block.",
    "toolcall": "Answer with exactly one tool call as a JSON object in a ```json code block.",
    "point": "Answer with one <point x=\"..\" y=\"..\" alt=\"..\">description</point> tag, or done.",
}
"""The one-line reminder of the expected answer per action format, repeated at the end of each user turn and in
retries."""

COMPACT_SYSTEM = {
    "dsl": ("Write scene DSL statements, one per line. Metres, yaw in degrees.\n"
            "add(category, at=(x, y, z), yaw=deg, size=(w, d, h), material=text)\n"
            "place_on(category, parent_id)\ndone()"),
    "trajectory": "Write the JSON list of tool calls [{\"tool\": name, \"args\": {...}}], ending with terminate.",
    "toolcall": "Write one JSON tool call {\"tool\": name, \"args\": {...}}; terminate when done.",
    "point": "Point at a free spot: <point x=\"..\" y=\"..\" alt=\"item\">item</point> (0-100 %), or done.",
}
"""The short system prompts of the ``compact`` style, per action format."""

_NUMBER = re.compile(r"(?<![\w.])-?\d+\.\d+(?!\d|\.\d)")  # whole numbers only; a run like 1.2.3 (a version) stays


def round_numbers(text: str, digits: int = 1) -> str:
    """``text`` with every decimal number (``-?digits.digits`` not inside a word) rounded to ``digits`` decimals
    and trailing zeros dropped (``2.456 -> 2.5``, ``3.04 -> 3``). Linear in the length of the text; integers and
    words are left as they are."""
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 6:
        raise ParseError(f"expected round_digits as an integer in [0, 6], got {digits!r}")

    def fix(m: re.Match) -> str:
        value = round(float(m.group(0)), digits)
        out = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else str(int(value))
        return "0" if out in ("-0", "") else out

    return _NUMBER.sub(fix, str(text))


#: Action formats whose answers are tool calls (the tool catalogue goes with their prompts).
TOOL_FORMATS = ("trajectory", "toolcall")


def prompt_format(kind: Any) -> str:
    """The action format prompts are written for: that of ``kind`` (a kind, its name, or a format), checked to
    have a prompt; anything else raises :class:`~scene_gym.errors.ParseError`."""
    try:
        fmt = action_format(kind)
    except SceneGymError as err:
        raise ParseError(str(err)) from None
    if fmt not in SYSTEM:
        raise ParseError(f"expected an env kind whose action format is among {sorted(SYSTEM)}, got {kind!r} "
                         f"(format {fmt!r})")  # fmt: skip
    return fmt


@dataclass(frozen=True)
class PromptConfig:
    """What goes into the prompt.

    Attributes:
        include_images: attach the observation's image (when the model takes images).
        include_catalogue: paste the tool catalogue text into the system prompt (tool kinds); API policies using
            function calling send the JSON schemas instead and turn this off.
        max_scene_chars: the scene text is cut to this many characters (keeps the start: room and first objects).
        max_catalogue_chars: the catalogue text is cut to this many characters.
        max_examples: in-context examples per prompt.
        style: ``"full"`` or ``"compact"`` (module docstring).
        round_digits: decimals kept in the scene text of the compact style.
    """

    include_images: bool = True
    include_catalogue: bool = True
    max_scene_chars: int = 8000
    max_catalogue_chars: int = 16384
    max_examples: int = 2
    style: str = "full"
    round_digits: int = 1

    def __post_init__(self):
        if self.style not in PROMPT_STYLES:
            raise ParseError(f"expected prompt style among {list(PROMPT_STYLES)}, got {self.style!r}")
        round_numbers("", self.round_digits)  # checks the digits

    @property
    def compact(self) -> bool:
        """Whether this is the compact style."""
        return self.style == "compact"


#: The prompt styles (:attr:`PromptConfig.style`).
PROMPT_STYLES = ("full", "compact")


def _cut(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: max(0, limit - 9)] + " ...[cut]"


def system_prompt(kind: Any, observation: Mapping[str, Any] | None = None, config: PromptConfig = PromptConfig()) -> str:
    """The system prompt for env ``kind`` (or an action format); for the tool formats with ``include_catalogue``,
    the observation's ``catalogue`` (the tools and their arguments) is appended."""
    fmt = prompt_format(kind)
    if config.compact:
        return COMPACT_SYSTEM[fmt]
    text = SYSTEM[fmt].format(dsl=dsl_reference() if fmt == "dsl" else "")
    if fmt in TOOL_FORMATS and config.include_catalogue and observation is not None:
        catalogue = observation.get("catalogue") or ""
        if catalogue:
            text += "\n\nTools:\n" + _cut(catalogue, config.max_catalogue_chars)
    return text


def room_type_of(observation: Mapping[str, Any]) -> str | None:
    """The room type of an observation: the scene text's ``# room: <type>,`` header
    (:func:`~scene_gym.actions.dsl.reader.read_room_header`), else the longest known room type named in the
    prompt, else None."""
    from scene_gym.actions.dsl.reader import read_room_header
    from scene_gym.scene import ROOM_TYPES

    try:
        header = read_room_header(str(observation.get("scene", "")))[0]
    except SceneGymError:
        header = None
    if header in ROOM_TYPES:
        return header
    low = str(observation.get("prompt", "")).lower()
    return next((t for t in sorted(ROOM_TYPES, key=len, reverse=True) if t in low), None)


def observation_text(observation: Mapping[str, Any], kind: Any, config: PromptConfig = PromptConfig()) -> str:
    """The observation's text fields as one user message (task, scene, what was placed, review, feedback), ending
    with :data:`ANSWER_FORMAT`. The catalogue and images are not included here."""
    fmt = prompt_format(kind)
    if config.compact:
        return compact_observation_text(observation, fmt, config)
    parts = [f"Task: {observation.get('prompt', '')}"]
    if fmt == "point":
        parts.append(f"Placed so far:\n{observation.get('placed', '')}")
    elif observation.get("scene"):
        parts.append(f"Current scene (scene DSL):\n{_cut(observation['scene'], config.max_scene_chars)}")
    if observation.get("review"):
        parts.append(f"Review:\n{observation['review']}")
    if observation.get("feedback"):
        parts.append(f"Feedback on the last action:\n{observation['feedback']}")
    parts.append(ANSWER_FORMAT[fmt])
    return "\n\n".join(parts)


def compact_observation_text(observation: Mapping[str, Any], fmt: str, config: PromptConfig) -> str:
    """The ``compact`` style's user turn: the task and the scene (or what was placed), numbers rounded, the
    scene's ``# room:`` comment shortened to its first clause."""
    body = str(observation.get("placed" if fmt == "point" else "scene", "") or "")
    lines = [line.split(";")[0] if line.startswith("# room:") else line for line in body.splitlines()]
    body = round_numbers(_cut("\n".join(lines), config.max_scene_chars), config.round_digits)
    return f"Task: {observation.get('prompt', '')}\n{body}".strip()


def retry_text(kind: Any, error: str) -> str:
    """The user turn that feeds a parse error back (the validate-and-regenerate fix)."""
    return (f"Your answer could not be used: {error}\nNothing was run. Fix the problem and answer again. "
            f"{ANSWER_FORMAT[prompt_format(kind)]}")  # fmt: skip


def build_messages(observation: Mapping[str, Any], kind: Any, examples: Sequence[Any] = (),
                   retries: Sequence[tuple[str, str]] = (), config: PromptConfig = PromptConfig()) -> list[dict]:
    """The chat for one observation, in the neutral form of the module docstring.

    Args:
        observation: an observation of a scene-gym env.
        kind: the env's kind (an :class:`~scene_gym.envs.kinds.EnvKind` or its name) or its action format.
        examples: in-context examples (:class:`~scene_gym.agents.icl.ICLExample`), each written as a user turn
            (its task and context) and an assistant turn (its action); the first ``config.max_examples`` are used.
        retries: earlier (answer text, error) pairs for this observation, replayed as assistant turns followed by
            :func:`retry_text` user turns.
        config: what to include.
    """
    fmt = prompt_format(kind)
    messages: list[dict] = [{"role": "system", "content": system_prompt(fmt, observation, config)}]
    for ex in list(examples)[: config.max_examples]:
        context = f"Task: {ex.prompt}" + (f"\n\n{ex.context}" if ex.context else "")
        reminder = "" if config.compact else "\n\n" + ANSWER_FORMAT[fmt]
        messages.append({"role": "user", "content": context + reminder})
        messages.append({"role": "assistant", "content": ex.action})
    text = observation_text(observation, fmt, config)
    image = observation.get("image")
    if config.include_images and isinstance(image, np.ndarray) and image.ndim == 3:
        messages.append({"role": "user", "content": [{"type": "image", "image": image}, {"type": "text", "text": text}]})
    else:
        messages.append({"role": "user", "content": text})
    for answer, error in retries:
        messages.append({"role": "assistant", "content": answer})
        messages.append({"role": "user", "content": retry_text(fmt, error)})
    return messages


def has_images(messages: Sequence[Mapping[str, Any]]) -> bool:
    """Whether any message holds an image part."""
    return any(isinstance(m["content"], list) and any(p.get("type") == "image" for p in m["content"]) for m in messages)


def to_text_only(messages: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Every content a string: text parts joined, images dropped."""
    out = []
    for m in messages:
        c = m["content"]
        if isinstance(c, list):
            c = "\n".join(p["text"] for p in c if p.get("type") == "text")
        out.append({"role": m["role"], "content": c})
    return out


def to_openai(messages: Sequence[Mapping[str, Any]]) -> list[dict]:
    """OpenAI chat messages: image parts become ``{"type": "image_url", "image_url": {"url": data URL}}``."""
    from scene_gym.llm import image_data_url

    out = []
    for m in messages:
        c = m["content"]
        if isinstance(c, list):
            c = [{"type": "image_url", "image_url": {"url": image_data_url(p["image"])}} if p.get("type") == "image"
                 else {"type": "text", "text": p["text"]} for p in c]  # fmt: skip
        out.append({"role": m["role"], "content": c})
    return out


def to_hf(messages: Sequence[Mapping[str, Any]]) -> tuple[list[dict], list]:
    """(messages for ``processor.apply_chat_template`` with ``{"type": "image"}`` placeholders and every content a
    list of parts, the PIL images in order)."""
    from PIL import Image

    out, images = [], []
    for m in messages:
        c = m["content"]
        if isinstance(c, str):
            parts = [{"type": "text", "text": c}]
        else:
            parts = []
            for p in c:
                if p.get("type") == "image":
                    images.append(Image.fromarray(np.asarray(p["image"], dtype=np.uint8)).convert("RGB"))
                    parts.append({"type": "image"})
                else:
                    parts.append({"type": "text", "text": p["text"]})
        out.append({"role": m["role"], "content": parts})
    return out, images

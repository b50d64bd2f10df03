"""The pole family (:class:`StandFamily`): a base on the floor, an upright and a fixture on top. Coat, hat and
umbrella-free stands, music and microphone stands, easels, IV poles, clothes rails, fans, plant and speaker
stands, camera tripods, mobile whiteboards and projector screens are declarations of it.

Front is +Y (the side a person uses). The base fills the footprint; the fixture reaches the full height.
"""

from __future__ import annotations

import math
from types import MappingProxyType

from scene_gym.assets.library.blocks import ellipse
from scene_gym.assets.library.family import Family, declare

ALONG_Y = (math.pi / 2, 0.0, 0.0)


class StandFamily(Family):
    """A pole stand; size (w, d, h) metres.

    Knobs: base (``"cross"``: two crossed feet spanning w and d, ``"disc"``: a round plate, ``"twin"``: two
    uprights on feet at the sides, for wide fixtures), top (``"hooks"``, ``"desk"``, ``"board"``, ``"bar"``,
    ``"boom"``, ``"fan"``, ``"plate"``, ``"head"``, ``"screen"``), casters (wheels under the base feet),
    board_material (the board or screen's material).
    """

    knobs = MappingProxyType(
        {"base": "cross", "top": "hooks", "casters": False, "board_material": "white plastic"}
    )

    def build(self, b, params):
        """Base, upright(s) and top fixture (metres)."""
        k = self.knobs
        w, d, h = b.w, b.d, b.h
        z = _base(b, k["base"], k["casters"])
        top = k["top"]
        twin = k["base"] == "twin"
        xs = (-w / 2 + 0.03, w / 2 - 0.03) if twin else (0.0,)
        pole_top = {"hooks": h - 0.05, "bar": h - 0.03, "board": h * 0.55, "screen": h - 0.04}.get(
            top, h * 0.7
        )
        if top in ("fan", "plate", "head", "desk", "boom"):
            pole_top = (
                h
                - {"fan": 0.4 * min(w, d, h), "plate": 0.03, "head": 0.08, "desk": 0.35 * h, "boom": 0.05}[
                    top
                ]
            )
        for i, x in enumerate(xs):
            b.cylinder(
                f"pole_{i}",
                (x, 0, (z + pole_top) / 2),
                0.018,
                pole_top - z,
                "black metal" if top != "hooks" else None,
            )
        if top == "hooks":
            b.sphere("finial", (0, 0, h - 0.04), 0.04)
            for i in range(4):
                a = math.pi / 4 + math.pi / 2 * i
                r = min(w, d) / 2 * 0.45
                b.rod(f"hook_{i}", (0, 0, h - 0.14), (r * math.cos(a), r * math.sin(a), h - 0.08), 0.012)
            b.cylinder("drip_ring", (0, 0, 0.35 * h), 0.05, 0.02)
        elif top == "bar":
            b.rod("rail", (-w / 2 + 0.015, 0, h - 0.018), (w / 2 - 0.015, 0, h - 0.018), 0.018, "chrome")
        elif top in ("board", "screen"):
            bw = w - 0.08 if twin else 0.85 * w
            z0 = h * 0.35 if top == "board" else h * 0.3
            mat = k["board_material"]
            b.box("board", (0, 0.03, (z0 + h) / 2), (bw, 0.025, h - z0), mat)
            if top == "board":
                b.box("ledge", (0, 0.03 + 0.05, z0 - 0.015), (bw, 0.08, 0.03), "black metal")
                b.surface("ledge", (0, 0.03 + 0.05, z0), (bw - 0.02, 0.06), clearance=0.3)
        elif top == "desk":
            b.box("desk", (0, 0, h - 0.35 * h / 2), (w * 0.9, 0.02, 0.35 * h), "black metal")
            b.box("desk_lip", (0, 0.04, pole_top + 0.015), (w * 0.9, 0.06, 0.03), "black metal")
            b.surface("desk_lip", (0, 0.04, pole_top + 0.03), (w * 0.8, 0.04), clearance=0.35 * h)
        elif top == "boom":
            b.rod("boom", (0, 0, pole_top), (0, d / 2 - 0.06, h - 0.03), 0.01, "black metal")
            b.cylinder("microphone", (0, d / 2 - 0.06, h - 0.03), 0.02, 0.06, "black metal")
        elif top == "fan":
            r = 0.4 * min(w, d, h)
            b.cylinder("motor", (0, -0.05, h - r), 0.06, 0.12, "white plastic", rpy=ALONG_Y)
            b.cylinder("guard", (0, 0.04, h - r), r, 0.06, "white plastic", rpy=ALONG_Y)
        elif top == "plate":
            b.extrusion("plate", (0, 0, h - 0.03), ellipse(0.9 * min(w, d), 0.9 * min(w, d)), 0.03)
            s = 0.9 * min(w, d) / math.sqrt(2)
            b.surface("plate", (0, 0, h), (s - 0.02, s - 0.02))
        elif top == "head":
            b.box("head", (0, 0, h - 0.04), (0.1, 0.1, 0.08), "black plastic")
            b.surface("head", (0, 0, h), (0.08, 0.08))
        else:
            raise ValueError(f"unknown stand top {top!r}")


def _base(b, style: str, casters: bool) -> float:
    """The base on the floor; returns the height where the upright starts (m)."""
    w, d = b.w, b.d
    c = 0.05 if casters else 0.0
    if casters:
        for i, (x, y) in enumerate(
            ((-w / 2 + 0.025, 0), (w / 2 - 0.025, 0), (0, -d / 2 + 0.025), (0, d / 2 - 0.025))
            if style != "twin"
            else (
                (-w / 2 + 0.03, -d / 2 + 0.025),
                (-w / 2 + 0.03, d / 2 - 0.025),
                (w / 2 - 0.03, -d / 2 + 0.025),
                (w / 2 - 0.03, d / 2 - 0.025),
            )
        ):
            b.sphere(f"caster_{i}", (x, y, 0.025), 0.025, "black rubber")
    if style == "cross":
        b.box("foot_x", (0, 0, c + 0.015), (w, 0.05, 0.03), "black metal")
        b.box("foot_y", (0, 0, c + 0.015), (0.05, d, 0.03), "black metal")
        return c + 0.03
    if style == "disc":
        b.extrusion("base", (0, 0, c), ellipse(w, d), 0.03, "black metal")
        return c + 0.03
    for i, x in enumerate((-w / 2 + 0.03, w / 2 - 0.03)):
        b.box(f"foot_{i}", (x, 0, c + 0.02), (0.06, d, 0.04), "black metal")
    return c + 0.04


declare(
    StandFamily,
    "coat_stand",
    synonyms=("coat rack", "hat stand", "hall stand", "coat tree", "hat rack"),
    description="A free-standing pole with hooks at the top for coats and hats.",
    size_range=((0.35, 0.35, 1.5), (0.6, 0.6, 2.0)),
    default_size=(0.45, 0.45, 1.8),
    default_material="walnut wood",
    rooms=("living room", "bedroom", "office", "waiting room", "restaurant"),
    articulated=False,
    knobs={"top": "hooks", "base": "cross"},
)
declare(
    StandFamily,
    "music_stand",
    synonyms=("sheet music stand", "note stand", "orchestra stand"),
    description="A folding stand with a desk for sheet music on an adjustable pole.",
    size_range=((0.4, 0.35, 0.9), (0.6, 0.6, 1.5)),
    default_size=(0.5, 0.5, 1.2),
    default_material="black metal",
    rooms=("classroom", "living room", "studio apartment", "children room"),
    knobs={"top": "desk"},
)
declare(
    StandFamily,
    "microphone_stand",
    synonyms=("mic stand", "boom stand", "microphone boom stand"),
    description="A tripod-footed microphone stand with a boom arm holding a microphone.",
    size_range=((0.4, 0.5, 1.0), (0.7, 1.0, 1.9)),
    default_size=(0.55, 0.75, 1.6),
    default_material="black metal",
    rooms=("classroom", "game room", "studio apartment", "restaurant"),
    knobs={"top": "boom"},
)
declare(
    StandFamily,
    "easel",
    synonyms=("painting easel", "art easel", "artist easel", "studio easel", "display easel"),
    description="A painter's easel: an upright mast holding a canvas on a ledge.",
    size_range=((0.5, 0.5, 1.2), (0.9, 0.9, 2.1)),
    default_size=(0.65, 0.65, 1.7),
    default_material="pine wood",
    rooms=("studio apartment", "classroom", "children room", "living room"),
    knobs={"top": "board", "board_material": "white cotton"},
)
declare(
    StandFamily,
    "iv_pole",
    synonyms=("iv stand", "drip stand", "infusion stand", "iv drip pole"),
    description="A rolling medical pole with hooks at the top for infusion bags.",
    size_range=((0.45, 0.45, 1.6), (0.65, 0.65, 2.2)),
    default_size=(0.55, 0.55, 1.9),
    default_material="chrome",
    rooms=("medical examination room", "waiting room", "bedroom"),
    knobs={"top": "hooks", "casters": True},
)
declare(
    StandFamily,
    "clothes_rack",
    synonyms=("garment rack", "clothes rail", "clothing rack", "rolling rack"),
    description="A rolling rail for hanging clothes: two uprights on feet and a bar on top.",
    size_range=((0.8, 0.4, 1.2), (1.8, 0.6, 1.9)),
    default_size=(1.2, 0.5, 1.6),
    default_material="chrome",
    rooms=("bedroom", "laundry room", "bookstore", "studio apartment"),
    knobs={"base": "twin", "top": "bar", "casters": True},
)
declare(
    StandFamily,
    "floor_fan",
    synonyms=("standing fan", "pedestal fan", "stand fan", "electric fan", "fan"),
    description="An electric fan with a round guarded head on a pole over a round base.",
    size_range=((0.35, 0.35, 0.8), (0.6, 0.6, 1.5)),
    default_size=(0.45, 0.45, 1.25),
    default_material="white plastic",
    rooms=("living room", "bedroom", "office", "gym", "studio apartment"),
    knobs={"base": "disc", "top": "fan"},
)
declare(
    StandFamily,
    "plant_stand",
    synonyms=("flower stand", "pedestal stand", "plant pedestal", "plinth stand"),
    description="A slim stand with a round plate on top for a potted plant.",
    size_range=((0.25, 0.25, 0.4), (0.5, 0.5, 1.2)),
    default_size=(0.35, 0.35, 0.75),
    default_material="black metal",
    rooms=("living room", "bedroom", "office", "waiting room"),
    knobs={"base": "disc", "top": "plate"},
)
declare(
    StandFamily,
    "speaker_stand",
    synonyms=("monitor stand", "loudspeaker stand", "pa speaker stand"),
    description="A floor stand with a small top plate for a speaker.",
    size_range=((0.25, 0.25, 0.5), (0.5, 0.5, 1.4)),
    default_size=(0.3, 0.3, 0.9),
    default_material="black metal",
    rooms=("living room", "game room", "classroom", "restaurant"),
    knobs={"base": "cross", "top": "plate"},
)
declare(
    StandFamily,
    "camera_tripod",
    synonyms=("tripod", "photo tripod", "video tripod", "camera stand"),
    description="A camera tripod with a small head on top of a centre column.",
    size_range=((0.4, 0.4, 0.8), (0.9, 0.9, 1.8)),
    default_size=(0.6, 0.6, 1.5),
    default_material="black aluminium",
    rooms=("studio apartment", "classroom", "living room", "game room"),
    knobs={"base": "cross", "top": "head"},
)
declare(
    StandFamily,
    "mobile_whiteboard",
    synonyms=("whiteboard stand", "rolling whiteboard", "whiteboard on wheels", "flip chart", "flipchart"),
    description="A whiteboard on two rolling feet with a marker ledge, moved around classrooms and offices.",
    size_range=((0.8, 0.45, 1.4), (2.0, 0.7, 2.0)),
    default_size=(1.3, 0.55, 1.8),
    default_material="aluminium",
    rooms=("classroom", "office", "meeting room"),
    knobs={"base": "twin", "top": "board", "casters": True},
)
declare(
    StandFamily,
    "projector_screen",
    synonyms=("projection screen", "tripod screen", "pull-up screen"),
    description="A portable projection screen stretched above a stand.",
    size_range=((1.0, 0.5, 1.5), (2.6, 0.9, 2.6)),
    default_size=(1.8, 0.7, 2.2),
    default_material="black metal",
    rooms=("meeting room", "classroom", "office", "living room"),
    knobs={"base": "twin", "top": "screen"},
)

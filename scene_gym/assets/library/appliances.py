"""The box-appliance family (:class:`BoxApplianceFamily`): a hollow sheet body on feet, closed by a front
door, a glass door, a bottom-hinged flap, a top lid or nothing. Kilns, chest freezers, mini fridges, beverage
coolers, vending machines, safes, photocopiers, water heaters and coolers, air purifiers, server racks, ATMs,
amplifiers, ice makers, wine fridges, range hoods, air conditioners, radiators and space heaters are
declarations of it.

Bodies are panels (their cavities hold support surfaces and their masses stay plausible); doors stand in front
of the body, handles end on the asset's front face (+Y).
"""

from __future__ import annotations

import math
from types import MappingProxyType

from scene_gym.assets.library.blocks import (
    DOOR_HANDLE_REACH,
    LID_TAB_REACH,
    ellipse,
    flap_door,
    hinged_door,
    lid,
    open_box,
)
from scene_gym.assets.library.family import Family, declare

PANEL = 0.02


class BoxApplianceFamily(Family):
    """A box appliance; size (w, d, h) metres.

    Knobs: door (``"none"``, ``"front"``, ``"glass"``, ``"flap"``, ``"lid"``), shelves (inside, behind a door),
    feet (height of the feet, m), display (a dark screen or control strip high on the front), fins (vertical fins
    across the front: radiators and heaters), bottle (a water bottle on top: water coolers), round (a cylindrical
    solid body: water heaters), door_material (None: the object's).
    """

    knobs = MappingProxyType({"door": "front", "shelves": 1, "feet": 0.02, "display": False, "fins": 0,
                              "bottle": False, "round": False, "door_material": None})  # fmt: skip

    def build(self, b, params):
        """Feet, body, closure, extras and surfaces (metres)."""
        k = self.knobs
        w, d, h = b.w, b.d, b.h
        door = k["door"]
        feet = k["feet"]
        if k["round"]:
            r = min(w, d) / 2
            b.extrusion("tank", (0, 0, feet), ellipse(2 * r, 2 * r), h - feet)
            b.box("control", (0, r - 0.03, feet + 0.15), (0.12, 0.06, 0.1), "black plastic")
            _feet(b, feet, d / 2)
            b.surface("top", (0, 0, h), (r, r))
            return
        reach = {"front": DOOR_HANDLE_REACH, "glass": DOOR_HANDLE_REACH, "flap": DOOR_HANDLE_REACH}.get(
            door, 0.0
        )
        if door == "lid":
            reach = LID_TAB_REACH
        yf = d / 2 - reach
        top_z = h - 0.03 if door == "lid" else h
        body_top = top_z - (0.3 if k["bottle"] else 0.0)
        _feet(b, feet, yf)
        y_box1 = yf - (0.01 if door == "lid" else 0.0)
        open_box(b, "", -w / 2, w / 2, -d / 2, y_box1, feet, body_top, PANEL, top=door != "lid")
        x0, x1, z0, z1 = (
            -w / 2 + PANEL,
            w / 2 - PANEL,
            feet + PANEL,
            body_top - (0.0 if door == "lid" else PANEL),
        )
        yc = (y_box1 - d / 2) / 2
        disp = 0.12 if k["display"] and door in ("front", "glass", "none") and z1 - z0 > 0.5 else 0.0
        if disp:
            b.box("display", (0, y_box1 - PANEL / 2, z1 - disp / 2), (x1 - x0, PANEL, disp), "screen")
            z1 -= disp
        if door in ("front", "glass"):
            hz = min((z0 + z1) / 2, 1.0)
            mat = "glass" if door == "glass" else k["door_material"]
            hinged_door(b, "door", x0, x1, z0, z1, y_front=yf, handle_z=hz, material=mat)
        elif door == "flap":
            flap_door(b, "door", x0, x1, z0, z1, y_front=yf, material=k["door_material"])
        elif door == "none":
            off = 0.004 if k["fins"] else 0.0  # fins stand this far proud of the front panel
            b.box("front", (0, y_box1 - off - PANEL / 2, (z0 + z1) / 2), (x1 - x0, PANEL, z1 - z0))
            for i in range(k["fins"]):
                x = x0 + (x1 - x0) * (i + 0.5) / k["fins"]
                b.box(
                    f"fin_{i}",
                    (x, y_box1 - off / 2, (z0 + z1) / 2),
                    (0.012, off, (z1 - z0) * 0.9),
                    "grey plastic",
                )
        else:  # lid
            lid(b, "lid", -w / 2, w / 2, -d / 2, yf, top_z, 0.03, max_angle=math.radians(95))
        if door != "none":
            inner_d = (yf - 0.03) - (-d / 2 + PANEL / 2)
            yi = (-d / 2 + PANEL / 2 + yf - 0.03) / 2
            n = k["shelves"] if door != "lid" else 0
            gap = (z1 - z0) / (n + 1)
            b.surface("inside", (0, yi, z0), (x1 - x0 - 0.02, inner_d - 0.02), clearance=gap)
            for i in range(n):
                zc = z0 + gap * (i + 1)
                b.box(
                    f"shelf_{i}",
                    (0, yi, zc),
                    (x1 - x0, inner_d, 0.01),
                    "glass" if door == "glass" else "white plastic",
                )
                b.surface(
                    f"shelf_{i}", (0, yi, zc + 0.005), (x1 - x0 - 0.02, inner_d - 0.02), clearance=gap - 0.01
                )
        if door == "lid":
            b.surface("lid", (0, (yf - d / 2) / 2, h), (w - 0.06, yf + d / 2 - 0.06), link="lid")
        elif k["bottle"]:
            b.cylinder("bottle", (0, yc, body_top + 0.15), min(0.14, w / 2 - 0.02), 0.3, "light blue plastic")
        else:
            b.surface("top", (0, yc, h), (w - 0.04, y_box1 + d / 2 - 0.04))


def _feet(b, feet: float, yf: float) -> None:
    """Four round feet under the body (whose front is at ``yf``), ``feet`` metres tall."""
    if feet <= 0:
        return
    for i, (sx, sy) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
        y = -b.d / 2 + 0.04 if sy < 0 else yf - 0.04
        b.cylinder(f"foot_{i}", (sx * (b.w / 2 - 0.04), y, feet / 2), 0.02, feet, "black rubber")


_KITCHEN = ("kitchen", "dining room", "restaurant", "studio apartment")

declare(
    BoxApplianceFamily,
    "kiln",
    synonyms=("pottery kiln", "ceramic kiln", "electric kiln", "firing oven"),
    description="A top-loading electric kiln: an insulated box on feet with a lid that lifts on hinges.",
    size_range=((0.5, 0.5, 0.6), (1.0, 1.0, 1.2)),
    default_size=(0.7, 0.7, 0.9),
    default_material="grey sheet steel",
    rooms=("garage", "classroom", "studio apartment"),
    articulated=True,
    knobs={"door": "lid", "feet": 0.15},
)
declare(
    BoxApplianceFamily,
    "chest_freezer",
    synonyms=("deep freezer", "box freezer", "freezer chest", "freezer"),
    description="A chest freezer: a white insulated box with a lid hinged along its back edge.",
    size_range=((0.6, 0.5, 0.8), (1.6, 0.8, 0.95)),
    default_size=(1.1, 0.65, 0.85),
    default_material="white sheet steel",
    rooms=("garage", "kitchen", "laundry room", "restaurant"),
    articulated=True,
    knobs={"door": "lid"},
)
declare(
    BoxApplianceFamily,
    "mini_fridge",
    synonyms=("minibar", "bar fridge", "compact refrigerator", "dorm fridge"),
    description="A small under-counter refrigerator with one door and a shelf.",
    size_range=((0.4, 0.4, 0.45), (0.6, 0.6, 0.9)),
    default_size=(0.48, 0.5, 0.85),
    default_material="black sheet steel",
    rooms=("bedroom", "office", "studio apartment", "game room", "kitchen"),
    articulated=True,
    knobs={"door": "front"},
)
declare(
    BoxApplianceFamily,
    "beverage_cooler",
    synonyms=(
        "drinks fridge",
        "display fridge",
        "glass door fridge",
        "merchandiser fridge",
        "beverage fridge",
    ),
    description="A glass-door drinks refrigerator with shelves and a lit sign panel, as in shops and cafes.",
    size_range=((0.5, 0.5, 1.2), (0.9, 0.75, 2.1)),
    default_size=(0.6, 0.6, 1.9),
    default_material="black sheet steel",
    rooms=("restaurant", "kitchen", "game room", "bookstore"),
    articulated=True,
    knobs={"door": "glass", "shelves": 4, "display": True, "feet": 0.05},
)
declare(
    BoxApplianceFamily,
    "wine_fridge",
    synonyms=("wine cooler", "wine cellar fridge", "wine refrigerator"),
    description="A glass-door refrigerator with racks for wine bottles.",
    size_range=((0.3, 0.5, 0.8), (0.6, 0.65, 1.8)),
    default_size=(0.6, 0.57, 0.85),
    default_material="black sheet steel",
    rooms=_KITCHEN + ("living room",),
    articulated=True,
    knobs={"door": "glass", "shelves": 3},
)
declare(
    BoxApplianceFamily,
    "vending_machine",
    synonyms=("snack machine", "drinks machine", "soda machine", "vending"),
    description="A coin-operated vending machine with a glass front over spiral shelves and a selection panel.",
    size_range=((0.8, 0.7, 1.7), (1.2, 0.95, 2.0)),
    default_size=(0.95, 0.85, 1.85),
    default_material="red sheet steel",
    rooms=("waiting room", "gym", "classroom", "office", "game room"),
    articulated=True,
    knobs={"door": "glass", "shelves": 4, "display": True},
)
declare(
    BoxApplianceFamily,
    "safe",
    synonyms=("strongbox", "safe box", "vault", "security safe", "gun safe"),
    description="A heavy steel safe with a hinged door and a shelf inside.",
    size_range=((0.35, 0.35, 0.35), (0.8, 0.7, 1.6)),
    default_size=(0.5, 0.5, 0.6),
    default_material="dark grey sheet steel",
    rooms=("office", "bedroom", "bookstore", "restaurant"),
    articulated=True,
    knobs={"door": "front", "feet": 0.0},
)
declare(
    BoxApplianceFamily,
    "photocopier",
    synonyms=("copier", "copy machine", "multifunction copier", "office copier", "xerox machine"),
    description="A floor-standing office copier: a box body with a paper drawer flap, a panel and a flat top.",
    size_range=((0.5, 0.5, 0.8), (0.8, 0.8, 1.3)),
    default_size=(0.6, 0.65, 1.1),
    default_material="white plastic",
    rooms=("office", "classroom", "meeting room", "bookstore"),
    articulated=True,
    knobs={"door": "flap", "feet": 0.05, "shelves": 0},
)
declare(
    BoxApplianceFamily,
    "ice_machine",
    synonyms=("ice maker", "ice dispenser", "commercial ice maker"),
    description="A stainless ice machine with a bottom-hinged bin door.",
    size_range=((0.4, 0.5, 0.8), (0.8, 0.8, 1.8)),
    default_size=(0.55, 0.65, 1.0),
    default_material="stainless sheet steel",
    rooms=("restaurant", "kitchen", "game room"),
    articulated=True,
    knobs={"door": "flap", "feet": 0.12, "shelves": 0},
)
declare(
    BoxApplianceFamily,
    "server_rack",
    synonyms=("network rack", "server cabinet", "data cabinet", "rack cabinet"),
    description="A tall black server cabinet with a glass front door over equipment shelves.",
    size_range=((0.5, 0.6, 0.9), (0.8, 1.2, 2.2)),
    default_size=(0.6, 1.0, 2.0),
    default_material="black sheet steel",
    rooms=("office", "meeting room", "classroom"),
    articulated=True,
    knobs={"door": "glass", "shelves": 4, "feet": 0.05},
)
declare(
    BoxApplianceFamily,
    "water_heater",
    synonyms=("boiler", "hot water tank", "hot water heater", "geyser", "water tank"),
    description="A tall cylindrical hot-water tank with a control box at its foot.",
    size_range=((0.4, 0.4, 0.8), (0.7, 0.7, 1.9)),
    default_size=(0.55, 0.55, 1.5),
    default_material="white sheet steel",
    rooms=("laundry room", "garage", "bathroom", "kitchen"),
    articulated=False,
    knobs={"round": True, "door": "none"},
)
declare(
    BoxApplianceFamily,
    "water_cooler",
    synonyms=("water dispenser", "drinking water dispenser", "office water cooler", "bottled water cooler"),
    description="A floor water dispenser: a slim cabinet with taps and a large water bottle on top.",
    size_range=((0.28, 0.3, 1.0), (0.4, 0.45, 1.45)),
    default_size=(0.32, 0.35, 1.3),
    default_material="white plastic",
    rooms=("office", "waiting room", "gym", "classroom", "medical examination room"),
    articulated=False,
    knobs={"door": "none", "bottle": True, "display": True},
)
declare(
    BoxApplianceFamily,
    "air_purifier",
    synonyms=("air cleaner", "air filter", "purifier", "humidifier", "dehumidifier"),
    description="A floor air treatment unit: a tall box with an intake grille and a control strip.",
    size_range=((0.2, 0.2, 0.4), (0.5, 0.4, 1.0)),
    default_size=(0.3, 0.25, 0.6),
    default_material="white plastic",
    rooms=("bedroom", "living room", "office", "children room", "nursery"),
    articulated=False,
    knobs={"door": "none", "fins": 6, "display": True},
)
declare(
    BoxApplianceFamily,
    "atm",
    synonyms=("cash machine", "cash point", "bank machine", "automated teller"),
    description="A free-standing cash machine: a steel cabinet with a screen panel.",
    size_range=((0.5, 0.5, 1.3), (0.8, 0.9, 1.8)),
    default_size=(0.6, 0.7, 1.6),
    default_material="grey sheet steel",
    rooms=("waiting room", "restaurant", "bookstore"),
    articulated=False,
    knobs={"door": "none", "display": True},
)
declare(
    BoxApplianceFamily,
    "amplifier",
    synonyms=("guitar amp", "amp", "bass amp", "guitar amplifier"),
    description="A combo amplifier: a black box with a speaker grille and a control panel on top.",
    size_range=((0.3, 0.2, 0.3), (0.8, 0.45, 0.8)),
    default_size=(0.5, 0.28, 0.45),
    default_material="black mdf",
    rooms=("game room", "bedroom", "studio apartment", "garage", "classroom"),
    articulated=False,
    knobs={"door": "none", "fins": 8, "feet": 0.0},
)
declare(
    BoxApplianceFamily,
    "radiator",
    synonyms=("heating radiator", "panel radiator", "central heating radiator", "rad"),
    description="A wall-hugging panel radiator of vertical fins on short feet.",
    size_range=((0.4, 0.08, 0.3), (2.0, 0.2, 1.0)),
    default_size=(1.0, 0.12, 0.6),
    default_material="white sheet steel",
    rooms=("living room", "bedroom", "bathroom", "office", "classroom", "waiting room", "kitchen"),
    articulated=False,
    knobs={"door": "none", "fins": 12, "feet": 0.08},
)
declare(
    BoxApplianceFamily,
    "space_heater",
    synonyms=("electric heater", "portable heater", "oil heater", "fan heater", "heater"),
    description="A portable electric heater: a finned box on small feet.",
    size_range=((0.25, 0.15, 0.3), (0.7, 0.35, 0.75)),
    default_size=(0.45, 0.25, 0.6),
    default_material="white sheet steel",
    rooms=("bedroom", "living room", "office", "garage", "bathroom"),
    articulated=False,
    knobs={"door": "none", "fins": 7, "feet": 0.04},
)

"""The scene DSL's commands and their typed parameters.

A program is a sequence of calls, one per line or separated by ``;``, for example::

    add("sofa", at=(2.0, 0.6), facing="north", material="grey fabric")
    rotate("armchair_1", yaw=90)          # degrees in the DSL
    place_on("table_lamp", "nightstand_1")
    relate("armchair_1", "facing", "sofa_1")
    done()

Units: metres for positions and sizes, **degrees** for angles (``yaw``), compass words north (+Y), south, east
(+X), west. Object ids are strings (``"sofa_1"``). Every argument is a literal: strings, numbers, booleans, and
tuples or lists of numbers; ``define``'s program is a dict literal of such values (JSON spelling ``true``/``false``/
``null`` accepted) or a JSON string. Nothing else is accepted.

Objects the catalog lacks are defined from an object program (fields, units and limits:
:mod:`scene_gym.assets.programs.schema`) and placed like catalog objects::

    define("kiln", {"placement": "floor", "material": "grey concrete",
                    "parts": [{"name": "body", "shape": "cylinder", "size": [0.6, 0.6, 0.7]},
                              {"name": "hood", "shape": "cone", "size": [0.62, 0.62, 0.3], "parent": "body",
                               "position": [0, 0, 0.5]}]}, at=(1.0, 2.0))
    add("kiln", at=(3.0, 2.0))            # a second one, by the defined name
"""

from __future__ import annotations

from dataclasses import dataclass

COMPASS = ("north", "south", "east", "west")


@dataclass(frozen=True)
class Param:
    """One parameter of a DSL command.

    Attributes:
        name: keyword name.
        kind: ``"str"``, ``"id"`` (object id string), ``"number"``, ``"vec2"``, ``"vec3"``, ``"vec23"`` (2 or 3
            numbers), ``"compass"``, ``"rgb"`` (3 numbers in [0, 1]), ``"bool"``, ``"program"`` (an object program:
            a dict literal in JSON or Python spelling, or a JSON string; see
            :mod:`scene_gym.assets.programs.schema`).
        required: must be given.
        positional: may be given by position (in declaration order).
        low, high: inclusive numeric bounds for numbers and vector components.
    """

    name: str
    kind: str
    required: bool = False
    positional: bool = False
    low: float = -1000.0
    high: float = 1000.0


@dataclass(frozen=True)
class Command:
    """A DSL command: its name, parameters, a one-line description, and keyword groups of which at most one
    (``exclusive``) or exactly one (``one_of``) may be given."""

    name: str
    params: tuple[Param, ...]
    doc: str
    one_of: tuple[tuple[str, ...], ...] = ()
    exclusive: tuple[tuple[str, ...], ...] = ()


P = Param
COMMANDS: dict[str, Command] = {c.name: c for c in [
    Command("add", (P("category", "str", True, True), P("at", "vec23"), P("facing", "compass"),
                    P("yaw", "number", low=-3600, high=3600), P("size", "vec3", low=0.001, high=50.0),
                    P("material", "str"), P("against", "compass")),
            "add an object of a category at (x, y[, z]) metres, facing a compass side or yaw degrees",
            exclusive=(("facing", "yaw"),)),
    Command("move", (P("id", "id", True, True), P("to", "vec23"), P("by", "vec23", low=-100, high=100)),
            "move an object to (x, y[, z]) or by (dx, dy[, dz]) metres", one_of=(("to", "by"),)),
    Command("rotate", (P("id", "id", True, True), P("yaw", "number", low=-3600, high=3600),
                       P("by", "number", low=-3600, high=3600), P("facing", "compass")),
            "set the yaw in degrees, turn by degrees, or face a compass side", one_of=(("yaw", "by", "facing"),)),
    Command("resize", (P("id", "id", True, True), P("size", "vec3", low=0.001, high=50.0),
                       P("scale", "number", low=0.05, high=20.0)),
            "set the full extents (w, d, h) in metres or scale uniformly", one_of=(("size", "scale"),)),
    Command("remove", (P("id", "id", True, True),), "remove an object and everything resting on it"),
    Command("place_on", (P("category", "str", True, True), P("parent", "id", True, True),
                         P("at", "vec2", low=-1.0, high=1.0), P("material", "str"), P("size", "vec3", low=0.001, high=50.0)),
            "put a new object of a category on a receptacle's support surface; at=(u, v) in [-1, 1] across it"),
    Command("relate", (P("a", "id", True, True), P("relation", "str", True, True), P("b", "id", positional=True),
                       P("distance", "number", low=0.0, high=100.0)),
            "ask for a spatial relation between objects (or an object and the room)"),
    Command("set_material", (P("id", "id", True, True), P("material", "str", True, True)),
            "change an object's material description"),
    Command("set_light", (P("id", "id", positional=True), P("kind", "str"), P("at", "vec3"),
                          P("intensity", "number", low=0.0, high=1e5), P("color", "rgb")),
            "add a light (no id) or change one (id like 'light_1')"),
    Command("define", (P("name", "str", True, True), P("program", "program", True, True), P("at", "vec23"),
                       P("facing", "compass"), P("yaw", "number", low=-3600, high=3600), P("against", "compass"),
                       P("place", "bool")),
            "define an object the catalog lacks from a part-wise program and place one (place=False: define only); "
            "add(name) places more", exclusive=(("facing", "yaw"),)),
    Command("done", (), "finish the episode"),
]}  # fmt: skip

"""``SceneSynthToolStep-v1`` as a TRL ``environment_factory``: one typed, documented method per scene tool.

TRL (``GRPOTrainer(environment_factory=SceneToolEnvironment)``) builds one instance per rollout, calls
``reset(**row)`` with a dataset row (:mod:`scene_gym.data.prompts`, kind ``toolstep``), extracts a JSON schema
from every other public method (``transformers.utils.get_json_schema``: type hints and the Google-style
docstring), runs the calls the model writes and appends each method's return text as a tool message, then scores
the rollout with :meth:`SceneToolEnvironment.get_reward`.

Every tool method sends ``{"tool": name, "args": {...}}`` (arguments left at None are left out, so the tool's
defaults apply) as one step of the env and returns the step's feedback and review; a call the env refuses (bad
argument, unknown id) returns the env's error text and costs ``invalid_penalty``; nothing raises. After
``terminate`` or ``max_steps`` calls the episode is over and further calls return a note and change nothing.
The method signatures mirror the argument models of :data:`scene_gym.actions.tools.TOOLS` (a test keeps their
names and required arguments equal).
"""

from __future__ import annotations

import json
from typing import Any, Literal

RoomType = Literal["bedroom", "living room", "dining room", "kitchen", "bathroom", "gym", "restaurant",
                   "children room", "nursery", "meeting room", "office", "waiting room", "classroom", "bookstore",
                   "laundry room", "garage", "game room", "medical examination room", "studio apartment"]  # fmt: skip
"""The room types ``init_room``/``init_layout`` accept (:data:`scene_gym.scene.ROOM_TYPES`; a test keeps them equal)."""

Compass = Literal["north", "south", "east", "west"]
"""A compass side (``update_rotation``'s ``facing``)."""

START_NOTE = ("\n\nUse the tools to furnish this room: each call returns what it did and a review of the scene. "
              "Call terminate when the room is complete.")  # fmt: skip
"""What :meth:`SceneToolEnvironment.reset` appends to the row's user message."""


class SceneToolEnvironment:
    """One ``SceneSynthToolStep-v1`` episode per rollout, its tools as methods (module docstring).

    Args:
        reward: the env's reward spec (None: its default, SceneOrchestra's Q).
        max_steps: tool calls per episode (the env truncates after them).
        invalid_penalty: the reward of a call the env cannot read or validate (default -1).
        time_weight: the env's ``w`` in ``C = Q - w T`` (per minute of nominal tool time).
    """

    def __init__(self, reward: Any = None, max_steps: int = 20, invalid_penalty: float = -1.0,
                 time_weight: float = 0.05):  # fmt: skip
        import gymnasium as gym

        import scene_gym  # noqa: F401 - registers the env kinds

        self._env = gym.make("SceneSynthToolStep-v1", image_size=None, reward=reward, max_steps=max_steps,
                             invalid_penalty=invalid_penalty, time_weight=time_weight).unwrapped  # fmt: skip
        self._return, self._over, self._calls = 0.0, True, 0

    # --- TRL's hooks ---------------------------------------------------------------------------------------------
    def reset(self, **row: Any) -> str | None:
        """Start an episode from a dataset row (its ``info`` column: seed and starting room); returns the note
        appended to the row's user message (:data:`START_NOTE`). A row without a valid ``info`` raises
        :class:`~scene_gym.data.prompts.PromptDatasetError` and leaves the previous episode as it was."""
        from scene_gym.data.prompts import row_start

        seed, options = row_start(row.get("info"))
        self._env.reset(seed=seed, options=options)
        self._return, self._over, self._calls = 0.0, False, 0
        return START_NOTE

    def get_reward(self) -> float:
        """The episode's return so far: the sum of the env's step rewards (Q gained minus tool time and penalties)."""
        return float(self._return)

    @property
    def calls(self) -> int:
        """Tool calls stepped in this episode."""
        return self._calls

    def _call(self, tool: str, args: dict[str, Any]) -> str:
        if self._over:
            return "The episode is over (terminated or out of steps); nothing was run."
        action = json.dumps({"tool": tool, "args": {k: v for k, v in args.items() if v is not None}})
        obs, reward, terminated, truncated, info = self._env.step(action)
        self._return += float(reward)
        self._calls += 1
        self._over = bool(terminated or truncated)
        text = str(obs.get("feedback", ""))
        if info.get("valid") and obs.get("review"):
            text += "\n" + str(obs["review"])
        return text

    # --- the tools (argument names as in scene_gym.actions.tools) ----------------------------------------------
    def init_room(self, room_type: RoomType, width: float | None = None, depth: float | None = None,
                  height: float = 2.8, door: bool = True, windows: int = 1) -> str:  # fmt: skip
        """Start a new, empty room of a type and size, with a door in the south wall and windows; removes every object.

        Args:
            room_type: the kind of room.
            width: size along x (west to east) in metres, 2 to 30; default typical for the room type.
            depth: size along y (south to north) in metres, 2 to 30; default typical for the room type.
            height: wall height in metres, 2.2 to 6.
            door: put a door in the south wall.
            windows: number of windows on the longest walls, 0 to 4.

        Returns:
            What the tool did and a review of the scene.
        """
        return self._call("init_room", {"room_type": room_type, "width": width, "depth": depth, "height": height,
                                        "door": door, "windows": windows})  # fmt: skip

    def init_layout(
        self, room_type: RoomType | None = None, optional: bool = True, replace: bool = True
    ) -> str:
        """Furnish the room with the essential furniture of its type, placed without collisions by a layout solver.

        Args:
            room_type: room type whose furniture to place; default the scene's room type.
            optional: also place the optional furniture of the type where it fits.
            replace: remove every object first.

        Returns:
            What the tool did (new ids are <category>_<n>, e.g. bed_1) and a review of the scene.
        """
        return self._call("init_layout", {"room_type": room_type, "optional": optional, "replace": replace})

    def add_objects(self, category: str, count: int = 1, size: list[float] | None = None, material: str | None = None,
                    parent: str | None = None, relations: list[dict] | None = None) -> str:  # fmt: skip
        """Add objects of one category; a layout solver places them in the room without collisions.

        Args:
            category: object category or a common name, e.g. 'sofa', 'couch', 'nightstand'.
            count: how many to add, 1 to 20.
            size: [width, depth, height] in metres within the category's size range; default the category's size.
            material: e.g. 'walnut wood' or 'grey fabric'.
            parent: id of the object to put the new ones on (small objects), e.g. 'desk_1'.
            relations: relations to satisfy, e.g. [{"relation": "next_to", "target": "bed_1"}]; leave out the subject.

        Returns:
            What the tool did (new ids continue the numbering) and a review of the scene.
        """
        return self._call("add_objects", {"category": category, "count": count, "size": size, "material": material,
                                          "parent": parent, "relations": relations})  # fmt: skip

    def define_object(self, name: str, program: dict, count: int = 1, size: list[float] | None = None,
                      material: str | None = None, parent: str | None = None) -> str:  # fmt: skip
        """Define an object the catalog lacks from a part-wise program and place it like add_objects.

        Args:
            name: what the object is called, e.g. 'pottery wheel'; later add_objects calls may use it as category.
            program: the object as parts (box, cylinder, cone, sphere, lathe, extrusion or a catalog asset) with
                transforms relative to their parent part, joints, support surfaces and a placement; metres, radians.
            count: how many to place, 0 to 20 (0 defines only).
            size: [width, depth, height] in metres, within half to twice the program's own size.
            material: e.g. 'walnut wood'; default the program's.
            parent: id of the object to put the new ones on.

        Returns:
            What the tool did and a review of the scene.
        """
        return self._call("define_object", {"name": name, "program": program, "count": count, "size": size,
                                            "material": material, "parent": parent})  # fmt: skip

    def add_crowd(self, receptacle: str, categories: list[str] | None = None, count: int | None = None,
                  density: float | None = None) -> str:  # fmt: skip
        """Fill one receptacle (table, desk, shelf, counter) with small objects on its support surfaces.

        Args:
            receptacle: id of the object whose surfaces to fill, e.g. 'bookshelf_1'.
            categories: small-object categories to choose from, e.g. ['book', 'vase']; default typical ones.
            count: how many objects, 1 to 64; give count or density.
            density: fraction of the surface area to cover, above 0 and at most 0.9; default 0.3.

        Returns:
            What the tool did and a review of the scene.
        """
        return self._call("add_crowd", {"receptacle": receptacle, "categories": categories, "count": count,
                                        "density": density})  # fmt: skip

    def add_relation(self, relation: dict, move: list[str] | None = None) -> str:
        """Require a spatial relation between objects and move its subject so that it holds.

        Args:
            relation: the relation, e.g. {"relation": "next_to", "subject": "nightstand_1", "target": "bed_1"}.
            move: ids the solver may move to satisfy it; default the relation's subject.

        Returns:
            What the tool did and a review of the scene.
        """
        return self._call("add_relation", {"relation": relation, "move": move})

    def update_layout(self, objects: list[dict]) -> str:
        """Move objects to new centres, or let the layout solver re-place them; what rests on them moves along.

        Args:
            objects: objects to move, e.g. [{"id": "sofa_1", "position": [2.0, 0.6]}, {"id": "chair_1"}] (metres).

        Returns:
            What the tool did and a review of the scene.
        """
        return self._call("update_layout", {"objects": objects})

    def update_rotation(self, id: str, yaw_deg: float | None = None, facing: Compass | None = None,
                        face_object: str | None = None) -> str:  # fmt: skip
        """Turn one object about its vertical axis: give yaw_deg, a compass side to face, or an object to face.

        Args:
            id: the object to turn, e.g. 'sofa_1'.
            yaw_deg: absolute yaw in degrees, counter-clockwise; 0 faces north, 90 west, 180 south, -90 east.
            facing: make its front face this compass side.
            face_object: make its front face this object.

        Returns:
            What the tool did and a review of the scene.
        """
        return self._call("update_rotation", {"id": id, "yaw_deg": yaw_deg, "facing": facing,
                                              "face_object": face_object})  # fmt: skip

    def update_size(self, id: str, size: list[float] | None = None, scale: float | None = None) -> str:
        """Resize one object within its category's size range, to a size or by a scale factor.

        Args:
            id: the object to resize, e.g. 'bed_1'.
            size: new [width, depth, height] in metres.
            scale: multiply every dimension by this factor, above 0 and at most 10.

        Returns:
            What the tool did and a review of the scene.
        """
        return self._call("update_size", {"id": id, "size": size, "scale": scale})

    def remove_objects(self, ids: list[str]) -> str:
        """Remove objects by id; everything resting on them is removed too.

        Args:
            ids: ids of the objects to remove, e.g. ['chair_2'].

        Returns:
            What the tool did and a review of the scene.
        """
        return self._call("remove_objects", {"ids": ids})

    def optimize_physics(
        self, rounds: int = 4, max_shift: float = 0.5, replace: bool = True, drop: bool = True
    ) -> str:
        """Fix physics: support heights, objects outside the room, collisions; removes what cannot be fixed.

        Args:
            rounds: rounds of pushing colliding objects apart, 1 to 20.
            max_shift: largest push of one object per round in metres, 0 to 3.
            replace: let the layout solver re-place objects a push cannot fix.
            drop: remove objects that still cannot be fixed.

        Returns:
            What the tool did and a review of the scene.
        """
        return self._call("optimize_physics", {"rounds": rounds, "max_shift": max_shift, "replace": replace,
                                               "drop": drop})  # fmt: skip

    def terminate(self, reason: str | None = None) -> str:
        """Finish: the scene is complete; ends the episode.

        Args:
            reason: why the scene is finished (optional).

        Returns:
            The final review.
        """
        return self._call("terminate", {"reason": reason})

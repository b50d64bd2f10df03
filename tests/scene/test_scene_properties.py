"""Property-based tests: arbitrary JSON never crashes the loader with anything but SceneValidationError."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.errors import SceneValidationError
from scene_gym.scene import Room, Scene

json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)

BASE = json.loads(Scene(Room.rectangle(4, 4)).to_json())
OBJECT = {"id": "desk_1", "category": "desk", "position": [1.0, 1.0, 0.0], "size": [1.0, 0.5, 0.7]}


@given(json_values)
@settings(max_examples=200, deadline=None)
def test_arbitrary_json_values_raise_only_our_error(value):
    try:
        Scene.from_dict(value)
    except SceneValidationError:
        pass


@given(st.sampled_from(sorted(OBJECT) + ["yaw", "parent", "joints", "params", "seed"]), json_values)
@settings(max_examples=300, deadline=None)
def test_corrupted_object_fields_raise_only_our_error(field, value):
    data = {**BASE, "objects": [{**OBJECT, field: value}]}
    try:
        scene = Scene.from_dict(data)
    except SceneValidationError:
        return
    # Whatever was accepted must serialise and reload identically.
    assert Scene.from_json(scene.to_json()).to_json() == scene.to_json()


@given(st.binary(max_size=200))
@settings(max_examples=100, deadline=None)
def test_garbage_bytes_raise_only_our_error(raw):
    try:
        Scene.from_json(raw)
    except SceneValidationError:
        pass

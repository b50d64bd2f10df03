"""Scene as Blender code (SceneCraft): a standalone Python script that rebuilds a scene in ``bpy`` and renders it.

The generated script is fixed code plus one JSON literal. The fixed code is the module
:mod:`scene_gym.export.blender_runtime`, a real (linted) Python file that imports ``bpy`` at its top and that
scene_gym never imports: :func:`blender_script` reads it as text (``importlib.resources``) and puts the JSON
literal in place of its ``SCENE_JSON = "{}"`` line. Everything that comes from a scene -- object ids,
categories, material descriptions, the prompt, numbers -- lives only inside that JSON, which the script reads
with ``json.loads``; no scene string is ever pasted into code, so a prompt such as
``"\\nimport os; os.system(...)"`` stays a string. The script:

1. clears Blender's scene (factory settings, empty);
2. builds the floor slab and the wall boxes (walls between the camera and the room are hidden from the camera
   only, so they still cast shadows: a cut-away view);
3. builds every object part by part -- boxes, cylinders and spheres as bmesh primitives, generated meshes from
   their vertex and face lists -- at ``object.transform() @ part pose`` with the object's joint states applied,
   one collection per object named by its id;
4. adds one Principled BSDF material per distinct resolved material (base colour, roughness, metallic; alpha
   for glass; emission for light emitters), the scene's point/area/sun lights, a world background and a
   pinhole camera high above a room corner that sees the whole room;
5. renders with Cycles on the CPU to a PNG.

Run it with a Python that has ``bpy`` (``pip install 'scene-gym[blender]'``) or with Blender itself::

    python scene_blender.py --out scene.png --res 640 480 --samples 16
    blender -b -P scene_blender.py -- --out scene.png
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from scene_gym.assets import Material, resolve_material
from scene_gym.errors import ExportError
from scene_gym.export.files import write_file
from scene_gym.export.mesh import floor_slab, object_parts, wall_boxes
from scene_gym.scene.geometry import look_at_pose

#: Version tag of the JSON the generated script reads.
DATA_FORMAT = "scene-gym/blender@1"
#: Horizontal field of view the camera is fitted with at the default aspect, radians.
CAMERA_FOV = math.radians(55.0)
#: Camera elevation above the horizon, radians.
CAMERA_ELEVATION = math.radians(48.0)
#: Emission strength given to the "light emitter" material (lamp shades, bulbs), W/m².
EMITTER_STRENGTH = 8.0
_DIGITS = 6
#: The line of :mod:`scene_gym.export.blender_runtime` that the scene's JSON literal replaces.
_JSON_LINE_START = 'SCENE_JSON = "{}"'



def _r(values) -> list:
    """Nested lists of floats rounded for the JSON (micrometre precision keeps the script small)."""
    return np.round(np.asarray(values, dtype=float), _DIGITS).tolist()


class _Materials:
    """Distinct resolved materials in order of first use, as JSON specs; ``index`` returns the list index."""

    def __init__(self):
        self.specs: list[dict] = []
        self._index: dict[Material, int] = {}

    def index(self, description: str) -> int:
        mat = resolve_material(description)
        if mat not in self._index:
            self._index[mat] = len(self.specs)
            self.specs.append({
                "name": mat.name,
                "base_color": [round(float(c), 4) for c in mat.rgba],
                "roughness": float(mat.roughness),
                "metallic": float(mat.metalness),
                "emission": EMITTER_STRENGTH if mat.name == "light emitter" else 0.0,
            })  # fmt: skip
        return self._index[mat]


def _fit_points(scene) -> np.ndarray:
    """(N, 3) points the camera must see: the floor polygon at floor and wall-top height, object box corners."""
    poly = scene.room.polygon
    pts = [np.column_stack([poly, np.full(len(poly), z)]) for z in (0.0, scene.room.wall_height)]
    for obj in scene.objects:
        corners = obj.footprint()
        for z in (obj.position[2], obj.top):
            pts.append(np.column_stack([corners, np.full(4, z)]))
    return np.vstack(pts)


def project(points: np.ndarray, location, target) -> np.ndarray:
    """Pinhole projection of (N, 3) points as (N, 2) half-angle tangents (x right, y down) for a camera at
    ``location`` looking at ``target`` with +Z up; points behind the camera give inf."""
    cam = np.asarray(points, float) - np.asarray(location, float)
    cam = cam @ look_at_pose(location, target)[:3, :3]  # OpenCV camera frame: x right, y down, z forward
    with np.errstate(divide="ignore", invalid="ignore"):
        out = cam[:, :2] / cam[:, 2:3]
    out[cam[:, 2] <= 1e-6] = np.inf
    return out


def camera_spec(scene, aspect: float = 4 / 3) -> dict:
    """A pinhole camera above the room's south-west corner looking at its middle, far enough back that every
    point of :func:`_fit_points` lies within :data:`CAMERA_FOV` (horizontal) at image aspect ``aspect``.

    Returns location and target (3,) and ``tan_x``/``tan_y``, the largest half-angle tangents the points need,
    from which the script sets the lens for the actual image size.
    """
    pts = _fit_points(scene)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    target = np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, scene.room.wall_height * 0.35])
    horizontal = np.array([lo[0], lo[1]]) - target[:2]
    horizontal = horizontal / max(np.linalg.norm(horizontal), 1e-9)
    view = np.array([*(horizontal * math.cos(CAMERA_ELEVATION)), math.sin(CAMERA_ELEVATION)])
    tan_x = math.tan(CAMERA_FOV / 2)
    tan_y = tan_x / aspect

    def fits(distance: float) -> bool:
        t = np.abs(project(pts, target + view * distance, target))
        return bool((t[:, 0] <= tan_x).all() and (t[:, 1] <= tan_y).all())

    near, far = 0.1, 10.0 * float(np.linalg.norm(hi - lo)) + 10.0
    if not fits(far):
        raise ExportError(f"cannot fit a camera around the room (extent {np.round(hi - lo, 2).tolist()} m)")
    for _ in range(40):  # bisection: farther away always fits once the points are in front of the camera
        mid = (near + far) / 2
        near, far = (near, mid) if fits(mid) else (mid, far)
    location = target + view * far
    t = np.abs(project(pts, location, target))
    return {"location": _r(location), "target": _r(target), "tan_x": float(t[:, 0].max()),
            "tan_y": float(t[:, 1].max()), "margin": 1.04}  # fmt: skip


def scene_data(scene, *, render_path: str = "scene.png", resolution=(640, 480), samples: int = 16,
               camera: dict | None = None) -> dict:
    """The JSON-ready description the generated script rebuilds (see the module docstring); ``camera`` as in
    :func:`blender_script`."""
    width, height = (int(v) for v in resolution)
    if width < 1 or height < 1 or int(samples) < 1:
        raise ExportError(f"expected positive resolution and samples, got {resolution!r} and {samples!r}")
    materials = _Materials()
    room = scene.room
    if camera is None:
        camera = camera_spec(scene, width / height)
        cam_xy = np.asarray(camera["location"][:2])
    else:
        camera = _imposed_camera(camera)
        cam_xy = np.asarray(camera["cam_to_world_gl"])[:2, 3]
    slab = floor_slab(room)
    walls = []
    for box in wall_boxes(room):
        a, _ = room.wall(box.wall)
        outward = -room.wall_normal(box.wall)
        walls.append({"wall": box.wall, "center": _r(box.center), "size": _r(box.size), "yaw": box.yaw,
                      "hide_from_camera": bool(np.dot(cam_xy - a, outward) > 0)})  # fmt: skip
    objects = []
    for obj in scene.objects:
        pose = obj.transform()
        parts = []
        for part, transform in object_parts(obj):
            spec = {"name": part.name, "shape": part.shape, "size": _r(part.size), "matrix": _r(pose @ transform),
                    "material": materials.index(part.material), "bevel": float(part.bevel)}  # fmt: skip
            if part.shape == "mesh":
                spec["vertices"] = _r(part.mesh.vertices)
                spec["faces"] = part.mesh.faces.tolist()
            parts.append(spec)
        objects.append({"id": obj.id, "category": obj.category, "material": obj.material, "parts": parts})
    return {
        "format": DATA_FORMAT,
        "prompt": scene.prompt,
        "render": {"path": str(render_path), "resolution": [width, height], "samples": int(samples)},
        "room": {
            "type": room.type,
            "floor": {"vertices": _r(slab.vertices), "faces": slab.faces.tolist()},
            "floor_material": materials.index(room.floor_material),
            "wall_material": materials.index(room.wall_material),
            "walls": walls,
        },
        "objects": objects,
        "lights": [
            {"id": light.id, "kind": light.kind, "position": list(light.position),
             "direction": list(light.direction), "intensity": light.intensity, "color": list(light.color),
             "size": light.size}
            for light in scene.lights
        ],  # fmt: skip
        "materials": materials.specs,
        "camera": camera,
        "world": {"color": [0.78, 0.82, 0.88], "strength": 0.6},
    }


@lru_cache(maxsize=1)
def _runtime_source() -> str:
    """The text of :mod:`scene_gym.export.blender_runtime` (read, never imported: it needs ``bpy``)."""
    text = resources.files("scene_gym.export").joinpath("blender_runtime.py").read_text(encoding="utf-8")
    if text.count(_JSON_LINE_START) != 1:
        raise ExportError(f"expected one {_JSON_LINE_START!r} line in scene_gym/export/blender_runtime.py, "
                          f"got {text.count(_JSON_LINE_START)}; the installed package is damaged")  # fmt: skip
    return text


def _json_literal(data: dict, width: int = 100) -> str:
    """A parenthesised run of Python string literals (``repr`` of ASCII JSON chunks) that concatenate to the
    JSON text: valid Python whatever characters the data holds."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    chunks = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    return "(\n" + "".join(f"    {chunk!r}\n" for chunk in chunks) + ")"


def _imposed_camera(camera: dict) -> dict:
    """Validate a :meth:`scene_gym.render.camera.Camera.to_dict` camera for the script."""
    try:
        spec = {"type": str(camera["type"]), "width": int(camera["width"]), "height": int(camera["height"]),
                **{k: float(camera[k]) for k in ("fx", "fy", "cx", "cy", "near", "far")},
                "cam_to_world_gl": _r(np.asarray(camera["cam_to_world_gl"], dtype=float).reshape(4, 4))}  # fmt: skip
    except (KeyError, TypeError, ValueError) as err:
        raise ExportError(f"expected a camera dict from scene_gym.render.Camera.to_dict(), got error {err}") from None
    if spec["type"] not in ("perspective", "orthographic"):
        raise ExportError(f"expected a perspective or orthographic camera, got {spec['type']!r}")
    return spec


def blender_script(scene, *, render_path: str = "scene.png", resolution=(640, 480), samples: int = 16,
                   camera: dict | None = None) -> str:
    """A standalone Python script that rebuilds ``scene`` in ``bpy`` and renders it (see the module docstring).

    ``render_path``, ``resolution`` (width, height) and ``samples`` are the script's defaults; its command line
    (``--out``, ``--res W H``, ``--samples``) overrides them. ``camera`` (optional) replaces the default camera:
    a :meth:`scene_gym.render.camera.Camera.to_dict` dict -- ``type`` (perspective or orthographic), pixel
    intrinsics ``fx, fy, cx, cy`` for a ``width`` x ``height`` image, ``near``, ``far`` and ``cam_to_world_gl``,
    the (4, 4) camera-to-world pose in the OpenGL/Blender camera convention (+y up, looking along -z).
    """
    data = scene_data(scene, render_path=render_path, resolution=resolution, samples=samples, camera=camera)
    head, _, tail = _runtime_source().partition(_JSON_LINE_START)
    tail = tail.partition("\n")[2]  # the rest of the placeholder line (its comment) goes too
    return head + "SCENE_JSON = " + _json_literal(data) + "\n" + tail


def write(scene, out_dir: Path) -> list[Path]:
    """Write ``out_dir/scene_blender.py``; returns ``[path]``."""
    return [write_file(Path(out_dir) / "scene_blender.py", blender_script(scene))]


__all__ = ["blender_script", "camera_spec", "project", "scene_data", "write"]

"""Office and classroom furniture: meeting tables, reception, student and teacher desks, filing cabinets and
whiteboards.

Desks face the person who sits at them: their drawers open towards +Y.
"""

from __future__ import annotations

from scene_gym.assets.factory import AssetFactory, register
from scene_gym.assets.library.blocks import DRAWER_HANDLE_REACH, drawer_stack, four_legs, open_box
from scene_gym.assets.params import int_param


@register
class MeetingTable(AssetFactory):
    category = "meeting_table"
    synonyms = ("conference table", "boardroom table", "long table", "office table")
    description = "A long conference table top on panel legs with broad feet and a cable tray underneath."
    size_range = ((1.8, 0.9, 0.72), (5.0, 1.6, 0.78))
    default_size = (2.8, 1.2, 0.75)
    default_material = "walnut wood"
    rooms = ("meeting room", "office", "classroom", "bookstore")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        top, foot_t, panel = 0.035, 0.03, 0.05
        b.box("top", (0, 0, h - top / 2), (w, d, top), bevel=0.005)
        n = 2 if w < 3.2 else 3
        xs = [(-1 + 2 * i / (n - 1)) * (w / 2 - 0.35) for i in range(n)]
        for i, x in enumerate(xs):
            b.box(f"foot_{i}", (x, 0, foot_t / 2), (0.08, d * 0.8, foot_t), "black metal")
            b.box(f"leg_{i}", (x, 0, (foot_t + h - top) / 2), (panel, d * 0.45, h - top - foot_t), "black metal")
        b.box("cable_tray", (0, 0, h - top - 0.06), (xs[-1] - xs[0] - panel, 0.2, 0.12), "black metal")
        b.surface("top", (0, 0, h), (w - 0.04, d - 0.04))


@register
class ReceptionDesk(AssetFactory):
    category = "reception_desk"
    synonyms = ("front desk", "reception counter", "check-in desk", "service counter", "concierge desk")
    description = "A desk with a raised front counter for visitors and a lower work surface behind it."
    size_range = ((1.4, 0.7, 1.0), (3.0, 1.0, 1.15))
    default_size = (2.0, 0.8, 1.08)
    default_material = "white lacquer"
    rooms = ("waiting room", "office", "medical examination room", "bookstore", "restaurant", "gym")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        front_t, ledge_t, ledge_d, side_t = 0.04, 0.03, 0.3, 0.04
        work_h, work_t = 0.75, 0.03
        # The visitors' side is the front: a full-height panel under a counter that overhangs the work top.
        b.box("front_panel", (0, d / 2 - front_t / 2, (h - ledge_t) / 2), (w, front_t, h - ledge_t))
        b.box("counter", (0, d / 2 - ledge_d / 2, h - ledge_t / 2), (w, ledge_d, ledge_t), "white marble")
        y0, y1 = -d / 2, d / 2 - front_t
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"side_{side}", (sx * (w / 2 - side_t / 2), (y0 + y1) / 2, work_h / 2), (side_t, y1 - y0, work_h))
        b.box("work_top", (0, (y0 + y1) / 2, work_h - work_t / 2), (w - 2 * side_t, y1 - y0, work_t), "oak wood")
        b.surface("counter", (0, d / 2 - ledge_d / 2, h), (w - 0.04, ledge_d - 0.04))
        b.surface("work_top", (0, (y0 + y1) / 2, work_h), (w - 2 * side_t - 0.04, y1 - y0 - 0.04),
                  clearance=h - ledge_t - work_h)  # fmt: skip


@register
class StudentDesk(AssetFactory):
    category = "student_desk"
    synonyms = ("school desk", "classroom desk", "pupil desk", "study table")
    description = "A single classroom desk: a laminate top on a steel frame with a book rack underneath."
    size_range = ((0.6, 0.45, 0.6), (1.2, 0.65, 0.78))
    default_size = (0.7, 0.5, 0.72)
    default_material = "birch plywood"
    rooms = ("classroom", "children room", "bedroom", "bookstore")

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        top, tube = 0.025, 0.025
        b.box("top", (0, 0, h - top / 2), (w, d, top), bevel=0.004)
        four_legs(b, h - top, tube, inset=0.02, material="black metal")
        x_in = w / 2 - 0.02 - tube
        b.box("foot_rail", (0, -d / 2 + 0.02 + tube / 2, 0.15), (2 * x_in, 0.02, 0.02), "black metal")
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"side_rail_{side}", (sx * (x_in + tube / 2), 0, h - top - 0.04), (0.02, d - 0.04 - 2 * tube, 0.04),
                  "black metal")  # fmt: skip
        rack_z, rack_h, t = h - top - 0.14, 0.11, 0.012
        rw, rd = 2 * x_in - 0.004, d - 0.12
        yc = -0.03
        b.box("rack_bottom", (0, yc, rack_z + t / 2), (rw, rd, t), "black metal")
        b.box("rack_back", (0, yc - rd / 2 + t / 2, rack_z + rack_h / 2), (rw, t, rack_h), "black metal")
        b.surface("top", (0, 0, h), (w - 0.02, d - 0.02))
        b.surface("book_rack", (0, yc + t / 2, rack_z + t), (rw - 0.02, rd - t - 0.01), clearance=h - top - rack_z - t)


@register
class TeacherDesk(AssetFactory):
    category = "teacher_desk"
    synonyms = ("teacher's desk", "pedestal desk", "executive desk", "instructor desk")
    description = "A sturdy desk with a three-drawer pedestal on one side and a modesty panel at the back."
    size_range = ((1.2, 0.65, 0.72), (1.8, 0.85, 0.78))
    default_size = (1.4, 0.7, 0.75)
    default_material = "oak wood"
    rooms = ("classroom", "office", "bookstore")
    articulated = True
    params = {"n_drawers": int_param(3, 1, 5, "drawers in the pedestal")}

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        top, panel = 0.03, 0.02
        yf = d / 2 - DRAWER_HANDLE_REACH
        b.box("top", (0, 0, h - top / 2), (w, d, top), bevel=0.004)
        pw = min(0.45, w * 0.35)
        x0 = w / 2 - pw
        open_box(b, "pedestal_", x0, w / 2, -d / 2, yf, 0.0, h - top, panel, top=False)
        drawer_stack(b, "drawer_", x0 + pw / 2, pw - 2 * panel, panel + 0.04, h - top, params["n_drawers"],
                     d - 0.1, y_front=yf)  # fmt: skip
        b.box("plinth", (x0 + pw / 2, yf - 0.01, panel + 0.019), (pw - 2 * panel, 0.02, 0.038))
        b.box("side_left", (-w / 2 + panel / 2, -0.02, (h - top) / 2), (panel, d - 0.08, h - top))
        xl = -w / 2 + panel
        b.box("modesty_panel", ((xl + x0) / 2, -d / 2 + 0.05, h - top - 0.2), (x0 - xl, panel, 0.4))
        b.surface("top", (0, 0, h), (w - 0.02, d - 0.02))


@register
class FilingCabinet(AssetFactory):
    category = "filing_cabinet"
    synonyms = ("file cabinet", "file drawer", "document cabinet", "office cabinet")
    description = "A steel cabinet of deep drawers for hanging files."
    size_range = ((0.38, 0.45, 0.7), (0.5, 0.72, 1.35))
    default_size = (0.46, 0.62, 1.32)
    default_material = "grey sheet steel"
    rooms = ("office", "classroom", "medical examination room", "meeting room", "bookstore")
    articulated = True
    params = {"n_drawers": int_param(0, 0, 6, "drawers; 0: one per 32 cm of height, 2 to 5")}

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        n = params["n_drawers"] or max(2, min(5, round(h / 0.32)))
        panel = 0.012
        yf = d / 2 - DRAWER_HANDLE_REACH
        open_box(b, "", -w / 2, w / 2, -d / 2, yf, 0.0, h, panel)
        b.box("kick_plate", (0, yf - 0.01, panel + 0.025), (w - 2 * panel, 0.02, 0.05))
        drawer_stack(b, "drawer_", 0.0, w - 2 * panel, panel + 0.05, h - panel, n, d - 0.08, y_front=yf)
        b.surface("top", (0, (yf - d / 2) / 2, h), (w - 0.02, yf + d / 2 - 0.02))


@register
class Whiteboard(AssetFactory):
    category = "whiteboard"
    synonyms = ("white board", "dry erase board", "marker board", "blackboard", "chalkboard")
    description = "A wall-mounted white writing board in an aluminium frame with a marker tray."
    size_range = ((0.9, 0.04, 0.6), (2.4, 0.1, 1.2))
    default_size = (1.8, 0.06, 1.2)
    default_material = "white lacquer"
    rooms = ("classroom", "meeting room", "office", "children room")
    placement = "wall"

    def build(self, b, params):
        w, d, h = b.w, b.d, b.h
        board_t, frame = 0.015, 0.025
        y_board = -d / 2 + board_t / 2
        b.box("board", (0, y_board, h / 2), (w - 2 * frame, board_t, h - 2 * frame))
        fy = -d / 2 + 0.0125
        for side, sx in (("left", -1), ("right", 1)):
            b.box(f"frame_{side}", (sx * (w / 2 - frame / 2), fy, h / 2), (frame, 0.025, h), "aluminium")
        b.box("frame_top", (0, fy, h - frame / 2), (w - 2 * frame, 0.025, frame), "aluminium")
        b.box("frame_bottom", (0, fy, frame / 2), (w - 2 * frame, 0.025, frame), "aluminium")
        tray_d = d - 0.025
        b.box("tray", (0, d / 2 - tray_d / 2, frame / 2), (w * 0.6, tray_d, frame), "aluminium")
        b.surface("tray", (0, d / 2 - tray_d / 2, frame), (w * 0.6 - 0.02, tray_d - 0.005), clearance=h - frame)

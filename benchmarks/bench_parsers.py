"""Speed of every model-output parser on adversarial text: each must be linear in the text up to its cap.

Usage: python benchmarks/bench_parsers.py [--sizes 1,4,16,64] [--repeat 5] [--timeout 20] [--json PATH]
                                          [--against /path/to/other/checkout] [--only SUBSTRING ...]

Cases (issue 13): per parser, the inputs that were quadratic or crashed, and one benign input of the same size:

- ``parse_program``: ``add(`` + ``+``... + ``1)``, ``at=(`` + ``-``... + ``1, 1)``, a long integer literal,
  a benign program (60 statements, the rest comments).
- ``extract_dsl``: unclosed fences, each holding an unfinished call; a benign chatty answer with a fence.
- ``parse_points``: ``<point `` + ``a``... + ``>x</point>``, an attribute name ``x`` + digits, many opening tags
  before one closing tag; benign: many point tags.
- ``parse_tool_calls``: ``<tool_call>x`` + spaces + ``y``; benign: prose and a fenced call list.
- ``parse_trajectory``: a code fence around a list padded with newlines; benign: a list with long strings.
- ``parse_grades``: ``\\`\\`\\``` + spaces, a grade string ``"1`` + spaces + ``x"``, ``{"a": [[[...]]]}``; benign:
  a fenced answer with a long reason.
- ``APIPolicy.reply``, ``VLMJudge._answer_text``: a reply whose content parts alternate null and text.

For each case and size (KiB of characters, 1,024 each, plus ``cap``: the length of the parser's cap today) the
input is parsed ``--repeat`` times (fewer once a size has used 3 s) and the median is reported, with the outcome
(``ok``, the error's class, ``refused`` for the size cap; a class marked ``!`` is not a SceneGymError, i.e. a
crash) and ``64/16``, the ratio of the 64 KiB median to the 16 KiB one: about 4 when linear, about 16 when
quadratic. Target: 64 KiB of adversarial text under 100 ms per parser (or refused by the cap).

Every case runs in its own interpreter with ``PYTHONPATH`` set to the checkout under test (this one, and the one
given by ``--against``, e.g. ``/work/main`` for the code before the fix); a size that runs past ``--timeout``
seconds is killed and the larger sizes of that case are skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRADES_TAIL = '", "functionality": 1, "layout": 1, "completeness": 1}'
CALL = '{"tool": "add_objects", "args": {"category": "chair", "count": 2}}'


def _fill(head: str, unit: str, tail: str, n: int) -> str:
    """``head`` + ``unit`` repeated + ``tail``, ``n`` characters long (the repeat cut to fit)."""
    k = max(0, n - len(head) - len(tail))
    return head + (unit * (k // len(unit) + 1))[:k] + tail


def _dsl_benign(n: int) -> str:
    program = "".join(f'add("sofa", at=({i % 9 + 0.5:.1f}, 0.6), facing="north")\n' for i in range(60))
    return _fill(program, "# a comment line about the plan for the room\n", "done()\n", n)


def _reply(n: int) -> dict:
    parts = _fill("", "N" + "x" * 9, "", n // 10)  # about n characters of text, one part in ten null
    content = [{"type": "text", "text": None} if c == "N" else {"type": "text", "text": "some text "} for c in parts]
    return {"choices": [{"message": {"role": "assistant", "content": content}}]}


#: name -> (module, callable path, input builder, cap in characters today or None)
CASES: dict[str, tuple[str, str, object, int | None]] = {
    "dsl: add(+++...1)": ("scene_gym.actions.dsl", "parse_program", lambda n: _fill("add(", "+", "1)", n), 20_000),
    "dsl: at=(---...1, 1)": ("scene_gym.actions.dsl", "parse_program",
                             lambda n: _fill('add("sofa", at=(', "-", "1, 1))", n), 20_000),
    "dsl: yaw=999...": ("scene_gym.actions.dsl", "parse_program", lambda n: _fill('add("sofa", yaw=', "9", ")", n),
                        20_000),
    "dsl: benign": ("scene_gym.actions.dsl", "parse_program", _dsl_benign, 20_000),
    "extract_dsl: ```add( fences": ("scene_gym.agents.parsing", "extract_dsl",
                                    lambda n: _fill("", "```python\nadd(\n", "", n), 20_000),
    "extract_dsl: benign": ("scene_gym.agents.parsing", "extract_dsl",
                            lambda n: _fill("Here is my plan. ", "I will add a sofa. ",
                                            '\n```python\nadd("sofa", at=(2.0, 0.6), facing="north")\n```\n', n),
                            20_000),
    "points: <point aaa...>": ("scene_gym.actions.points", "parse_points",
                               lambda n: _fill("<point ", "a", ">x</point>", n), 20_000),
    "points: x111...= name": ("scene_gym.actions.points", "parse_points",
                              lambda n: _fill("<point x", "1", '="1" y="2">a</point>', n), 20_000),
    "points: many <point> opens": ("scene_gym.actions.points", "parse_points",
                                   lambda n: _fill("", '<point x="1" y="1">', "a</point>", n), 20_000),
    "points: benign": ("scene_gym.actions.points", "parse_points",
                       lambda n: _fill("", '<point x="12.5" y="40" alt="mug">a mug</point> ', "", n), 20_000),
    "tool_calls: <tool_call>x   y": ("scene_gym.agents.parsing", "parse_tool_calls",
                                     lambda n: _fill("<tool_call>x", " ", "y", n), 100_000),
    "tool_calls: benign": ("scene_gym.agents.parsing", "parse_tool_calls",
                           lambda n: _fill("", "Let me think about the room. ",
                                           "\n```json\n[" + ", ".join([CALL] * 10) + "]\n```\n", n), 100_000),
    "trajectory: ```json fence + newlines": ("scene_gym.actions.tools", "parse_trajectory",
                                             lambda n: _fill("```json\n[", "\n", "]\n```", n), 100_000),
    "trajectory: benign": ("scene_gym.actions.tools", "parse_trajectory",
                           lambda n: _fill('[{"tool": "init_room", "args": {"room_type": "', "bedroom ",
                                           '"}}, ' + CALL + "]", n), 100_000),
    "grades: ``` + spaces": ("scene_gym.rewards.vlm_judge", "parse_grades", lambda n: _fill("```", " ", "", n),
                             200_000),
    'grades: "1   x" grade': ("scene_gym.rewards.vlm_judge", "parse_grades",
                              lambda n: _fill('{"realism": "1', " ", "x" + GRADES_TAIL, n), 200_000),
    "grades: {[[[...]]]}": ("scene_gym.rewards.vlm_judge", "parse_grades",
                            lambda n: '{"a": ' + "[" * ((n - 7) // 2) + "]" * ((n - 7) // 2) + "}", 200_000),
    "grades: benign": ("scene_gym.rewards.vlm_judge", "parse_grades",
                       lambda n: _fill('```json\n{"realism": 7, "reason": "', "well placed ", GRADES_TAIL + "\n```",
                                       n), 200_000),
    "APIPolicy.reply: null parts": ("scene_gym.agents.api", "APIPolicy.reply", _reply, None),
    "VLMJudge._answer_text: null parts": ("scene_gym.rewards.vlm_judge", "VLMJudge._answer_text", _reply, None),
}  # fmt: skip


# --- the worker: one case, in the interpreter of the checkout under test ---------------------------------------
def _target(module: str, path: str):
    import importlib

    obj = importlib.import_module(module)
    owner_name, _, attr = path.rpartition(".")
    if owner_name == "APIPolicy":  # a method: call it on a bare instance (it reads no attribute)
        cls = getattr(obj, owner_name)
        return getattr(cls.__new__(cls), attr)
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _outcome(err: BaseException | None, n: int) -> str:
    """``ok``; ``refused`` (the size cap: the message names the input's length); the error's class, with ``!``
    when it is not a SceneGymError."""
    if err is None:
        return "ok"
    from scene_gym.errors import SceneGymError

    if isinstance(err, SceneGymError):
        return "refused" if "at most" in str(err) and f"got {n}" in str(err) else type(err).__name__
    return type(err).__name__ + "!"


def worker(case: str, sizes: list[int], repeat: int, budget_s: float = 3.0) -> None:
    """Print one JSON line per size: the median seconds, how many runs, the outcome."""
    module, path, build, _ = CASES[case]
    fn = _target(module, path)
    for n in sizes:
        text, times, err = build(n), [], None
        while len(times) < repeat and sum(times) < budget_s:
            t0 = time.perf_counter()
            try:
                fn(text)
                err = None
            except Exception as e:  # noqa: BLE001 - the outcome is what is measured
                err = e
            times.append(time.perf_counter() - t0)
        print(json.dumps({"n": n, "median_s": statistics.median(times), "runs": len(times),
                          "outcome": _outcome(err, len(text))}), flush=True)  # fmt: skip


# --- the driver ---------------------------------------------------------------------------------------------------
def run_case(root: Path, case: str, sizes: list[int], repeat: int, timeout_s: float) -> dict[int, dict]:
    """The worker's records by size for one checkout; a size past ``timeout_s`` is ``timeout`` and ends the case."""
    env = {**os.environ, "PYTHONPATH": str(root), "MUJOCO_GL": os.environ.get("MUJOCO_GL", "egl")}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", case, "--sizes", ",".join(map(str, sizes)),
           "--repeat", str(repeat)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=root)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    out: dict[int, dict] = {}
    deadline = time.monotonic() + timeout_s + 30.0  # the first size also pays for the imports
    for n in sizes:
        line = proc.stdout.readline() if sel.select(max(0.0, deadline - time.monotonic())) else ""
        if not line:
            proc.kill()
            out[n] = {"n": n, "outcome": "timeout" if proc.poll() is None or proc.returncode < 0 else "failed",
                      "median_s": None, "stderr": proc.stderr.read()[-800:] if proc.poll() is not None else ""}
            break
        out[n] = json.loads(line)
        deadline = time.monotonic() + timeout_s
    proc.kill()
    proc.wait()
    return out


def _cell(rec: dict | None) -> str:
    if rec is None:
        return "-"
    if rec["median_s"] is None:
        return rec["outcome"]
    ms = rec["median_s"] * 1000
    value = f"{ms:.3f} ms" if ms < 1 else f"{ms:.1f} ms" if ms < 1000 else f"{ms / 1000:.2f} s"
    return value if rec["outcome"] == "ok" else f"{value} {rec['outcome']}"


def table(results: dict[str, dict], labels: list[str], timeout_s: float) -> str:
    """A Markdown table: one row per case and checkout."""
    head = ["case", "code", *labels, "64/16"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case, by_code in results.items():
        for code, recs in by_code.items():
            cells = [_cell(recs.get(label)) for label in labels]
            r16, r64 = recs.get("16"), recs.get("64")
            ratio = "-"
            if r16 and r64 and r16["median_s"] and r64["median_s"] is not None:
                ratio = f"{r64['median_s'] / r16['median_s']:.1f}"
                ratio += " (cap)" if r64["outcome"] == "refused" else ""
            elif r16 and r16["median_s"] and (r64 is None or r64["median_s"] is None):
                ratio = f"> {timeout_s / r16['median_s']:.0f}"  # 64 KiB ran past the timeout (or was skipped)
            rows.append("| " + " | ".join([case, code, *cells, ratio]) + " |")
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4,16,64", help="sizes in KiB (default 1,4,16,64)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per size (default 5; median)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per size before it is killed")
    parser.add_argument("--against", type=Path, action="append", default=[], help="another checkout to run too")
    parser.add_argument("--only", nargs="*", default=None, help="cases whose name contains one of these")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    kib = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.worker:
        worker(args.worker, [int(s) for s in args.sizes.split(",")], args.repeat)
        return 0
    checkouts = {"this": ROOT, **{str(p): p.resolve() for p in args.against}}
    results: dict[str, dict] = {}
    for case, (_, _, _, cap) in CASES.items():
        if args.only and not any(o in case for o in args.only):
            continue
        sizes = [k * 1024 for k in kib] + ([cap] if cap else [])
        results[case] = {}
        for code, root in checkouts.items():
            by_n = run_case(root, case, sizes, args.repeat, args.timeout)
            recs = {str(k): by_n.get(k * 1024) for k in kib}
            if cap:
                recs["cap"] = by_n.get(cap)
            results[case][code] = {k: v for k, v in recs.items() if v is not None}
            print(f"{case} [{code}]: " + ", ".join(f"{k}={_cell(v)}" for k, v in recs.items()), flush=True)
    labels = [str(k) for k in kib] + ["cap"]
    print()
    print(table(results, labels, args.timeout))
    if args.json:
        caps = {case: c[3] for case, c in CASES.items()}
        args.json.write_text(json.dumps({"sizes_kib": kib, "repeat": args.repeat, "timeout_s": args.timeout,
                                         "checkouts": {k: str(v) for k, v in checkouts.items()}, "caps": caps,
                                         "results": results, "target_s_at_64kib": 0.1}, indent=2))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The entry page and the scene page (see :mod:`scene_gym.site.build`); every shown text is escaped
(:func:`scene_gym.site.pages.esc`) or travels in the JSON data block."""

from __future__ import annotations

import json
import shlex
from collections import defaultdict
from typing import Any

from scene_gym.benchmarks.views import ROOM_COLUMNS
from scene_gym.site.data import column_stats, finite
from scene_gym.site.pages import GRADES, badge, bar_chart, esc, kv_table, num, page, with_ci

MAX_SCENE_CARDS = 400


def _reproduce(entry: dict[str, Any], suite: str, prompt: str | None = None, seed: int | None = None) -> str:
    cmd = str(entry.get("reproduce") or "")
    extra = (
        ["--suite", suite]
        + (["--prompt", prompt] if prompt else [])
        + (["--seed", str(seed)] if seed is not None else [])
    )
    return (cmd + " " + shlex.join(extra)).strip()


def _links(links: Any) -> str:
    """Submission links: http(s) URLs as links that open only when clicked, anything else as text."""
    if not isinstance(links, list):
        return ""
    out = []
    for link in links[:10]:
        text = str(link)[:300]
        if text.startswith(("https://", "http://")):
            out.append(f'<a href="{esc(text)}" rel="noopener noreferrer nofollow">{esc(text)}</a>')
        else:
            out.append(esc(text))
    return "<br>".join(out)


def _provenance(se) -> str:
    src = se.source
    if src.provenance == "local":
        return f"<p>{badge('local')} run by whoever built this site, from <code>{esc(src.label)}</code>.</p>"
    md = src.metadata
    pairs = [
        (k, md.get(k)) for k in ("name", "model", "policy", "organisation", "date") if md.get(k) is not None
    ]
    links = _links(md.get("links"))
    text = {"verified": "a submission whose sampled scenes <code>scene-gym verify</code> reran within tolerance",
            "self-reported": "a submission; its numbers are the submitter's own (not rerun here)"}[src.provenance]  # fmt: skip
    ver = md.get("_verification") or {}
    extra = ""
    if ver:
        extra = kv_table([(k, ver.get(k)) for k in ("verified_at", "checked", "rerun", "tolerances", "package_version")
                          if k in ver])  # fmt: skip
    return (f"<p>{badge(src.provenance)} {text}.</p>{kv_table(pairs)}"
            f"{'<p>links:<br>' + links + '</p>' if links else ''}{extra}")  # fmt: skip


def _room_rows(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    by: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by[str(r.get("label") or r["prompt_id"])].append(r)
    return sorted(by.items())


def _room_table(rooms: list[tuple[str, list[dict]]], rows: list[dict]) -> str:
    keys = [k for k, _, _ in ROOM_COLUMNS]
    head = "".join(f"<th>{esc(h)}</th>" for h in ["Room type", "n"] + [c[1] for c in ROOM_COLUMNS])
    body = []
    for label, rs in [*rooms, ("all", rows)]:
        st = column_stats(rs, keys)
        cells = "".join(f"<td>{esc(num(st[k][0], d))}</td>" for k, _, d in ROOM_COLUMNS)
        body.append(f'<tr><td class="l">{esc(label)}</td><td>{len(rs)}</td>{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cards(views) -> str:
    cards = []
    for v in views[:MAX_SCENE_CARDS]:
        r = v.row
        img = (f'<img src="../{esc(v.thumb)}" alt="" loading="lazy">' if v.thumb
               else '<div style="width:150px;height:150px;background:#eee"></div>')  # fmt: skip
        q = f"Q {num(finite(r.get('q')))}" if r.get("status") == "ok" else esc(r.get("status"))
        cards.append(f'<div class="card"><a class="scene-link" href="../scenes/{esc(v.key)}.html">{img}</a>'
                     f"{esc(r.get('label') or r.get('prompt_id'))} &middot; seed {esc(r.get('seed'))} &middot; {q}</div>")  # fmt: skip
    more = (
        f"<p class='note'>{len(views) - MAX_SCENE_CARDS} more scenes not shown.</p>"
        if len(views) > MAX_SCENE_CARDS
        else ""
    )
    return f'<div class="grid">{"".join(cards)}</div>{more}'


def entry_page(se, suite: str, views, metrics: dict[str, tuple[str, str]]) -> str:
    """The page of one entry on one suite: provenance, configuration, reproduce command, per-room-type table and
    charts (Q and #Obj, mean with a 95 % interval), every metric of ``metrics`` (the store's columns), scenes."""
    e = se.entry
    rows = [r for r in se.rows if r["suite"] == suite]
    rooms = _room_rows(rows)
    config = json.dumps(e.get("config") or {}, sort_keys=True, default=str)
    pairs = [("policy", e.get("policy")), ("policy name", e.get("policy_name")), ("policy version", e.get("policy_version")),
             ("model path", e.get("model_path") or "-"), ("model hash", e.get("model_hash") or "-"), ("env", e.get("env")),
             ("reward", e.get("reward") or "(env default)"), ("judge", e.get("judge")), ("options", config),
             ("package version", e.get("package_version")), ("git commit", e.get("git_commit"))]  # fmt: skip
    stats = column_stats(rows, metrics)
    mrows = "".join(f'<tr><th class="l">{esc(k)}</th><td>{esc(with_ci(stats[k], 3))}</td>'
                    f'<td>{sum(finite(r.get(k)) is not None for r in rows)}</td><td class="l">{esc(desc)}</td></tr>'
                    for k, (_, desc) in metrics.items())  # fmt: skip
    charts = "".join(bar_chart([lab for lab, _ in rooms], [column_stats(rs, [k])[k] for _, rs in rooms],
                               f"{title} per room type (mean, 95 % interval)")
                     for k, title in (("q", "Q"), ("n_obj", "#Obj")))  # fmt: skip
    n_ok = sum(r["status"] == "ok" for r in rows)
    body = (f"<h2>{esc(e.get('name'))} on {esc(suite)}</h2>{_provenance(se)}"
            f"<p>{n_ok}/{len(rows)} scenes ok; Q {esc(with_ci(column_stats(rows, ['q'])['q']))} (95 % interval).</p>"
            f"<h3>Reproduce</h3><pre class='reproduce'>{esc(_reproduce(e, suite))}</pre>"
            f"<h3>Configuration</h3>{kv_table(pairs, code=('options',))}"
            f"<h3>Per room type</h3>{_room_table(rooms, rows)}{charts}"
            f"<h3>Every metric</h3><table class='metrics'><thead><tr><th class='l'>metric</th><th>mean &plusmn; 95 %"
            f"</th><th>n</th><th class='l'>meaning</th></tr></thead><tbody>{mrows}</tbody></table>"
            f"<h3>Scenes</h3>{_cards(views)}")  # fmt: skip
    return page(f"{e.get('name')} on {suite}", body, 1, {"page": "entry"})


def _built(view) -> str:
    sc = view.scene
    if sc is None:
        return "<p class='note'>no scene recorded</p>"
    counts = "".join(f"<tr><td class='l'>{esc(c)}</td><td>{n}</td></tr>" for c, n in sc["counts"])
    r = view.row
    rates = kv_table([("counts asked that were built", num(finite(r.get("count_rate")))),
                      ("attributes satisfied", num(finite(r.get("attr_rate")))),
                      ("relations satisfied", num(finite(r.get("rel_rate"))))])  # fmt: skip
    return (f"<div class='cols'><div><h3>Prompt</h3><pre class='prompt'>{esc(sc['prompt'])}</pre>{rates}</div>"
            f"<div><h3>What was built ({len(sc['objects'])} objects, {esc(sc['room'])})</h3><table class='built'>"
            f"<thead><tr><th class='l'>category</th><th>count</th></tr></thead><tbody>{counts}</tbody></table></div></div>")  # fmt: skip


def _trajectory(view) -> str:
    if not view.steps:
        return "<p class='note'>no per-step trajectory recorded for this scene</p>"
    return ("<div class='stepper'><button id='step-prev' type='button'>&larr; previous</button>"
            "<input id='step-range' type='range' min='0' value='0'><button id='step-next' type='button'>next &rarr;"
            "</button><span>step <b id='step-k'>0</b> of <span id='step-n'></span> &middot; reward <span id='step-reward'>"
            "</span> &middot; <span id='step-valid'></span> &middot; <span id='step-objects'></span> objects</span></div>"
            "<div class='cols'><div><h3>Action</h3><pre id='step-action'></pre><h3>Feedback</h3>"
            "<pre id='step-feedback'></pre></div><div><h3>Plan after the step</h3><div id='step-image'></div></div></div>")  # fmt: skip


def scene_page(
    view, entry_href: str, glb_ok: bool, has_viewer: bool, metrics: dict[str, tuple[str, str]]
) -> str:
    """The page of one scene: renders, metrics, judge grades, the prompt against what was built, the trajectory
    stepper and the 3D viewer (when its GLB was made and the viewer bundle was copied)."""
    r, e = view.row, view.entry
    title = (
        f"{r.get('label') or r.get('prompt_id')} seed {r.get('seed')} · {e.get('name')} on {r.get('suite')}"
    )
    renders = "".join(f"<figure><img class='render' src='{esc(src)}' alt='{esc(what)} render'><figcaption>"
                      f"{esc(what)}</figcaption></figure>" for what, src in view.renders) or "<p class='note'>no render</p>"  # fmt: skip
    grades = kv_table(
        [(g, num(finite(r.get(g)))) for g in GRADES] + [("Q_vis (mean grade)", num(finite(r.get("q_vis"))))]
    )
    judge = (r.get("details") or {}).get("judge") if isinstance(r.get("details"), dict) else None
    judge_html = (
        kv_table([(str(k)[:60], str(v)[:500]) for k, v in list(judge.items())[:30]])
        if isinstance(judge, dict)
        else ""
    )
    mvals = kv_table([(f"{k} ({desc})", num(finite(r.get(k)), 3)) for k, (_, desc) in metrics.items()])
    if not glb_ok:
        viewer = "<p class='note'>no 3D model for this scene</p>"
    elif not has_viewer:
        viewer = ("<p class='note'>3D viewer not installed when this site was built: run <code>npm ci</code> in the "
                  "scene-gym repository and build again.</p>")  # fmt: skip
    else:
        viewer = ("<model-viewer id='viewer' data-state='waiting' loading='eager' camera-controls shadow-intensity='0.6' "
                  "camera-orbit='35deg 40deg auto' interaction-prompt='none' alt='3D view of the scene'></model-viewer>"
                  "<p class='note'>Drag to turn the room, scroll to zoom.</p>")  # fmt: skip
    notes = "".join(f"<p class='note'>{esc(n)}</p>" for n in view.notes)
    error = f"<pre class='error'>{esc(r.get('error'))}</pre>" if r.get("error") else ""
    body = (f"<p><a href='{esc(entry_href)}'>&larr; {esc(e.get('name'))} on {esc(r.get('suite'))}</a> "
            f"{badge(view.provenance)}</p><h2>{esc(title)}</h2><p>status <b>{esc(r.get('status'))}</b></p>{error}{notes}"
            f"<h3>Reproduce this scene</h3><pre>{esc(_reproduce(e, str(r.get('suite')), str(r.get('prompt_id')), r.get('seed')))}</pre>"
            f"{_built(view)}<h3>3D view</h3>{viewer}<h3>Renders</h3><div class='grid'>{renders}</div>"
            f"<div class='cols'><div><h3>Judge grades (0-10)</h3>{grades}{judge_html}</div><div><h3>Metrics</h3>{mvals}</div></div>"
            f"<h3>Trajectory</h3>{_trajectory(view)}")  # fmt: skip
    scripts = []
    if glb_ok and has_viewer:
        scripts = ["vendor/model-viewer-umd.min.js", f"glb/{view.glb}.js"]
    return page(title, body, 1, {"page": "scene", "steps": view.steps}, scripts)

"""The static site built from a small database: its files, and what a hostile database cannot do to it."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3

import pytest

from scene_gym.cli import main
from scene_gym.site import db_source
from scene_gym.site.build import build_site

pytestmark = pytest.mark.xdist_group("site")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile_db(site_db, tmp_path_factory):
    """A copy of the database with script in names, a render path out of the folder and a linked scene."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copy(site_db, root / "lb.db")
    shutil.copytree(site_db.parent / "lb_artifacts", root / "lb_artifacts", symlinks=True)
    secret = root / "secret.json"
    secret.write_text('{"secret": "do not show"}')
    with sqlite3.connect(root / "lb.db") as db:
        db.execute("UPDATE entries SET name = ?, policy = ? WHERE id = 1", (HOSTILE, HOSTILE))
        db.execute("UPDATE results SET label = ?, render_path = '/etc/passwd' WHERE id = 1", (HOSTILE,))
        scene = db.execute("SELECT scene_path FROM results WHERE id = 2").fetchone()[0]
    os.replace(root / scene, root / (scene + ".orig"))
    os.symlink(secret, root / scene)
    return root / "lb.db"


def test_site_files(site_db, tmp_path):
    out = tmp_path / "site"
    assert main(["site", "--db", str(site_db), "--out", str(out)]) == 0
    index = (out / "index.html").read_text()
    assert 'id="site-data"' in index and "heuristic@2 scene" in index
    entries = sorted(p.name for p in (out / "entries").iterdir())
    assert len(entries) == 2 and all(e.endswith("-template.html") for e in entries)
    scenes = sorted((out / "scenes").glob("*.html"))
    assert len(scenes) == 4
    assert len(list((out / "glb").glob("*.js"))) == 4  # four different scenes
    assert len(list((out / "thumbs").glob("*.jpg"))) == 4
    assert (out / "vendor" / "model-viewer-umd.min.js").stat().st_size > 100_000
    page = scenes[0].read_text()
    for part in (
        "model-viewer",
        "step-next",
        "Judge grades",
        "What was built",
        "scene-gym benchmark --policy",
    ):
        assert part in page
    entry = (out / "entries" / entries[0]).read_text()
    assert '<svg class="chart"' in entry and "Every metric" in entry and "--suite template" in entry
    for href in re.findall(r'(?:href|src)="([^"]+)"', index + page + entry):  # every link stays in the folder
        assert not re.match(r"[a-z]+:", href) and not href.startswith("/"), href


def test_hostile_database_is_escaped_and_confined(hostile_db, tmp_path):
    report = build_site([db_source(hostile_db)], tmp_path / "site")
    text = "".join(p.read_text() for p in (tmp_path / "site").rglob("*.html"))
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text  # shown, as text
    assert "do not show" not in text  # the linked scene.json was not read
    assert "scene.json not shown" in text
    images = [p.read_bytes() for p in (tmp_path / "site" / "img").iterdir()]
    assert not any(b"root:" in b for b in images)  # /etc/passwd was not copied
    assert report.models == 3  # the linked scene has no model


def test_missing_viewer_says_how_to_get_it(site_db, tmp_path, capsys):
    assert (
        main(
            [
                "site",
                "--db",
                str(site_db),
                "--out",
                str(tmp_path / "s"),
                "--viewer",
                str(tmp_path / "none.js"),
            ]
        )
        == 0
    )
    assert "npm ci" in capsys.readouterr().err
    page = next((tmp_path / "s" / "scenes").glob("*.html")).read_text()
    assert "npm ci" in page and "<model-viewer" not in page

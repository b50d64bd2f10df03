"""The HTML report: static files that open in headless Chromium with the sortable table, charts and thumbnails."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from scene_gym.benchmarks.report import write_report
from scene_gym.benchmarks.runner import RunConfig, run_benchmark
from scene_gym.benchmarks.store import Store
from scene_gym.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    db = str(root / "lb.db")
    for policy in ("test:fast", "scripted"):
        run_benchmark(RunConfig(suite="template", policy=policy, prompts=("bedroom", "office", "gym"), seeds=2,
                                workers=2, db=db, progress=False))  # fmt: skip
    assert main(["leaderboard", "--db", db, "--format", "html", "--out", str(root / "site")]) == 0
    return root / "site"


def test_report_files(report):
    html = (report / "index.html").read_text()
    assert html.count('<tr class="entry">') == 2
    assert "test-fast@1 scene" in html and "scripted@1 scene" in html and "±" in html
    for header in ("CF %", "IB %", "Rel", "Pos", "Rot", "PSA"):  # the published protocols' columns
        assert f">{header}</th>" in html
    thumbs = sorted((report / "thumbs").glob("*.png"))
    assert len(thumbs) == 6  # one per room type per entry
    for t in thumbs:
        assert f'src="thumbs/{t.name}"' in html
    for chart in ("template_q.png", "template_n_obj.png"):
        img = np.asarray(Image.open(report / "charts" / chart).convert("RGB"))
        assert img.shape[0] > 200 and img.std() > 10
        assert f'src="charts/{chart}"' in html


def test_report_is_rewritten_without_stale_thumbnails(report, tmp_path):
    (report / "thumbs" / "stale.png").write_bytes(b"x")
    with Store(report.parent / "lb.db") as s:
        write_report(s, report)
    assert not (report / "thumbs" / "stale.png").exists()


def _chromium(*args: str, user_dir) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={user_dir}", *args]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package (apt-get install chromium)")
def test_report_in_headless_chromium(report, tmp_path):
    url = (report / "index.html").resolve().as_uri()
    dom = _chromium("--dump-dom", url, user_dir=tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout
    body = re.search(r"<body[^>]*>", page).group(0)
    assert 'data-sort-ready="true"' in body and 'data-tables="1"' in body  # the script ran
    assert re.search(r'<table class="sortable" data-sorted-by="Rank" data-sort-dir="asc"', page)
    rows = re.findall(r'<tr class="entry">(.*?)</tr>', page, flags=re.S)
    assert len(rows) == 2
    ranks = [int(re.search(r'data-value="(\d+)"', r).group(1)) for r in rows]
    assert ranks == [1, 2]  # sorted by rank after load
    shot = tmp_path / "shot.png"
    run = _chromium(f"--screenshot={shot}", "--window-size=1200,900", url, user_dir=tmp_path / "profile-shot")
    assert run.returncode == 0 and shot.is_file(), run.stderr[-2000:]
    img = np.asarray(Image.open(shot).convert("RGB")).astype(float)
    assert img.shape[:2] == (900, 1200)
    assert img.std() > 20 and (img.mean(axis=2) < 128).mean() > 0.005  # text and charts drawn, not blank

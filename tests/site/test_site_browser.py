"""The built site in headless Chromium (Playwright driving Debian's `chromium` through `executable_path`; `make
test` installs both): sorting, filtering by room type, entry page, scene page, trajectory stepping, the 3D
viewer's canvas drawn, no console errors and no request outside the site folder."""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from scene_gym.site import db_source
from scene_gym.site.build import build_site

pytestmark = pytest.mark.xdist_group("site")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def site(site_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    report = build_site([db_source(site_db)], out)
    assert report.viewer, "run `npm ci` in the repository first (make test does)"
    return out


def _q_values(page) -> list[float]:
    return [float(v) for v in page.eval_on_selector_all(
        "table.board tr.entry", "rows => rows.map(r => r.cells[7].getAttribute('data-value'))")]  # fmt: skip


def test_site_in_headless_chromium(site):
    assert CHROMIUM, "needs Debian's chromium (make test installs it)"
    folder = site.resolve().as_uri() + "/"
    requests, problems = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(folder + "index.html")
        page.wait_for_selector("body[data-ready]", state="attached")
        assert page.locator("tr.entry").count() == 2
        header = page.locator("table.board th", has_text="Q").first
        header.click()
        q = _q_values(page)
        assert page.get_attribute("table.board", "data-sort-dir") == "desc" and q == sorted(q, reverse=True)
        header.click()
        assert _q_values(page) == sorted(q)
        page.select_option("#f-room", "office")  # filter by room type: each entry's office scene only
        assert page.locator("tr.entry").count() == 2
        assert page.eval_on_selector_all("tr.entry", "rows => rows.map(r => r.dataset.roomN)") == ["1", "1"]
        assert "office" in page.inner_text("h2")
        page.select_option("#f-env", "trajectory")
        assert page.locator("tr.entry").count() == 1 and "random" in page.inner_text("tr.entry")
        page.select_option("#f-env", "scene")

        page.click("tr.entry a.entry-link")  # the entry page
        page.wait_for_selector("body[data-ready]", state="attached")
        assert "heuristic" in page.inner_text("h2") and "--suite template" in page.inner_text("pre.reproduce")
        assert page.locator("svg.chart").count() == 2 and page.locator("a.scene-link").count() == 2

        page.click("a.scene-link >> nth=0")  # the scene page
        page.wait_for_selector("body[data-ready]", state="attached")
        assert page.inner_text("#step-k") == "0" and page.inner_text("#step-action") == "(reset)"
        page.click("#step-next")
        assert page.inner_text("#step-k") == "1" and "(" in page.inner_text("#step-action")
        last = int(page.inner_text("#step-n"))
        page.fill("#step-range", str(last))
        page.dispatch_event("#step-range", "input")
        assert page.inner_text("#step-k") == str(last)
        n_objects = int(page.inner_text("#step-objects"))
        assert n_objects > 5 and page.locator("#step-image svg g rect").count() == n_objects

        page.wait_for_selector("#viewer[data-state=loaded]", state="attached", timeout=45_000)
        page.locator("#viewer").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        shot = np.asarray(
            Image.open(io.BytesIO(page.locator("#viewer").screenshot())).convert("L"), dtype=float
        )
        assert shot.std() > 10, f"3D view looks blank (pixel std {shot.std():.1f})"
        browser.close()
    assert not problems, problems
    outside = [u for u in requests if not (u.startswith(folder) or u.startswith("blob:"))]
    assert requests and not outside, outside

"""The README's screenshot of the leaderboard site: the index beside a scene page's 3D view and trajectory,
taken in headless Chromium (Debian's ``chromium`` through Playwright's ``executable_path``) and written as a small
palette PNG.

Usage: python benchmarks/site_screenshot.py --site site/ [--out docs/site.png]
"""

from __future__ import annotations

import argparse
import io
import shutil
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "site.png")
    args = ap.parse_args()
    url = args.site.resolve().as_uri() + "/index.html"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 620})
        page.goto(url)
        page.wait_for_selector("body[data-ready]", state="attached")
        index = Image.open(io.BytesIO(page.screenshot()))
        page.click("tr.entry a.entry-link")
        page.wait_for_selector("body[data-ready]", state="attached")
        page.click("a.scene-link >> nth=0")
        page.wait_for_selector("#viewer[data-state=loaded]", state="attached", timeout=60_000)
        page.click("#step-next")
        page.click("#step-next")
        page.wait_for_timeout(800)
        view = Image.open(io.BytesIO(page.locator("#viewer").screenshot()))
        plan = Image.open(io.BytesIO(page.locator("#step-image").screenshot()))
        browser.close()
    view.thumbnail((620, 420))
    plan.thumbnail((300, 300))
    canvas = Image.new("RGB", (index.width + view.width + 10, max(index.height, view.height + plan.height + 10)), "white")
    canvas.paste(index, (0, 0))
    canvas.paste(view, (index.width + 10, 0))
    canvas.paste(plan, (index.width + 10, view.height + 10))
    canvas.thumbnail((1400, 800))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    canvas.quantize(128).save(args.out, optimize=True)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

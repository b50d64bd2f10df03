# Two entry points (see README): `make demo` and `make test`. Both create .venv with python3.11 on first use.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= demo_out

.PHONY: demo test bench lint clean system-deps site
SITE_DB ?= site_build/reference.db
SITE_OUT ?= site

$(VENV)/.core: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.core $@

demo: $(VENV)/.core
	$(VENV)/bin/scene-gym generate "A cosy bedroom with a double bed, two nightstands with lamps and a wardrobe" --policy heuristic --out $(OUT)

# Headless Chromium (Debian package) opens the leaderboard's HTML report and site in the tests; npm fetches the
# site's 3D viewer.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the HTML report tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v npm >/dev/null 2>&1 || { \
	  echo "installing Debian's nodejs and npm for the leaderboard site's 3D viewer"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }

# The leaderboard site's 3D viewer (@google/model-viewer) comes from the npm registry (package.json + lock file);
# the browser test opens the built site with it.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

test: $(VENV)/.dev system-deps node_modules/.package-lock.json
	MUJOCO_GL=$${MUJOCO_GL:-egl} $(PY) -m pytest -n 2 --dist loadgroup -q tests

# The leaderboard website from the reference runs: make_reference.py fills $(SITE_DB) (resumable; scenes, renders,
# per-step trajectories) and `scene-gym site` builds $(SITE_OUT)/ (GLBs made at build time). The CSVs go to
# site_build/reference/, not over the committed benchmarks/reference/.
site: $(VENV)/.core node_modules/.package-lock.json
	$(PY) benchmarks/make_reference.py --db $(SITE_DB) --out site_build/reference
	$(VENV)/bin/scene-gym site --db $(SITE_DB) --out $(SITE_OUT)

bench: $(VENV)/.dev
	$(PY) benchmarks/perf.py

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check scene_gym tests benchmarks examples

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache node_modules site site_build

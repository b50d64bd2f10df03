# Two entry points (see README): `make demo` and `make test`. Both create .venv with python3.11 on first use.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= demo_out

.PHONY: demo test bench lint clean system-deps

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

# Headless Chromium (Debian package) opens the leaderboard's HTML report in the tests.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the HTML report tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(VENV)/.dev system-deps
	MUJOCO_GL=$${MUJOCO_GL:-egl} $(PY) -m pytest -n 2 --dist loadgroup -q tests

bench: $(VENV)/.dev
	$(PY) benchmarks/perf.py

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check scene_gym tests benchmarks examples

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache

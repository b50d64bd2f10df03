# Two entry points (see README): `make demo` and `make test`. Both create .venv with python3.11 on first use.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= demo_out

.PHONY: demo test bench lint clean

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
	$(VENV)/bin/scene-gym demo --out $(OUT)

test: $(VENV)/.dev
	MUJOCO_GL=$${MUJOCO_GL:-egl} $(PY) -m pytest -n 2 --dist loadgroup -q tests

bench: $(VENV)/.dev
	$(PY) benchmarks/perf.py

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check scene_gym tests benchmarks examples

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache

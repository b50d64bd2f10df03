"""Executor specs (``--executor``) are parsed strictly: anything else is refused, naming the value, before a
worker or a cluster starts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scene_gym.benchmarks import BenchmarkError
from scene_gym.benchmarks.executors import make_executor, parse_executor
from scene_gym.benchmarks.runner import RunConfig, run_benchmark


@pytest.mark.parametrize("spec", ["rayy", "ray:", "ray:host", "ray:host:port", "ray:host:70000", "local:x", "ray:h:\u00b2", "", 3])
def test_bad_executor_spec_is_refused(spec):
    with pytest.raises(BenchmarkError, match="expected executor 'local', 'ray' or 'ray:HOST:PORT'"):
        make_executor(spec)
    assert parse_executor("ray:10.0.0.5:6379") == ("ray", "10.0.0.5:6379")


def test_a_bad_executor_stops_a_run_before_anything_is_written(tmp_path):
    with pytest.raises(BenchmarkError, match="expected executor 'local', 'ray' or 'ray:HOST:PORT', got 'ray:h:x'"):
        run_benchmark(RunConfig(suite="template", policy="test:fast", executor="ray:h:x", db=str(tmp_path / "lb.db"),
                                progress=False))  # fmt: skip
    assert not (tmp_path / "lb.db").exists()




@given(st.text(max_size=40))
def test_any_text_is_an_executor_spec_or_a_benchmark_error(text):
    try:
        name, address = parse_executor(text)
    except BenchmarkError as err:
        assert repr(text) in str(err)
        return
    assert (name, address) in (("local", None), ("ray", None)) or (name == "ray" and address.rpartition(":")[2].isdigit())
    assert text.strip().startswith(name)

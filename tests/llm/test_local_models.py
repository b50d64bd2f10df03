"""Local checkpoint loading lives in ``scene_gym.llm`` (below rewards and agents) and stays lazy about torch."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scene_gym.errors import ModelLoadError, PolicyError, RewardError


def test_importing_the_loader_pulls_in_no_torch():
    code = ("import sys, json, scene_gym.llm.local_models; "
            "print(json.dumps([m for m in ('torch', 'transformers') if m in sys.modules]))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_a_bad_checkpoint_is_both_a_policy_and_a_reward_error(tmp_path):
    pytest.importorskip("transformers")
    from scene_gym.llm.local_models import load_checkpoint

    assert issubclass(ModelLoadError, PolicyError) and issubclass(ModelLoadError, RewardError)
    with pytest.raises(RewardError, match="expected a checkpoint directory, got .*nowhere"):
        load_checkpoint(tmp_path / "nowhere")
    with pytest.raises(PolicyError, match="expected a config.json"):
        load_checkpoint(tmp_path)

"""The config of :mod:`scene_gym.train.orchestra` (SceneOrchestra: orchestrator SFT/DPO in four stages, a
discriminator, one interleaved round). One dataclass, fields grouped, each with its help in ``metadata`` (TRL's
shape, as :mod:`~scene_gym.train.self_improve_config`). Read one with
:func:`scene_gym.train.config_io.make_config`; every run writes the resolved config to ``<run_dir>/config.json``.

Caps that keep a CPU run short are fields too (documented in their help): training instructions and samples per
instruction (the rollout pool every dataset is built from), ``max_rows`` per dataset, epochs per stage, held-out
pairs, discriminator sets. The tool catalogue is left out of the prompt with ``prompt_style = "compact"`` (the
compact system prompt names the answer format only; the model learns the tools from the data).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scene_gym.train.config_io import check

#: The stages in the paper's order; ``stages`` picks a subset (ablations: their Table 4), always run in this order.
STAGES = ("s_sft", "t_sft", "s_dpo", "t_dpo")


def _f(default, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class OrchestraConfig:
    """SceneOrchestra's training pipeline. See each field's ``metadata["help"]``."""

    # --- run -------------------------------------------------------------------------------------------------
    run_dir: str = _f(
        "runs/orchestra", "output folder; a rerun with the same folder resumes (finished steps skipped)"
    )
    seed: int = _f(
        0, "seed of everything: tokenizer corpus order, model init, sampling, dataset sampling, SFT/DPO order"
    )
    device: str = _f("auto", "'auto' (CUDA when present, else CPU), 'cpu' or 'cuda[:N]'; bf16 only on GPU")
    progress: bool = _f(True, "show progress bars")
    tensorboard: bool = _f(True, "write TensorBoard scalars under <run_dir>/tb")
    # --- model -------------------------------------------------------------------------------------------------
    model: str = _f(
        "tiny",
        "'tiny' (a Qwen2 built from the tiny_* fields, tokenizer trained on the run's prompts and "
        "demonstrations) or a local checkpoint directory (any transformers causal LM with a chat template)",
    )
    tiny_hidden: int = _f(128, "tiny model: hidden size (units)")
    tiny_layers: int = _f(2, "tiny model: transformer layers")
    tiny_heads: int = _f(4, "tiny model: attention heads")
    tiny_vocab: int = _f(2000, "tiny model: BPE vocabulary size (tokens)")
    discriminator_model: str = _f(
        "untrained",
        "start of the discriminator: 'untrained' (the run's base model), "
        "'warm_start', or a checkpoint directory",
    )
    # --- prompts -------------------------------------------------------------------------------------------------
    prompt_style: str = _f(
        "full",
        "'full' (system prompt with the ~7.7k-character tool catalogue; real models) or "
        "'compact' (no catalogue, rounded numbers; tiny models): scene_gym.agents.prompts",
    )
    round_digits: int = _f(1, "decimals kept in compact prompts")
    max_new_tokens: int = _f(
        1024,
        "answer budget of one trajectory, tokens (the run logs the longest demonstrated "
        "trajectory against it)",
    )
    max_regenerations: int = _f(
        2,
        "validate-and-regenerate at inference: regenerations of an answer that does not "
        "parse or names an unknown tool, the error fed back, before the empty trajectory",
    )
    # --- data ----------------------------------------------------------------------------------------------------
    train_suite: str = _f("rooms-50", "suite whose instructions are trained on")
    train_prompts: int = _f(
        10,
        "cap: first N instructions of train_suite: demonstrations, rollouts, set A of the interleaved round",
    )
    train_seeds: int = _f(1, "seeds per training instruction")
    demo_samples: int = _f(
        2, "heuristic trajectories per training task for the warm start (different room sizes and crowds)"
    )
    demo_drop_args: tuple[str, ...] = _f(
        (),
        "arguments removed from every call of the heuristic teacher (e.g. "
        "relations, size, reason): shorter plans for tiny models "
        "(scene_gym.train.orchestra_teacher)",
    )
    demo_drop_tools: tuple[str, ...] = _f(
        (),
        "tools whose calls are removed from the heuristic teacher's plans "
        "(e.g. init_room: the episode already starts in the task's room)",
    )
    demo_max_calls: int = _f(
        0, "cap: the heuristic teacher's plans keep their first N calls, then terminate (0: all)"
    )
    demo_crowd_scale: float = _f(
        1.0,
        "the heuristic teacher's small objects per receptacle; 0 leaves add_crowd "
        "calls out (shorter plans for tiny models)",
    )
    rollout_sources: tuple[str, ...] = _f(
        ("warm_start", "heuristic", "perturbed-heuristic"),
        "who writes the rollouts the four datasets are built from: 'warm_start' "
        "(the warm-started orchestrator, sampling), 'heuristic', "
        "'perturbed-heuristic' (heuristic with calls dropped/changed) or any "
        "policy spec; heuristic ones make sure early data is valid",
    )
    rollout_samples: int = _f(4, "cap: trajectories per task per source")
    sample_temperature: float = _f(1.0, "sampling temperature of the orchestrator's rollouts and candidates")
    thresholds: tuple[float, ...] = _f(
        (),
        "tau1..tau4 in units of our C (empty: orchestra_data.DEFAULT_THRESHOLDS, "
        "calibrated to scene-gym's scale; the paper's are (3, 7.5, 3, 3))",
    )
    max_rows: int = _f(400, "cap: rows (pairs) kept per dataset after the thresholds (random subset, seeded)")
    step_dpo_proposer: str = _f(
        "heuristic",
        "alternative next calls of stepwise DPO: 'heuristic' (perturbed "
        "heuristic calls) or 'model' (the stage's start model, sampling)",
    )
    # --- stages --------------------------------------------------------------------------------------------------
    stages: tuple[str, ...] = _f(
        STAGES,
        "stages run, each from the previous one, among s_sft, t_sft, s_dpo, t_dpo (drop any for an ablation)",
    )
    warm_start: bool = _f(
        True,
        "SFT on whole heuristic trajectories before the rollouts (so the orchestrator's "
        "first samples are valid JSON)",
    )
    warm_epochs: float = _f(8.0, "warm-start SFT epochs")
    sft_epochs: float = _f(3.0, "epochs of each SFT stage (S-SFT, T-SFT)")
    dpo_epochs: float = _f(2.0, "epochs of each DPO stage (S-DPO, T-DPO, the interleaved round)")
    learning_rate: float = _f(2e-3, "peak SFT learning rate")
    stage_learning_rate: float = _f(
        0.0,
        "peak learning rate of the S-SFT and T-SFT stages (0: learning_rate); a "
        "stage continues a trained model, so a tiny one may need less than its warm start",
    )
    t_sft_learning_rate: float = _f(
        0.0,
        "peak learning rate of the T-SFT stage alone (0: as S-SFT); T-SFT continues S-SFT's model, and a tiny "
        "one overwrites what S-SFT taught at the same rate",
    )
    mix_demonstrations: bool = _f(
        False,
        "add the warm-start rows to the S-SFT and T-SFT rows (keeps whole trajectories in every SFT stage)",
    )
    dpo_learning_rate: float = _f(2e-4, "peak DPO learning rate")
    dpo_beta: float = _f(
        0.1, "DPO beta (paper: 0.1); the loss is the sigmoid one; reference = the stage's start"
    )
    batch_size: int = _f(8, "rows per step")
    lora: bool = _f(False, "train LoRA adapters (peft), merged into each saved checkpoint")
    lora_rank: int = _f(16, "LoRA rank")
    lora_alpha: int = _f(32, "LoRA alpha")
    max_length_cap: int = _f(
        8192,
        "upper bound of the data-derived max_length, tokens (rows are measured first: "
        "none is silently cut by TRL's 1024 default)",
    )
    # --- discriminator -------------------------------------------------------------------------------------------
    discriminator: bool = _f(True, "train the discriminator (needed by the interleaved round and best-of-K)")
    disc_sets_per_group: int = _f(
        1,
        "random 4-candidate sets drawn per training instruction for the discriminator's "
        "SFT rows (more than 1 reuses candidates in new combinations)",
    )
    discriminator_epochs: float = _f(6.0, "discriminator SFT epochs")
    # --- interleaved round ---------------------------------------------------------------------------------------
    interleaved: bool = _f(True, "one interleaved round after the stages")
    interleave_candidates: int = _f(
        4, "orchestrator candidates per instruction in the round (the discriminator takes 4)"
    )
    interleave_b_prompts: int = _f(
        10,
        "cap: instructions of set B (train_suite entries after the first "
        "train_prompts), ranked by the discriminator without executing",
    )
    interleave_b_seeds: int = _f(2, "seeds per set-B instruction")
    # --- evaluation ---------------------------------------------------------------------------------------------
    eval_suites: tuple[str, ...] = _f(
        ("template", "complex"), "held-out suites (no training instruction is in them)"
    )
    eval_prompts_per_suite: int = _f(8, "cap: instructions per eval suite")
    eval_seeds: int = _f(2, "seeds per eval instruction (pairs = suites x prompts x seeds)")
    eval_prompt_offset: int = _f(0, "skip the first N entries of each eval suite")
    eval_untrained: bool = _f(True, "evaluate the model before any training")
    eval_heuristic: bool = _f(True, "evaluate the heuristic on the same pairs")
    best_of_k: int = _f(
        0, "also evaluate the final orchestrator as best-of-K ranked by the discriminator (0: off)"
    )
    disc_eval_suite: str = _f("complex", "suite of the discriminator's held-out 4-candidate sets")
    disc_eval_prompts: int = _f(
        25, "cap: instructions of disc_eval_suite for held-out sets (from disc_eval_offset)"
    )
    disc_eval_offset: int = _f(8, "first entry of disc_eval_suite used for held-out sets")
    disc_eval_seeds: int = _f(2, "seeds per held-out discriminator instruction (sets = prompts x seeds)")
    disc_eval_samples: int = _f(
        2, "cap: trajectories per held-out instruction per rollout source (the sets' pool)"
    )
    bootstrap_samples: int = _f(2000, "bootstrap resamples for the 95% intervals")
    leaderboard_db: str = _f(
        "",
        "enter every trained checkpoint (one entry per stage) on this leaderboard database "
        "('' skips; relative paths are under run_dir)",
    )
    leaderboard_suites: tuple[str, ...] = _f(
        (), "cap: suites benchmarked for the leaderboard (empty: eval_suites)"
    )
    leaderboard_prompts: int = _f(
        0,
        "cap: first N eval prompts per suite benchmarked for the leaderboard (0: all "
        "eval_prompts_per_suite), with eval_seeds seeds",
    )

    def __post_init__(self):
        for name in ("tiny_hidden", "tiny_layers", "tiny_heads", "max_new_tokens", "train_prompts", "train_seeds",
                     "demo_samples", "rollout_samples", "max_rows", "batch_size", "lora_rank", "lora_alpha",
                     "max_length_cap", "interleave_candidates", "interleave_b_prompts", "interleave_b_seeds",
                     "eval_prompts_per_suite", "eval_seeds", "disc_eval_prompts", "disc_sets_per_group", "disc_eval_seeds", "disc_eval_samples",
                     "bootstrap_samples"):  # fmt: skip
            v = getattr(self, name)
            check(isinstance(v, int) and not isinstance(v, bool) and v >= 1, name, "an integer >= 1", v)
        for name in (
            "seed",
            "max_regenerations",
            "eval_prompt_offset",
            "best_of_k",
            "disc_eval_offset",
            "demo_max_calls",
            "leaderboard_prompts",
        ):
            v = getattr(self, name)
            check(isinstance(v, int) and not isinstance(v, bool) and v >= 0, name, "an integer >= 0", v)
        check(
            self.prompt_style in ("full", "compact"), "prompt_style", "'full' or 'compact'", self.prompt_style
        )
        check(isinstance(self.round_digits, int) and 0 <= self.round_digits <= 6, "round_digits",
              "an integer in [0, 6]", self.round_digits)  # fmt: skip
        check(self.tiny_vocab >= 300, "tiny_vocab", "at least 300 tokens", self.tiny_vocab)
        check(self.tiny_hidden % (4 * self.tiny_heads) == 0 if self.model == "tiny" else True, "tiny_hidden",
              f"a multiple of 4 * tiny_heads ({4 * self.tiny_heads})", self.tiny_hidden)  # fmt: skip
        check(
            self.model == "tiny" or bool(str(self.model).strip()),
            "model",
            "'tiny' or a checkpoint path",
            self.model,
        )
        check(isinstance(self.stages, tuple) and all(s in STAGES for s in self.stages)
              and len(set(self.stages)) == len(self.stages), "stages", f"distinct names among {list(STAGES)}",
              self.stages)  # fmt: skip
        check(isinstance(self.rollout_sources, tuple) and len(self.rollout_sources) >= 1
              and all(isinstance(s, str) and s.strip() for s in self.rollout_sources), "rollout_sources",
              "a non-empty list of policy specs", self.rollout_sources)  # fmt: skip
        check(isinstance(self.thresholds, tuple) and len(self.thresholds) in (0, 4)
              and all(isinstance(t, int | float) and not isinstance(t, bool) and t >= 0 for t in self.thresholds),
              "thresholds", "empty or four numbers >= 0 (tau1..tau4)", self.thresholds)  # fmt: skip
        check(self.step_dpo_proposer in ("heuristic", "model"), "step_dpo_proposer", "'heuristic' or 'model'",
              self.step_dpo_proposer)  # fmt: skip
        check(
            self.discriminator_model in ("untrained", "warm_start")
            or bool(str(self.discriminator_model).strip()),
            "discriminator_model",
            "'untrained', 'warm_start' or a checkpoint path",
            self.discriminator_model,
        )
        for name in ("demo_drop_args", "demo_drop_tools"):
            v = getattr(self, name)
            check(isinstance(v, tuple) and all(isinstance(a, str) for a in v), name, "a list of names", v)
        check(isinstance(self.demo_crowd_scale, int | float) and 0.0 <= self.demo_crowd_scale <= 4.0,
              "demo_crowd_scale", "a number in [0, 4]", self.demo_crowd_scale)  # fmt: skip
        check(
            0.0 < self.sample_temperature <= 10.0,
            "sample_temperature",
            "a value in (0, 10]",
            self.sample_temperature,
        )
        check(isinstance(self.stage_learning_rate, int | float) and self.stage_learning_rate >= 0,
              "stage_learning_rate", "a number >= 0", self.stage_learning_rate)  # fmt: skip
        check(isinstance(self.t_sft_learning_rate, int | float) and not isinstance(self.t_sft_learning_rate, bool)
              and self.t_sft_learning_rate >= 0, "t_sft_learning_rate", "a number >= 0",
              self.t_sft_learning_rate)  # fmt: skip
        for name in ("warm_epochs", "sft_epochs", "dpo_epochs", "discriminator_epochs", "learning_rate",
                     "dpo_learning_rate", "dpo_beta"):  # fmt: skip
            v = getattr(self, name)
            check(
                isinstance(v, int | float) and not isinstance(v, bool) and float(v) > 0,
                name,
                "a positive number",
                v,
            )
        check(isinstance(self.eval_suites, tuple) and len(self.eval_suites) >= 1, "eval_suites",
              "a non-empty list of suite names", self.eval_suites)  # fmt: skip
        check(
            self.interleave_candidates >= 2, "interleave_candidates", "at least 2", self.interleave_candidates
        )
        check(not (self.interleaved and not self.discriminator), "interleaved",
              "false when discriminator is false (the round needs the discriminator)", self.interleaved)  # fmt: skip

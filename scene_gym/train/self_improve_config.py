"""The config of :mod:`scene_gym.train.self_improve` (TRL's shape: one dataclass, fields grouped, each with its
help in ``metadata``). Read one from a file with :func:`scene_gym.train.config_io.make_config`; every run writes
the resolved config to ``<run_dir>/config.json``."""

from __future__ import annotations

from dataclasses import dataclass, field

from scene_gym.train.config_io import check


def _f(default, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class SelfImproveConfig:
    """Best-of-K search, then SFT, in rounds (3D-Generalist). See each field's ``metadata["help"]``."""

    # --- run -------------------------------------------------------------------------------------------------
    run_dir: str = _f("runs/self_improve", "output folder; a rerun with the same folder resumes")
    seed: int = _f(0, "seed of everything: tokenizer corpus order, model init, sampling, SFT data order")
    device: str = _f("auto", "'auto' (CUDA when present, else CPU), 'cpu' or 'cuda[:N]'; bf16 only on GPU")
    env: str = _f("scene", "env kind: 'scene' (SceneSynth-v1, DSL) or 'asset' (SceneSynthAsset-v2, pointing)")
    reward: str = _f("quality", "reward spec scoring candidates and evaluations (scene_gym.rewards.make_reward)")
    steps_per_episode: int = _f(3, "env steps per episode (search, demonstrations and evaluation)")
    image_size: int = _f(0, "observation image side in pixels, 0 for none (text-only models)")
    progress: bool = _f(True, "show progress bars")
    tensorboard: bool = _f(True, "write TensorBoard scalars under <run_dir>/tb")
    # --- model -------------------------------------------------------------------------------------------------
    model: str = _f("tiny", "'tiny' (built from the tiny_* fields with a tokenizer trained on the spot) or a local "
                    "checkpoint directory (any transformers causal LM or image-text-to-text model)")
    tiny_vision: bool = _f(False, "tiny model: a Qwen2-VL (images) instead of a Qwen2 causal LM")
    tiny_hidden: int = _f(128, "tiny model: hidden size (units)")
    tiny_layers: int = _f(2, "tiny model: transformer layers")
    tiny_heads: int = _f(4, "tiny model: attention heads")
    tiny_vocab: int = _f(2000, "tiny model: BPE vocabulary size (tokens), trained on prompts and demonstrations")
    # --- prompts -------------------------------------------------------------------------------------------------
    prompt_style: str = _f("full", "'full' (DSL reference, scene, feedback; for real models) or 'compact' (short "
                           "card, rounded numbers; for tiny models): scene_gym.agents.prompts")
    round_digits: int = _f(1, "decimals kept in compact prompts and in chunked demonstrations")
    max_new_tokens: int = _f(256, "answer budget per generation, tokens")
    max_regenerations: int = _f(0, "regenerations of an unparseable answer before the no-op (0: none)")
    use_icl_library: bool = _f(False, "show in-context examples from a library updated with each round's best")
    icl_examples: int = _f(1, "in-context examples per prompt when use_icl_library")
    icl_add_per_round: int = _f(8, "best new steps added to the library per round")
    # --- data ----------------------------------------------------------------------------------------------------
    train_suite: str = _f("rooms-50", "suite whose prompts are trained on")
    train_prompts: int = _f(16, "first N prompts of train_suite used in the rounds")
    demo_prompts: int = _f(50, "first N prompts of train_suite demonstrated by the teacher for the warm start")
    demo_seeds: int = _f(1, "seeds per demonstrated prompt")
    demo_statements_per_step: int = _f(0, "cut teacher DSL programs into chunks of N statements (0: as written)")
    demo_drop_args: tuple[str, ...] = _f((), "keyword arguments removed from teacher DSL statements (e.g. at, yaw, "
                                         "size, material: the env's solver and catalog choose them); a compact "
                                         "demonstration format for tiny models")
    teacher: str = _f("heuristic", "policy spec of the teacher (demonstrations, and the reference evaluation)")
    # --- warm start ----------------------------------------------------------------------------------------------
    warm_start: bool = _f(True, "SFT on teacher demonstrations before the first round")
    warm_epochs: float = _f(8.0, "warm-start SFT epochs")
    # --- rounds -------------------------------------------------------------------------------------------------
    rounds: int = _f(2, "self-improvement rounds")
    k: int = _f(4, "candidates sampled per step")
    temperature: float = _f(1.0, "sampling temperature of the candidates")
    keep_top_fraction: float = _f(0.5, "share of each round's episodes (best final reward first) kept for SFT")
    min_step_reward: float = _f(0.0, "kept steps need a valid action and a step reward above this")
    mix_demonstrations: bool = _f(True, "add the warm-start demonstrations to every round's SFT data")
    round_epochs: float = _f(3.0, "SFT epochs per round")
    # --- SFT -----------------------------------------------------------------------------------------------------
    learning_rate: float = _f(2e-3, "peak SFT learning rate")
    batch_size: int = _f(8, "SFT rows per step")
    lora: bool = _f(False, "train LoRA adapters (peft), merged into each saved checkpoint")
    lora_rank: int = _f(16, "LoRA rank")
    lora_alpha: int = _f(32, "LoRA alpha")
    max_length_cap: int = _f(4096, "upper bound of the data-derived SFT max_length, tokens")
    # --- evaluation ---------------------------------------------------------------------------------------------
    eval_suites: tuple[str, ...] = _f(("template", "complex"), "held-out suites")
    eval_prompts_per_suite: int = _f(8, "first N prompts of each eval suite")
    eval_seeds: int = _f(2, "seeds per eval prompt (pairs = suites x prompts x seeds)")
    eval_prompt_offset: int = _f(0, "skip the first N prompts of each eval suite (held out from a shared suite)")
    eval_untrained: bool = _f(True, "evaluate the model before any training")
    eval_teacher: bool = _f(True, "evaluate the teacher on the same pairs")
    executor: str = _f("local", "where the teacher's evaluation episodes run (scene_gym.train.rollouts."
                       "collect_rollouts): 'local' (spawned worker processes here: a script calling the Python API "
                       "needs the `if __name__ == '__main__':` guard), 'ray' (RAY_ADDRESS or a local cluster) or "
                       "'ray:HOST:PORT'")
    bootstrap_samples: int = _f(2000, "bootstrap resamples for the 95% intervals")
    leaderboard_db: str = _f("", "enter the final policy on this leaderboard database ('' skips; relative paths "
                             "are under run_dir)")

    def __post_init__(self):
        check(self.env in ("scene", "asset"), "env", "'scene' or 'asset'", self.env)
        check(self.prompt_style in ("full", "compact"), "prompt_style", "'full' or 'compact'", self.prompt_style)
        for name in ("steps_per_episode", "k", "train_prompts", "demo_prompts", "demo_seeds", "eval_prompts_per_suite",
                     "eval_seeds", "max_new_tokens", "batch_size", "tiny_hidden", "tiny_layers", "tiny_heads",
                     "bootstrap_samples", "lora_rank", "lora_alpha", "max_length_cap"):  # fmt: skip
            v = getattr(self, name)
            check(isinstance(v, int) and not isinstance(v, bool) and v >= 1, name, "an integer >= 1", v)
        for name in ("rounds", "demo_statements_per_step", "max_regenerations", "eval_prompt_offset", "icl_examples", "icl_add_per_round", "seed"):
            v = getattr(self, name)
            check(isinstance(v, int) and not isinstance(v, bool) and v >= 0, name, "an integer >= 0", v)
        check(isinstance(self.round_digits, int) and 0 <= self.round_digits <= 6, "round_digits", "an integer in "
              "[0, 6]", self.round_digits)
        check(self.tiny_vocab >= 300, "tiny_vocab", "at least 300 tokens", self.tiny_vocab)
        check(self.tiny_hidden % (4 * self.tiny_heads) == 0 if self.model == "tiny" else True, "tiny_hidden",
              f"a multiple of 4 * tiny_heads ({4 * self.tiny_heads})", self.tiny_hidden)
        check(0.0 < self.temperature <= 10.0, "temperature", "a value in (0, 10]", self.temperature)
        check(0.0 < self.keep_top_fraction <= 1.0, "keep_top_fraction", "a value in (0, 1]", self.keep_top_fraction)
        for name in ("warm_epochs", "round_epochs", "learning_rate"):
            check(float(getattr(self, name)) > 0, name, "a positive number", getattr(self, name))
        check(isinstance(self.eval_suites, tuple) and len(self.eval_suites) >= 1, "eval_suites",
              "a non-empty list of suite names", self.eval_suites)
        check(self.image_size == 0 or 16 <= self.image_size <= 1024, "image_size", "0 or a side in [16, 1024]",
              self.image_size)
        check(self.model == "tiny" or bool(self.model.strip()), "model", "'tiny' or a checkpoint path", self.model)

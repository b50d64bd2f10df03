"""Batched generation with a :class:`~scene_gym.llm.local_models.LoadedModel`: chat template, images for models
that take them, ``num_return_sequences`` sampling, and each answer's log-probability under the model.

The log-probability is the sum over the answer's tokens (up to and including the first end-of-answer token) of
``log_softmax(raw logits)`` at the chosen token: the model's own probability at temperature 1, before any
temperature or top-p warping, which is what policy-gradient and DPO trainers need.
"""

from __future__ import annotations

from collections.abc import Sequence

from scene_gym.agents.prompts import has_images, to_hf, to_text_only
from scene_gym.agents.text_policy import Generation, PolicyError
from scene_gym.llm.local_models import LoadedModel


def render_chat(loaded: LoadedModel, chat: list[dict]) -> tuple[str, list]:
    """(prompt text from the chat template with the generation prompt, PIL images in order). Images are kept only
    when the model takes them."""
    if loaded.takes_images and has_images(chat):
        messages, images = to_hf(chat)
        text = loaded.processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return text, images
    messages = to_text_only(chat)
    owner = loaded.tokenizer if getattr(loaded.tokenizer, "chat_template", None) else loaded.chat_template_owner
    if loaded.processor is not None and owner is loaded.processor:
        messages, _ = to_hf(messages)  # processors' templates expect lists of parts
    try:
        text = owner.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    except Exception as err:  # jinja errors (e.g. templates that refuse a system turn) carry no common base type
        raise PolicyError(f"the chat template of {loaded.path!r} failed: {err}") from None
    return text, []


def generate(loaded: LoadedModel, chats: Sequence[list[dict]], n: int = 1, temperature: float = 0.0,
             top_p: float = 1.0, max_new_tokens: int = 256, seed: int = 0) -> list[list[Generation]]:  # fmt: skip
    """``n`` answers per chat, generated as one batch.

    Args:
        loaded: the model.
        chats: neutral chats (:mod:`scene_gym.agents.prompts`).
        n: answers per chat (``num_return_sequences`` when sampling; greedy answers are computed once and repeated).
        temperature: 0 for greedy decoding, else the sampling temperature.
        top_p: nucleus sampling mass (sampling only).
        max_new_tokens: answer budget, tokens.
        seed: torch seed for sampling (set inside a forked RNG state, so the global state is untouched).

    Returns one list of ``n`` :class:`~scene_gym.agents.text_policy.Generation` per chat, with ``logprob`` (<= 0)
    and ``n_tokens``.
    """
    import torch

    texts, images = [], []
    for chat in chats:
        text, imgs = render_chat(loaded, chat)
        texts.append(text)
        images += imgs
    if loaded.processor is not None:
        kw = {"images": images} if images else {}
        inputs = loaded.processor(text=texts, padding=True, return_tensors="pt", **kw)
    else:
        inputs = loaded.tokenizer(texts, padding=True, return_tensors="pt", add_special_tokens=False)
    inputs = inputs.to(loaded.device)
    sampling = temperature > 0
    reps = n if sampling else 1
    gen_kw = {"max_new_tokens": int(max_new_tokens), "do_sample": sampling, "num_return_sequences": reps,
              "output_logits": True, "return_dict_in_generate": True, "pad_token_id": loaded.tokenizer.pad_token_id,
              "eos_token_id": sorted(loaded.eos_token_ids) or None}  # fmt: skip
    if sampling:
        gen_kw.update(temperature=float(temperature), top_p=float(top_p), top_k=0)
    else:
        gen_kw.update(temperature=None, top_p=None, top_k=None)
    devices = [torch.device(loaded.device).index or 0] if str(loaded.device).startswith("cuda") else []
    with torch.random.fork_rng(devices=devices), torch.inference_mode():
        torch.manual_seed(int(seed))
        out = loaded.model.generate(**inputs, **gen_kw)
    prompt_len = inputs["input_ids"].shape[1]
    tokens = out.sequences[:, prompt_len:]
    steps = tokens.shape[1]
    if steps:
        logits = torch.stack(out.logits[:steps], dim=1).float()  # (batch * reps, steps, vocab)
        token_lp = torch.log_softmax(logits, dim=-1).gather(-1, tokens.unsqueeze(-1)).squeeze(-1)
    else:
        token_lp = torch.zeros_like(tokens, dtype=torch.float32)
    eos = torch.zeros_like(tokens, dtype=torch.bool)
    for e in loaded.eos_token_ids:
        eos |= tokens == e
    # keep tokens up to and including the first end-of-answer token
    before = torch.cumsum(eos.int(), dim=1) - eos.int()
    keep = before == 0
    results: list[list[Generation]] = []
    for i in range(len(chats)):
        row = []
        for j in range(reps):
            k = i * reps + j
            ids = tokens[k][keep[k]]
            text = loaded.tokenizer.decode(ids, skip_special_tokens=True)
            lp = float(token_lp[k][keep[k]].sum())
            row.append(Generation(text, lp, int(keep[k].sum())))
        results.append(row if sampling else [row[0]] * n)
    return results

"""Loading a local checkpoint directory with ``transformers``: an image-text-to-text model with its processor, or a
causal LM with its tokenizer, chosen from the checkpoint's ``config.json``. Nothing is downloaded
(``local_files_only=True``).

Shared by the local VLM policy (:mod:`scene_gym.agents.vlm`) and any reward that runs a local model, so it sits in
``llm/``, below both. ``torch`` and ``transformers`` are imported inside the functions, never at module import.
Failures raise :class:`~scene_gym.errors.ModelLoadError` (a ``PolicyError`` and a ``RewardError``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scene_gym.errors import MissingDependencyError, ModelLoadError

DTYPES = ("auto", "float32", "float16", "bfloat16")


@dataclass
class LoadedModel:
    """A checkpoint ready to generate.

    Attributes:
        model: the ``transformers`` model (eval mode, on ``device``).
        tokenizer: its tokenizer (left padding, with a pad token).
        processor: the multimodal processor for image-text-to-text models, else None.
        takes_images: whether images can be passed (image-text-to-text model with a processor).
        path: the checkpoint directory.
        model_type: ``config.model_type`` (``"qwen2"``, ``"qwen2_vl"``, ``"llava"``...).
        device: torch device string.
    """

    model: Any
    tokenizer: Any
    processor: Any
    takes_images: bool
    path: str
    model_type: str
    device: str

    @property
    def chat_template_owner(self) -> Any:
        """The object whose ``apply_chat_template`` renders chats (the processor when there is one)."""
        return self.processor if self.processor is not None else self.tokenizer

    @property
    def eos_token_ids(self) -> set[int]:
        """Token ids that end an answer: the generation config's ``eos_token_id`` (int or list) and the
        tokenizer's EOS."""
        ids: set[int] = set()
        for value in (getattr(self.model.generation_config, "eos_token_id", None), self.tokenizer.eos_token_id):
            if isinstance(value, int):
                ids.add(value)
            elif isinstance(value, list | tuple):
                ids.update(int(v) for v in value)
        return ids


def _imports():
    try:
        import torch
        import transformers
    except ImportError as err:
        raise MissingDependencyError(getattr(err, "name", None) or "transformers", "train",
                                     "local models (the VLM policy, local judges)") from None  # fmt: skip
    return torch, transformers


def is_image_text_to_text(config) -> bool:
    """Whether ``config`` belongs to a model ``AutoModelForImageTextToText`` can load."""
    from transformers.models.auto.modeling_auto import MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES

    return config.model_type in MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES


def load_checkpoint(path: str | Path, device: str = "cpu", dtype: str = "auto",
                    trust_remote_code: bool = False) -> LoadedModel:  # fmt: skip
    """Load the checkpoint directory ``path`` (``config.json``, weights, tokenizer and, for vision-language models,
    the processor's files).

    Args:
        path: a local directory, as written by ``save_pretrained`` or ``huggingface-cli download``.
        device: ``"cpu"``, ``"cuda"``, ``"cuda:1"``...
        dtype: one of :data:`DTYPES` (``"auto"``: the checkpoint's dtype on GPU, float32 on CPU).
        trust_remote_code: allow the checkpoint's own modelling code (Molmo); off by default.

    Raises :class:`~scene_gym.errors.ModelLoadError` naming the path and what is missing or broken.
    """
    torch, transformers = _imports()
    root = Path(path)
    if not root.is_dir():
        raise ModelLoadError(f"expected a checkpoint directory, got {str(path)!r} (not a directory)")
    if not (root / "config.json").is_file():
        raise ModelLoadError(f"expected a config.json in the checkpoint directory {str(path)!r}, found none")
    if dtype not in DTYPES:
        raise ModelLoadError(f"expected dtype among {DTYPES}, got {dtype!r}")
    torch_dtype = (torch.float32 if device == "cpu" else "auto") if dtype == "auto" else getattr(torch, dtype)
    kw = {"local_files_only": True, "trust_remote_code": trust_remote_code}
    try:
        config = transformers.AutoConfig.from_pretrained(root, **kw)
        processor = None
        if is_image_text_to_text(config):
            processor = transformers.AutoProcessor.from_pretrained(root, **kw)
            model = transformers.AutoModelForImageTextToText.from_pretrained(root, dtype=torch_dtype, **kw)
            tokenizer = getattr(processor, "tokenizer", None) or transformers.AutoTokenizer.from_pretrained(root, **kw)
        else:
            tokenizer = transformers.AutoTokenizer.from_pretrained(root, **kw)
            model = transformers.AutoModelForCausalLM.from_pretrained(root, dtype=torch_dtype, **kw)
    except (OSError, ValueError, KeyError) as err:
        raise ModelLoadError(f"cannot load the checkpoint {str(path)!r}: {str(err).splitlines()[0][:300]}") from None
    tokenizer.padding_side = "left"
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    owner = processor if processor is not None else tokenizer
    if not getattr(owner, "chat_template", None) and not getattr(tokenizer, "chat_template", None):
        raise ModelLoadError(f"the checkpoint {str(path)!r} has no chat template; use an instruction-tuned model or "
                          f"set tokenizer.chat_template and save it")  # fmt: skip
    model.to(device)
    model.eval()
    takes_images = processor is not None and getattr(processor, "image_processor", None) is not None
    return LoadedModel(model, tokenizer, processor, takes_images, str(root), str(config.model_type), device)


_FINGERPRINTS: dict[tuple, str] = {}
SMALL_FILE_BYTES = 1 << 20


def checkpoint_fingerprint(path: str | Path, hash_weights: bool = True, chunk: int = 1 << 20) -> str:
    """``"sha256:<hex>"`` identifying a checkpoint directory's contents: every file's relative name and size, the
    bytes of every file up to 1 MiB (``config.json``, tokenizer and processor files) and, with ``hash_weights``
    (default), the bytes of the larger files too (the weights; the same bytes the benchmark's model hash reads).
    ``hash_weights=False`` trusts the config and the file sizes, which is fast but cannot tell apart two
    fine-tunes of one model saved in the same layout. Memoised per process on (path, names, sizes, mtimes).

    Raises :class:`~scene_gym.errors.ModelLoadError` when ``path`` is not a directory."""
    import hashlib

    root = Path(path)
    if not root.is_dir():
        raise ModelLoadError(f"expected a checkpoint directory, got {str(path)!r} (not a directory)")
    files = sorted((f for f in root.rglob("*") if f.is_file()), key=lambda f: f.relative_to(root).as_posix())
    stats = [(f.relative_to(root).as_posix(), f.stat()) for f in files]
    memo_key = (str(root.resolve()), bool(hash_weights), tuple((n, s.st_size, s.st_mtime_ns) for n, s in stats))
    if memo_key in _FINGERPRINTS:
        return _FINGERPRINTS[memo_key]
    h = hashlib.sha256()
    for f, (name, st) in zip(files, stats, strict=True):
        h.update(f"{name}\0{st.st_size}\0".encode())
        if hash_weights or st.st_size <= SMALL_FILE_BYTES:
            with open(f, "rb") as fh:
                while block := fh.read(chunk):
                    h.update(block)
    _FINGERPRINTS[memo_key] = out = "sha256:" + h.hexdigest()
    return out


def greedy_answer(loaded: LoadedModel, messages: list[dict], images: list | tuple = (), max_new_tokens: int = 256,
                  logits_processors: list | tuple = ()) -> tuple[str, int]:  # fmt: skip
    """One answer by greedy decoding (``do_sample=False``: the same inputs give the same text on one device).

    Args:
        loaded: the model.
        messages: chat messages in the ``transformers`` multimodal form: ``content`` a string or a list of parts
            ``{"type": "text", "text": ...}`` / ``{"type": "image"}``; for a model without a processor the text
            parts are joined into a string.
        images: PIL images, one per image part, in order (only for models that take images).
        max_new_tokens: answer budget, tokens.
        logits_processors: extra ``transformers`` ``LogitsProcessor`` objects (constrained decoding).

    Returns (answer text without special tokens, number of generated tokens). A chat template that refuses the
    messages raises :class:`~scene_gym.errors.ModelLoadError` quoting it."""
    torch, transformers = _imports()
    if loaded.processor is not None:
        owner, msgs = loaded.processor, messages
    else:
        owner = loaded.tokenizer
        msgs = [{"role": m["role"], "content": m["content"] if isinstance(m["content"], str) else
                 "".join(p.get("text", "") for p in m["content"] if p.get("type") == "text")} for m in messages]  # fmt: skip
    try:
        text = owner.apply_chat_template(msgs, add_generation_prompt=True, tokenize=False)
    except Exception as err:  # noqa: BLE001 - jinja errors (templates refusing a turn) share no base type
        raise ModelLoadError(f"the chat template of {loaded.path!r} failed: {str(err)[:300]}") from None
    if loaded.processor is not None:
        inputs = loaded.processor(text=[text], images=list(images) or None, return_tensors="pt")
    else:
        inputs = loaded.tokenizer([text], return_tensors="pt", add_special_tokens=False)
    inputs = inputs.to(loaded.device)
    with torch.inference_mode():
        out = loaded.model.generate(**inputs, max_new_tokens=int(max_new_tokens), do_sample=False, temperature=None,
                                    top_p=None, top_k=None, num_beams=1, pad_token_id=loaded.tokenizer.pad_token_id,
                                    eos_token_id=sorted(loaded.eos_token_ids) or None,
                                    logits_processor=transformers.LogitsProcessorList(list(logits_processors)))  # fmt: skip
    tokens = out[0, inputs["input_ids"].shape[1] :]
    return loaded.tokenizer.decode(tokens, skip_special_tokens=True), int(tokens.shape[0])

"""CLIP reward (3D-Generalist): cosine similarity between the prompt and renders of the scene, with open_clip.

``value`` = mean over the views of ``cos(image_embedding(view), text_embedding(prompt))``, in [-1, 1].
Views (:mod:`scene_gym.render.views`), by default ``("topdown", "corners")``: the top-down view (with its
metric grid) and one perspective view from each floor corner at eye height, so a 4-wall room gives 5 images.
Terms: ``view.<name>`` (each view's cosine, in [-1, 1]).

The model is any open_clip model name with a pretrained tag (``ViT-B-32`` + ``laion2b_s34b_b79k``, downloaded
once into the Hugging Face cache) or a local checkpoint file (``pretrained="/path/to/ckpt.pt"``); ``model``
may also be a path to an open_clip model-config JSON (its file stem becomes the model name). torch and
open_clip are imported when the model is first needed. Images are embedded in batches of ``batch_size``;
text embeddings are cached per prompt. ``device="auto"`` uses CUDA when available.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from scene_gym.errors import MissingDependencyError
from scene_gym.rewards.base import Reward, RewardContext, RewardError, RewardResult

DEFAULT_MODEL = "ViT-B-32"
DEFAULT_PRETRAINED = "laion2b_s34b_b79k"
DEFAULT_VIEWS = ("topdown", "corners")
TEXT_CACHE_SIZE = 1024
_CHECKPOINT_SUFFIXES = (".pt", ".pth", ".bin", ".safetensors", ".ckpt")


def _import_open_clip():
    try:
        import open_clip
        import torch
    except ImportError as err:
        raise MissingDependencyError(getattr(err, "name", None) or "open_clip", "clip", "the CLIP reward") from None
    return open_clip, torch


class ClipReward(Reward):
    """Prompt-render CLIP similarity (module docstring).

    Args:
        model: open_clip model name, or a path to a model-config JSON.
        pretrained: a pretrained tag of that model, or a local checkpoint file.
        views: view names or groups (``"topdown"`` here means the plain top-down view only, not the marked
            one; ``"corners"`` expands to one view per floor corner).
        device: ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:1"``...
        batch_size: images per forward pass.
        cache_dir: where open_clip keeps downloaded weights (default: its own).
    """

    name = "clip"

    def __init__(self, model: str = DEFAULT_MODEL, pretrained: str | None = DEFAULT_PRETRAINED,
                 views: Sequence[str] = DEFAULT_VIEWS, device: str = "auto", batch_size: int = 16,
                 cache_dir: str | None = None):  # fmt: skip
        if not isinstance(model, str) or not model:
            raise RewardError(f"clip model: expected an open_clip model name or config path, got {model!r}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise RewardError(f"clip batch_size: expected a positive integer, got {batch_size!r}")
        views = [views] if isinstance(views, str) else list(views)
        if not views or not all(isinstance(v, str) and v for v in views):
            raise RewardError(f"clip views: expected view names such as 'topdown', 'corners', got {views!r}")
        self.model_name, self.pretrained, self.views = model, pretrained, tuple(views)
        self.device_spec, self.batch_size, self.cache_dir = device, batch_size, cache_dir
        self._model = self._preprocess = self._tokenizer = self._device = None
        self._text_cache: OrderedDict[str, np.ndarray] = OrderedDict()

    @classmethod
    def from_spec(cls, arg: str | None) -> ClipReward:
        """From a reward-spec argument: None, ``"MODEL"`` (its first pretrained tag) or ``"MODEL:PRETRAINED"``
        (PRETRAINED may be a checkpoint path, colons included)."""
        if not arg:
            return cls()
        model, _, pretrained = arg.partition(":")
        if not pretrained:
            pretrained = DEFAULT_PRETRAINED if model == DEFAULT_MODEL else None
            if pretrained is None:
                open_clip, _ = _import_open_clip()
                tags = open_clip.list_pretrained_tags_by_model(model)
                if not tags:
                    raise RewardError(f"clip: model {model!r} has no pretrained tag; write 'clip:{model}:PRETRAINED' "
                                      f"with a tag or a checkpoint path")  # fmt: skip
                pretrained = tags[0]
        return cls(model, pretrained)

    # --- model --------------------------------------------------------------------------------------------
    def _resolve_model_name(self, open_clip) -> str:
        path = Path(self.model_name)
        if self.model_name.endswith(".json"):
            if not path.is_file():
                raise RewardError(f"clip model: config file {self.model_name!r} does not exist")
            open_clip.add_model_config(path)
            return path.stem
        return self.model_name

    def load(self) -> None:
        """Load the model, preprocessing and tokenizer now (otherwise: on first use).

        Raises :class:`RewardError` naming the model and how to supply weights when they cannot be loaded
        (unknown tag, no network, missing or broken checkpoint file), and
        :class:`~scene_gym.errors.MissingDependencyError` without open_clip.
        """
        if self._model is not None:
            return
        open_clip, torch = _import_open_clip()
        name = self._resolve_model_name(open_clip)
        pre = self.pretrained
        looks_like_path = pre is not None and (os.sep in pre or pre.endswith(_CHECKPOINT_SUFFIXES))
        if looks_like_path and not Path(pre).is_file():
            raise RewardError(f"clip: checkpoint file {pre!r} for model {name!r} does not exist")
        if self.device_spec == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        else:
            device = self.device_spec
        try:
            model, _, preprocess = open_clip.create_model_and_transforms(name, pretrained=pre, device=device,
                                                                         cache_dir=self.cache_dir)  # fmt: skip
            tokenizer = open_clip.get_tokenizer(name)
        except Exception as err:  # noqa: BLE001 - open_clip raises RuntimeError, OSError, HF hub errors...
            offline = os.environ.get("HF_HUB_OFFLINE") == "1"
            raise RewardError(
                f"clip: cannot load open_clip model {name!r} with pretrained {pre!r} on {device!r}: "
                f"{str(err).splitlines()[0][:300] if str(err) else type(err).__name__}. "
                + ("HF_HUB_OFFLINE=1 is set, so weights cannot be downloaded. " if offline else "")
                + "To use the reward without network access, download the weights once on a connected machine "
                "(they are cached under ~/.cache/huggingface) or pass a local checkpoint file: "
                f"ClipReward(model={name!r}, pretrained='/path/to/open_clip_model.safetensors'), or in a reward "
                f"spec 'clip:{name}:/path/to/checkpoint'. List tags with open_clip.list_pretrained()."
            ) from None
        model.eval()
        self._model, self._preprocess, self._tokenizer, self._device = model, preprocess, tokenizer, device

    # --- embeddings ---------------------------------------------------------------------------------------
    def text_embeddings(self, prompts: Sequence[str]) -> np.ndarray:
        """Unit-norm text embeddings (N, D) float32, cached per prompt (up to 1024 prompts)."""
        self.load()
        missing = [p for p in dict.fromkeys(prompts) if p not in self._text_cache]
        if missing:
            import torch

            with torch.no_grad():
                tokens = self._tokenizer(list(missing)).to(self._device)
                emb = self._model.encode_text(tokens).float()
                emb = emb / emb.norm(dim=-1, keepdim=True).clamp_min(1e-12)
            for p, e in zip(missing, emb.cpu().numpy(), strict=True):
                self._text_cache[p] = e
                while len(self._text_cache) > TEXT_CACHE_SIZE:
                    self._text_cache.popitem(last=False)
        for p in prompts:
            self._text_cache.move_to_end(p)
        return np.stack([self._text_cache[p] for p in prompts])

    def image_embeddings(self, images: Sequence[np.ndarray]) -> np.ndarray:
        """Unit-norm image embeddings (N, D) float32 of (H, W, 3) uint8 images, in batches of ``batch_size``."""
        self.load()
        import torch
        from PIL import Image

        out = []
        with torch.no_grad():
            for i in range(0, len(images), self.batch_size):
                chunk = images[i : i + self.batch_size]
                batch = torch.stack([self._preprocess(Image.fromarray(np.asarray(im, dtype=np.uint8))) for im in chunk])
                emb = self._model.encode_image(batch.to(self._device)).float()
                out.append((emb / emb.norm(dim=-1, keepdim=True).clamp_min(1e-12)).cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)

    # --- reward -------------------------------------------------------------------------------------------
    def view_names(self, scene) -> list[str]:
        """The views this reward renders for ``scene``."""
        from scene_gym.render.views import view_names

        out: list[str] = []
        for v in self.views:
            names = ["topdown"] if v == "topdown" else view_names(scene, [v])
            out.extend(n for n in names if n not in out)
        return out

    def compute(self, scene, context: RewardContext) -> RewardResult:
        return self.compute_batch([scene], [context])[0]

    def compute_batch(self, scenes, contexts) -> list[RewardResult]:
        """Rewards of several scenes with all their images embedded in shared batches."""
        if len(scenes) != len(contexts):
            raise RewardError(f"clip: expected one context per scene, got {len(scenes)} scenes and {len(contexts)}")
        names, images = [], []
        for scene, ctx in zip(scenes, contexts, strict=True):
            views = self.view_names(scene)
            rendered = ctx.renders(scene, views)
            names.append(views)
            images.extend(rendered[v] for v in views)
        prompts = [ctx.prompt_for(s) for s, ctx in zip(scenes, contexts, strict=True)]
        text = self.text_embeddings(prompts)
        img = self.image_embeddings(images)
        results, k = [], 0
        for i, views in enumerate(names):
            sims = np.clip(img[k : k + len(views)] @ text[i], -1.0, 1.0)
            k += len(views)
            terms = {f"view.{v}": float(s) for v, s in zip(views, sims, strict=True)}
            results.append(RewardResult(float(sims.mean()), terms))
        return results

    def close(self) -> None:
        self._model = self._preprocess = self._tokenizer = None
        self._text_cache.clear()

    def __repr__(self) -> str:
        return f"ClipReward(model={self.model_name!r}, pretrained={self.pretrained!r}, views={self.views!r})"

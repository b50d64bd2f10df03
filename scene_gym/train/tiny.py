"""Tiny checkpoints built on the spot: no network, no downloads.

A byte-level BPE tokenizer is trained with the ``tokenizers`` library on a corpus (a fixed one of DSL, tool
calls, points and prompts, plus any texts the caller adds: the run's prompts and demonstrations), wrapped in a
:class:`transformers.PreTrainedTokenizerFast` with a Qwen-style chat template (causal LMs: Qwen2.5-Instruct's own,
which TRL parses tool calls with; Qwen2-VL: one that takes image parts), and saved beside a randomly
initialised model built from a config:

- :func:`build_causal_lm`: a Qwen2 causal LM (default hidden 32, 1 layer; sizes are arguments).
- :func:`build_qwen2_vl`: a Qwen2-VL image-text-to-text model (vision tower depth 1, embed 16; text hidden 32,
  1 layer) with a ``Qwen2VLProcessor`` assembled from the image processor's class defaults.

Both are written with ``save_pretrained``, so :class:`scene_gym.agents.vlm.VLMPolicy` (``vlm:PATH``) and the
trainers load them through the path a downloaded checkpoint takes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SPECIAL = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>",
           "<|video_pad|>"]  # fmt: skip

#: Qwen-style template: content is a string or a list of parts ({"type": "text"|"image"}).
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}"
    "{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

QWEN2_5_CHAT_TEMPLATE = (
    "{%- if tools %}\n"
    "    {{- '<|im_start|>system\\n' }}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- messages[0]['content'] }}\n"
    "    {%- else %}\n"
    "        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant"
    ".' }}\n"
    "    {%- endif %}\n"
    '    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the us'
    "er query.\\n\\nYou are provided with function signatures within <tools></tools> XM"
    'L tags:\\n<tools>" }}\n'
    "    {%- for tool in tools %}\n"
    '        {{- "\\n" }}\n'
    "        {{- tool | tojson }}\n"
    "    {%- endfor %}\n"
    '    {{- "\\n</tools>\\n\\nFor each function call, return a json object with functio'
    'n name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"n'
    'ame\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end'
    '|>\\n" }}\n'
    "{%- else %}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n"
    "    {%- else %}\n"
    "        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are"
    " a helpful assistant.<|im_end|>\\n' }}\n"
    "    {%- endif %}\n"
    "{%- endif %}\n"
    "{%- for message in messages %}\n"
    '    {%- if (message.role == "user") or (message.role == "system" and not loop.fi'
    'rst) or (message.role == "assistant" and not message.tool_calls) %}\n'
    "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>"
    "' + '\\n' }}\n"
    '    {%- elif message.role == "assistant" %}\n'
    "        {{- '<|im_start|>' + message.role }}\n"
    "        {%- if message.content %}\n"
    "            {{- '\\n' + message.content }}\n"
    "        {%- endif %}\n"
    "        {%- for tool_call in message.tool_calls %}\n"
    "            {%- if tool_call.function is defined %}\n"
    "                {%- set tool_call = tool_call.function %}\n"
    "            {%- endif %}\n"
    '            {{- \'\\n<tool_call>\\n{"name": "\' }}\n'
    "            {{- tool_call.name }}\n"
    '            {{- \'", "arguments": \' }}\n'
    "            {{- tool_call.arguments | tojson }}\n"
    "            {{- '}\\n</tool_call>' }}\n"
    "        {%- endfor %}\n"
    "        {{- '<|im_end|>\\n' }}\n"
    '    {%- elif message.role == "tool" %}\n'
    '        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") '
    "%}\n"
    "            {{- '<|im_start|>user' }}\n"
    "        {%- endif %}\n"
    "        {{- '\\n<tool_response>\\n' }}\n"
    "        {{- message.content }}\n"
    "        {{- '\\n</tool_response>' }}\n"
    '        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}\n'
    "            {{- '<|im_end|>\\n' }}\n"
    "        {%- endif %}\n"
    "    {%- endif %}\n"
    "{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n"
    "    {{- '<|im_start|>assistant\\n' }}\n"
    "{%- endif %}\n"
)
"""Qwen2.5-Instruct's chat template, byte for byte (text content; tools rendered as ``<tools>`` and
``<tool_call>`` blocks). Causal-LM tokenizers get it, so TRL recognises it (``add_response_schema``) and
parses tool calls in GRPO's multi-turn loop; ``tests/train`` checks it equals TRL's copy."""

CORPUS = [
    'add("sofa", at=(2.0, 0.6), facing="north", material="grey fabric")',
    'add("bed", at=(2.0, 2.5), yaw=90)\nplace_on("table_lamp", "nightstand_1")\ndone()',
    'relate("armchair_1", "facing", "sofa_1")\nmove("chair_1", to=(1.0, 1.5))\nrotate("desk_1", yaw=180)',
    '[{"tool": "init_layout", "args": {}}, {"tool": "add_objects", "args": {"category": "chair", "count": 2}}]',
    '{"tool": "terminate", "args": {"reason": "done"}}',
    '<point x="61.5" y="40.2" alt="books">a stack of books</point>',
    "Design me a bedroom. A cosy living room with a sofa, a coffee table and a tv stand.",
    "You furnish a room by writing a program in the scene DSL. Answer with the program only.",
    "The previous answer could not be used: syntax error. Write it again.",
    "prompt scene feedback catalogue review placed camera image tool calls JSON list",
] * 3
"""The fixed part of every tiny tokenizer's training corpus."""


def train_tokenizer(out_dir: str | Path, vocab_size: int = 400, texts: Iterable[str] = (),
                    chat_template: str = CHAT_TEMPLATE):  # fmt: skip
    """Train a byte-level BPE tokenizer of at most ``vocab_size`` tokens on :data:`CORPUS` plus ``texts`` and save
    it as a fast tokenizer (with ``chat_template``, default :data:`CHAT_TEMPLATE`) in ``out_dir``; returns it."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=int(vocab_size), special_tokens=SPECIAL,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())  # fmt: skip
    tok.train_from_iterator([*CORPUS, *texts], trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   chat_template=chat_template)  # fmt: skip
    fast.save_pretrained(out_dir)
    return fast


def build_causal_lm(out_dir: str | Path, seed: int = 0, *, vocab_size: int = 400, texts: Iterable[str] = (),
                    hidden_size: int = 32, num_layers: int = 1, num_heads: int = 2,
                    intermediate_size: int | None = None) -> Path:  # fmt: skip
    """A tiny Qwen2 causal LM + tokenizer (with :data:`QWEN2_5_CHAT_TEMPLATE`) saved in ``out_dir`` (weights drawn
    with ``seed``); returns ``out_dir``.

    Args:
        vocab_size: tokenizer size (tokens); ``texts`` are added to its training corpus.
        hidden_size, num_layers, num_heads: transformer width (units), depth and attention heads (one KV head).
        intermediate_size: MLP width (default ``2 * hidden_size``).
    """
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    out_dir = Path(out_dir)
    tok = train_tokenizer(out_dir, vocab_size, texts, QWEN2_5_CHAT_TEMPLATE)
    torch.manual_seed(seed)
    config = Qwen2Config(vocab_size=len(tok), hidden_size=hidden_size,
                         intermediate_size=intermediate_size or 2 * hidden_size, num_hidden_layers=num_layers,
                         num_attention_heads=num_heads, num_key_value_heads=1, max_position_embeddings=32768,
                         eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, bos_token_id=None,
                         tie_word_embeddings=True)  # fmt: skip
    Qwen2ForCausalLM(config).save_pretrained(out_dir)
    return out_dir


def build_qwen2_vl(out_dir: str | Path, seed: int = 0, *, vocab_size: int = 400, texts: Iterable[str] = (),
                   hidden_size: int = 32, num_layers: int = 1) -> Path:  # fmt: skip
    """A tiny Qwen2-VL model + processor (image processor defaults, 56-112 px images, trained tokenizer) saved in
    ``out_dir``; ``hidden_size`` (units, a multiple of 16) and ``num_layers`` size the text model."""
    import torch
    from transformers import (
        Qwen2VLConfig,
        Qwen2VLForConditionalGeneration,
        Qwen2VLImageProcessor,
        Qwen2VLProcessor,
        Qwen2VLVideoProcessor,
    )

    out_dir = Path(out_dir)
    tok = train_tokenizer(out_dir, vocab_size, texts)
    ids = {t: tok.convert_tokens_to_ids(t) for t in SPECIAL}
    torch.manual_seed(seed)
    # mrope sections are in half-head-dims: head_dim = hidden / heads (2 heads) -> sections sum to head_dim / 2
    half = hidden_size // 4
    section = [half - 2 * (half * 3 // 8), half * 3 // 8, half * 3 // 8]
    config = Qwen2VLConfig(
        text_config={"vocab_size": len(tok), "hidden_size": hidden_size, "intermediate_size": 2 * hidden_size,
                     "num_hidden_layers": num_layers, "num_attention_heads": 2, "num_key_value_heads": 1,
                     "max_position_embeddings": 32768,
                     "rope_parameters": {"rope_type": "default", "rope_theta": 10000.0, "mrope_section": section},
                     "eos_token_id": tok.eos_token_id, "pad_token_id": tok.pad_token_id, "bos_token_id": None},
        vision_config={"depth": 1, "embed_dim": 16, "hidden_size": hidden_size, "num_heads": 2, "mlp_ratio": 2,
                       "patch_size": 14, "spatial_merge_size": 2, "temporal_patch_size": 2},
        image_token_id=ids["<|image_pad|>"], video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"], vision_end_token_id=ids["<|vision_end|>"],
        eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id, tie_word_embeddings=True,
    )  # fmt: skip
    Qwen2VLForConditionalGeneration(config).save_pretrained(out_dir)
    image_processor = Qwen2VLImageProcessor(min_pixels=56 * 56, max_pixels=112 * 112)
    processor = Qwen2VLProcessor(image_processor=image_processor, tokenizer=tok, video_processor=Qwen2VLVideoProcessor(),
                                 chat_template=CHAT_TEMPLATE)  # fmt: skip
    processor.save_pretrained(out_dir)
    return out_dir


def count_parameters(path: str | Path) -> int:
    """Number of parameters of the checkpoint in ``path`` (loads it on CPU)."""
    from scene_gym.llm.local_models import load_checkpoint

    return int(sum(p.numel() for p in load_checkpoint(path).model.parameters()))

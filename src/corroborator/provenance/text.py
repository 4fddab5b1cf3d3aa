"""Text reuse between reports: which report reprints which, and exactly which passages.

Pure library: texts in, reuse records out; it never touches the store.

API::

    TextDoc(key, text, published=None)           # key: any hashable id (report id), published: datetime or None
    find_text_reuse(docs, *, progress=None) -> list[TextReuse]
    TextReuseIndex().add(doc) -> list[TextReuse]  # incremental: reuse between doc and every doc added before
    align_passages(original_text, copy_text) -> list[Passage]

    TextReuse(original_key, copy_key, kind, similarity, coverage_original, coverage_copy, passages, direction_known)
    Passage(original_start, original_end, copy_start, copy_end)   # character offsets, end exclusive

How it works, and why:

1. **Tokens.** Words (``\\w+``, lower-cased) with their character spans, so that passages found on
   words map back to exact offsets in the text as received. Punctuation, spacing and case changes
   do not count as edits.
2. **Candidates (sub-quadratic).** Each report is cut into overlapping windows of ``WINDOW_TOKENS``
   words (half a window apart); each window's word 4-grams get a MinHash and go into one datasketch
   ``MinHashLSH`` under the report's id. Windows, not whole documents, because a report that reprints
   one paragraph inside other text shares little with the whole of the other report but a lot with
   one of its windows. 4-grams already used in ``STOCK_DOCUMENT_FREQUENCY`` reports or in
   ``STOCK_SHARE`` of them, whichever is more (stock phrases, sign-offs), are left out of the
   sketches, so that formulaic wording alone makes no candidates; text a report shares with an
   earlier one does not count as a use, so a story reprinted by a hundred outlets never becomes
   "stock". A report is aligned only with the reports whose windows collide with its own and that share at
   least ``MIN_COMMON_SHINGLES`` non-stock 4-grams with it. Per-report work is bounded: at most
   ``MAX_TOKENS`` words are read and at most ``MAX_CANDIDATES`` candidates (those sharing the most
   windows) are aligned.
3. **Alignment.** The shared 4-grams of two texts are chained into passages along a diagonal,
   tolerating small gaps and shifts (a changed word, "told RT" turned into "said", a dropped
   clause), so that light editing leaves one passage instead of many fragments. A passage needs
   ``MIN_PASSAGE_TOKENS`` words and ``MIN_PASSAGE_DENSITY`` of its 4-grams shared; a pair counts
   as reuse when its passages hold at least ``MIN_SHARED_TOKENS`` words (about two sentences: one
   shared stock sentence or a short common quote is not reuse), or most of a short text.
4. **Scores.** ``coverage_original`` / ``coverage_copy``: the share of each text's words inside the
   passages. ``similarity``: the share of the copy's passage words that lie in 4-grams found word
   for word in the original, 1.0 for a word-for-word copy, lower the more it was edited.
5. **Kind.** ``"verbatim"`` when both texts are almost wholly covered (``VERBATIM_COVERAGE``) and
   the passages are word for word (``VERBATIM_SIMILARITY``); ``"edited"`` when both are mostly
   covered (``FULL_COVERAGE``); ``"partial"`` when only part of one text is reused in the other.
6. **Direction.** The report published first is the likely original (``direction_known=True``).
   With a missing or equal time nothing is known (``direction_known=False``) and the report added
   to the index first is put as ``original_key`` only so that the output is deterministic.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime

import numpy as np
from datasketch import MinHash, MinHashLSH

SHINGLE_TOKENS = 4  # words per shingle: for the MinHash of windows and for alignment seeds
WINDOW_TOKENS = 40  # words per MinHash window; windows start every WINDOW_TOKENS // 2 words
NUM_PERM = 64
LSH_BANDS, LSH_ROWS = 32, 2  # a window pair with Jaccard 0.3 collides with probability 0.95, 0.1 with 0.05
MIN_WINDOW_SHINGLES = 5  # a window of stock phrases only is not sketched
MAX_TOKENS = 20_000  # words read per report (bounds per-report work on a huge text)
# Reports checked per new report, those sharing the most windows first (50 lost a tenth of the partial
# reprints among 40,000 reports: one reprinted paragraph shares few windows).
MAX_CANDIDATES = 300
# A 4-gram already used in this many reports, outside text they share with another, is a stock phrase
# ("the figure could not be verified", a sign-off): it is left out of the window sketches so that it
# cannot make candidates by itself.
# Counted approximately in 2**24 cells (32 MiB); a collision can only make a 4-gram look commoner.
STOCK_DOCUMENT_FREQUENCY = 32
STOCK_SHARE = 0.003  # ... or in this share of the reports indexed, if more: common words pair up more in a big corpus
_STOCK_MASK = np.uint32((1 << 24) - 1)
MAX_SEED_REPEATS = 4  # a 4-gram repeated more often than this in one text is boilerplate, not evidence
MAX_GAP = 8  # words that may be skipped in either text inside one passage
MAX_SKEW = 4  # words that may be inserted or deleted at one place inside one passage
MIN_PASSAGE_TOKENS = 15
# Share of a passage's 4-grams found in both texts. Chains of stock phrases ("the figure could not be
# verified", "the ministry said") between unrelated reports fall well below it; light editing does not.
MIN_PASSAGE_DENSITY = 0.8
MIN_COMMON_SHINGLES = 4  # distinct non-stock 4-grams two texts must share to be aligned at all
MIN_SHARED_TOKENS = 30  # about two sentences: one shared stock sentence is not reuse
SHORT_TEXT_SHARED_TOKENS = 10  # a short post copied whole counts even below MIN_SHARED_TOKENS
FULL_COVERAGE = 0.55  # both texts at least this much inside passages: the whole report was reused
VERBATIM_COVERAGE = 0.85
VERBATIM_SIMILARITY = 0.99

_WORD = re.compile(r"\w+")
_TRAILING = re.compile(r"[^\w\s]")  # punctuation that may close a passage
_MASK32 = np.uint64(0xFFFFFFFF)
_MULTIPLIER = np.uint64(0x9E3779B1)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=20220106, scheme="affine32").permutations


def _identity(value: int) -> int:
    return value


@dataclass(frozen=True)
class TextDoc:
    """One report's text as the provenance stage reads it."""

    key: Hashable
    text: str
    published: datetime | None = None


@dataclass(frozen=True)
class Passage:
    """A reused passage: ``original[original_start:original_end]`` reappears as ``copy[copy_start:copy_end]``."""

    original_start: int
    original_end: int
    copy_start: int
    copy_end: int


@dataclass
class TextReuse:
    """Evidence that ``copy_key`` reuses text of ``original_key`` (see the module docstring for each score)."""

    original_key: Hashable
    copy_key: Hashable
    kind: str  # "verbatim" | "edited" | "partial"
    similarity: float
    coverage_original: float
    coverage_copy: float
    passages: list[Passage] = field(default_factory=list)
    direction_known: bool = False

    def to_dict(self) -> dict:
        """JSON-ready form (keys kept as they are)."""
        return asdict(self)


@dataclass
class _Tokens:
    spans: np.ndarray  # (n, 2) character start, end of each word
    shingles: np.ndarray  # (max(n - k + 1, 0),) uint32 hash of each run of SHINGLE_TOKENS words

    @property
    def count(self) -> int:
        return len(self.spans)


def _tokenize(text: str) -> _Tokens:
    words, spans = [], []
    for match in _WORD.finditer(text):
        words.append(match.group().lower())
        spans.append(match.span())
        if len(words) >= MAX_TOKENS:
            break
    word_hashes = np.array([zlib.crc32(word.encode()) for word in words], dtype=np.uint64)
    n = len(words) - SHINGLE_TOKENS + 1
    shingles = np.zeros(max(n, 0), dtype=np.uint64)
    for offset in range(SHINGLE_TOKENS):  # polynomial hash of the k words, modulo 2**32
        if n > 0:
            shingles = (shingles * _MULTIPLIER + word_hashes[offset : offset + n]) & _MASK32
    return _Tokens(np.array(spans, dtype=np.int32).reshape(-1, 2), shingles.astype(np.uint32))


def _window_minhashes(shingles: np.ndarray, distinctive: np.ndarray) -> list[MinHash]:
    """MinHashes of overlapping windows of shingles, stock phrases left out; a short text is one window.

    Windows are cut by position before stock phrases are dropped, so a window always spans the same
    stretch of text however common its phrases are.
    """
    step = WINDOW_TOKENS // 2
    sketches = []
    for start in range(0, max(len(shingles) - WINDOW_TOKENS + step, 1), step):
        kept = shingles[start : start + WINDOW_TOKENS][distinctive[start : start + WINDOW_TOKENS]]
        if len(kept) >= MIN_WINDOW_SHINGLES:
            sketch = MinHash(num_perm=NUM_PERM, scheme="affine32", permutations=_PERMUTATIONS, hashfunc=_identity)
            sketch.update_batch(kept.tolist())
            sketches.append(sketch)
    return sketches


@dataclass
class _Run:
    """A chain of shared shingles, as (original position, copy position) pairs in order."""

    seeds: list[tuple[int, int]]

    def trimmed(self) -> list[tuple[int, int]]:
        """The seeds without lone ones at either edge: a stray stock phrase chained onto a passage is not part of it."""
        seeds = self.seeds
        start, end = 0, len(seeds)
        while end - start >= 2 and not _adjacent(seeds[start], seeds[start + 1]):
            start += 1
        while end - start >= 2 and not _adjacent(seeds[end - 2], seeds[end - 1]):
            end -= 1
        return seeds[start:end]


def _adjacent(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return second[0] - first[0] == 1 and second[1] - first[1] == 1


@dataclass(frozen=True)
class _Span:
    """A passage as word ranges (end exclusive), with how many of its copy words lie in shared shingles."""

    original_start: int
    original_end: int
    copy_start: int
    copy_end: int
    exact_copy_words: int


def _chain_seeds(original: _Tokens, copy: _Tokens) -> list[_Run]:
    """Shared shingles chained into runs along a diagonal.

    A run goes on while both texts advance by at most MAX_GAP shingles and the two advances differ
    by at most MAX_SKEW (words inserted or removed in one text); the closest diagonal wins.
    """
    positions: dict[int, list[int]] = {}
    for i, value in enumerate(original.shingles.tolist()):
        positions.setdefault(value, []).append(i)
    open_runs: list[_Run] = []
    runs: list[_Run] = []
    for j, value in enumerate(copy.shingles.tolist()):
        hits = positions.get(value)
        if hits is None or len(hits) > MAX_SEED_REPEATS:
            continue
        live = []
        for run in open_runs:
            (runs if j - run.seeds[-1][1] > MAX_GAP else live).append(run)
        open_runs = live
        for i in hits:
            best, best_skew = None, MAX_SKEW + 1
            for run in open_runs:
                last_i, last_j = run.seeds[-1]
                if 0 < i - last_i <= MAX_GAP and j > last_j:
                    skew = abs((i - last_i) - (j - last_j))
                    if skew < best_skew:
                        best, best_skew = run, skew
            if best is None:
                open_runs.append(_Run([(i, j)]))
            else:
                best.seeds.append((i, j))
    return runs + open_runs


def _covered(starts: list[int]) -> int:
    """Words covered by shingles starting at the given sorted positions."""
    total, reach = 0, -1
    for start in starts:
        total += start + SHINGLE_TOKENS - max(start, reach)
        reach = start + SHINGLE_TOKENS
    return total


def _passage_spans(original: _Tokens, copy: _Tokens) -> list[_Span]:
    """Non-overlapping runs good enough to be passages, in the copy's order.

    A passage needs MIN_PASSAGE_TOKENS words on both sides and MIN_PASSAGE_DENSITY of its shingles
    shared; overlapping candidates are settled in favour of the one with more shared shingles.
    """
    k = SHINGLE_TOKENS
    chosen: list[_Span] = []
    trimmed = [seeds for seeds in (run.trimmed() for run in _chain_seeds(original, copy)) if seeds]
    for seeds in sorted(trimmed, key=len, reverse=True):
        o0, o1 = seeds[0][0], seeds[-1][0] + k
        c0, c1 = seeds[0][1], seeds[-1][1] + k
        if min(o1 - o0, c1 - c0) < MIN_PASSAGE_TOKENS or len(seeds) < MIN_PASSAGE_DENSITY * (c1 - c0 - k + 1):
            continue
        if any(o0 < p.original_end and p.original_start < o1 or c0 < p.copy_end and p.copy_start < c1 for p in chosen):
            continue
        chosen.append(_Span(o0, o1, c0, c1, _covered([j for _, j in seeds])))
    return sorted(chosen, key=lambda span: span.copy_start)


def _passages(
    original: TextDoc | str, copy: TextDoc | str, spans: list[_Span], tokens: tuple[_Tokens, _Tokens]
) -> list[Passage]:
    """Character offsets of the spans; a passage's end takes in the punctuation after it when both texts have it."""
    original_text = original if isinstance(original, str) else original.text
    copy_text = copy if isinstance(copy, str) else copy.text
    original_tokens, copy_tokens = tokens
    passages = []
    for span in spans:
        original_end = int(original_tokens.spans[span.original_end - 1, 1])
        copy_end = int(copy_tokens.spans[span.copy_end - 1, 1])
        while (
            original_end < len(original_text)
            and copy_end < len(copy_text)
            and original_text[original_end] == copy_text[copy_end]
            and _TRAILING.match(original_text[original_end])
        ):
            original_end, copy_end = original_end + 1, copy_end + 1
        passages.append(
            Passage(
                int(original_tokens.spans[span.original_start, 0]),
                original_end,
                int(copy_tokens.spans[span.copy_start, 0]),
                copy_end,
            )
        )
    return passages


def align_passages(original_text: str, copy_text: str) -> list[Passage]:
    """The passages of ``original_text`` reused in ``copy_text``, in the copy's order (may be empty)."""
    original, copy = _tokenize(original_text), _tokenize(copy_text)
    return _passages(original_text, copy_text, _passage_spans(original, copy), (original, copy))


def _compare(original: _Tokens, copy: _Tokens) -> tuple[str, float, float, float, list[_Span]] | None:
    """Kind, similarity and coverages of the reuse between two texts, with its spans; None when there is none."""
    spans = _passage_spans(original, copy)
    if not spans:
        return None
    shared_original = sum(span.original_end - span.original_start for span in spans)
    shared_copy = sum(span.copy_end - span.copy_start for span in spans)
    coverage_original = shared_original / original.count
    coverage_copy = shared_copy / copy.count
    short_text_copied = max(coverage_original, coverage_copy) >= FULL_COVERAGE
    if min(shared_original, shared_copy) < MIN_SHARED_TOKENS and not (
        short_text_copied and min(shared_original, shared_copy) >= SHORT_TEXT_SHARED_TOKENS
    ):
        return None
    similarity = sum(span.exact_copy_words for span in spans) / shared_copy
    if min(coverage_original, coverage_copy) >= VERBATIM_COVERAGE and similarity >= VERBATIM_SIMILARITY:
        kind = "verbatim"
    elif min(coverage_original, coverage_copy) >= FULL_COVERAGE:
        kind = "edited"
    else:
        kind = "partial"
    return kind, similarity, coverage_original, coverage_copy, spans


@dataclass
class _Entry:
    doc: TextDoc
    order: int
    tokens: _Tokens
    distinctive: np.ndarray  # sorted distinct shingles that were not stock phrases when the report was added


class TextReuseIndex:
    """Reports added one by one; each ``add`` returns the reuse between the new report and those before it.

    The index keeps every report's text (for alignment) and its window sketches in an in-memory
    ``MinHashLSH``; adding N reports costs about N times the work of one, not N squared.
    """

    def __init__(self) -> None:
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=(LSH_BANDS, LSH_ROWS))
        self._entries: list[_Entry] = []
        self._keys: set[Hashable] = set()
        self._document_frequency = np.zeros(_STOCK_MASK + 1, dtype=np.uint16)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, doc: TextDoc) -> list[TextReuse]:
        """Index ``doc`` and return its reuse of, or by, the reports already indexed."""
        if doc.key in self._keys:
            raise ValueError(f"report {doc.key!r} is already in the text-reuse index")
        tokens = _tokenize(doc.text)
        cells = tokens.shingles & _STOCK_MASK
        stock = max(STOCK_DOCUMENT_FREQUENCY, int(STOCK_SHARE * len(self._entries)))
        distinctive = self._document_frequency[cells] < stock
        sketches = _window_minhashes(tokens.shingles, distinctive)
        own = np.unique(tokens.shingles[distinctive])
        hits: dict[int, int] = {}
        for sketch in sketches:
            for candidate in self._lsh.query(sketch):
                hits[candidate] = hits.get(candidate, 0) + 1
        order = len(self._entries)
        entry = _Entry(doc, order, tokens, own)
        for sketch in sketches:
            self._lsh.insert(order, sketch, check_duplication=False)
        self._entries.append(entry)
        self._keys.add(doc.key)
        found = []
        for candidate in sorted(hits, key=lambda c: (-hits[c], c))[:MAX_CANDIDATES]:
            common = np.intersect1d(self._entries[candidate].distinctive, own, assume_unique=True)
            if len(common) < MIN_COMMON_SHINGLES:  # cheap rejection before alignment
                continue
            reuse = _reuse(self._entries[candidate], entry, self._entries[candidate].tokens, tokens)
            if reuse is not None:
                found.append(reuse)
        self._count_phrases(doc, tokens, found)
        return found

    def _count_phrases(self, doc: TextDoc, tokens: _Tokens, found: list[TextReuse]) -> None:
        """Count the report's 4-grams towards stock phrases, except those inside text it shares with another.

        A story reprinted by a hundred outlets must not turn into a stock phrase and hide the
        hundred-and-first reprint: only independent uses of a phrase make it stock.
        """
        shared = np.zeros(len(tokens.shingles), dtype=bool)
        starts = tokens.spans[: len(tokens.shingles), 0]
        for reuse in found:
            for passage in reuse.passages:
                start, end = (
                    (passage.copy_start, passage.copy_end)
                    if reuse.copy_key == doc.key
                    else (passage.original_start, passage.original_end)
                )
                shared |= (starts >= start) & (starts < end)
        seen = np.unique(tokens.shingles[~shared] & _STOCK_MASK)
        self._document_frequency[seen] += self._document_frequency[seen] < np.iinfo(np.uint16).max


def _reuse(earlier: _Entry, later: _Entry, earlier_tokens: _Tokens, later_tokens: _Tokens) -> TextReuse | None:
    """Reuse between two indexed reports, oriented by publication time where it is known."""
    a, b = earlier.doc.published, later.doc.published
    direction_known = a is not None and b is not None and a != b
    if direction_known and b < a:
        original, copy, original_tokens, copy_tokens = later, earlier, later_tokens, earlier_tokens
    else:
        original, copy, original_tokens, copy_tokens = earlier, later, earlier_tokens, later_tokens
    compared = _compare(original_tokens, copy_tokens)
    if compared is None:
        return None
    kind, similarity, coverage_original, coverage_copy, spans = compared
    return TextReuse(
        original_key=original.doc.key,
        copy_key=copy.doc.key,
        kind=kind,
        similarity=round(similarity, 4),
        coverage_original=round(coverage_original, 4),
        coverage_copy=round(coverage_copy, 4),
        passages=_passages(original.doc, copy.doc, spans, (original_tokens, copy_tokens)),
        direction_known=direction_known,
    )


def find_text_reuse(docs: Iterable[TextDoc], *, progress: Callable[[int], None] | None = None) -> list[TextReuse]:
    """Every pair of reports that share text, each pair once.

    ``progress``, if given, is called with the number of reports read so far, every 1,000 reports
    and at the end.
    """
    index = TextReuseIndex()
    found: list[TextReuse] = []
    for count, doc in enumerate(docs, start=1):
        found.extend(index.add(doc))
        if progress is not None and count % 1000 == 0:
            progress(count)
    if progress is not None:
        progress(len(index))
    return found

"""Grouping claims into questions: which claims are about the same thing (pure: claim views in, groups out).

A question is what an editor would put on the board as one contested matter: "deaths in
Almaty, 5-6 January", "did soldiers fire live rounds at Republic Square?". Grouping scores
every pair of claims with a small logistic model over features an editor would use (what the
sentences say, the quantity they count, places, figures, time, where in a report they sit, who
speaks), rescores each pair adding how alike the two claims' links to all the others are (claims
of one question are linked to the same claims even when their wording differs), then joins
claims by average linkage. Two thresholds, as in verification platforms: a pair of
groups whose average link score reaches ``UPPER`` is joined; one between ``LOWER`` and
``UPPER`` is only *suggested*, for an editor to confirm or reject.

The model's weights were fitted on the dev question gold (``benchmarks/link_grouping_eval.py
--fit``); the held-out crisis is never used for fitting.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from corroborator.link import embeddings
from corroborator.link.numbers import fold_measure
from corroborator.link.relations import ClaimView
from corroborator.link.text import claim_text

# -- claims as grouping sees them ------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A claim to group: what it says (the relation rules' ``ClaimView``) and where it sits.

    ``key`` is stable across re-extraction (editor decisions are stored against it); ``report``
    and ``position`` say where the claim sits, since neighbouring claims of one report are
    usually about the same matter.
    """

    key: str
    report: str
    position: int
    claim: ClaimView

    @property
    def text(self) -> str:
        return self.claim.sentence


# The order in which a claim's figures decide its measure: a death figure wins (docs/linking-gold.md).
MEASURE_PRIORITY = ("killed", "injured", "missing", "detained", "displaced", "damaged", "deployed", "gathered")


def measure(claim: ClaimView) -> str | None:
    """The quantity a claim counts, for grouping: a death figure first, then by ``MEASURE_PRIORITY``."""
    found = {fold_measure(quantity.subject) for quantity in claim.quantities}
    return next((name for name in MEASURE_PRIORITY if name in found), None)


# -- meaning -----------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]")
_STOP = frozenset(
    """a an the and or but if of to in on at by for from with without into onto over under about as is are was were
    be been being has have had do does did it its this that these those there their they them he she his her him
    we our us you your i my me who whom which what when where while than then so such not no nor also only just
    very more most some any all each both either neither other others another said says say saying told tells
    tell according reported reports report added adding stated statement would could should will can may might must
    s t after before since during because until up out down off again further once here how why""".split()
)


# Words of one concept in crisis reporting, met under one token: "shots" and "opened fire", "shelled"
# and "artillery", "held" and "detained" say the same thing to an editor grouping claims.
_CONCEPTS = {
    "fire": "shoot shot shooting shots fire fired firing gunfire bursts burst gunshot gunshots",
    "shell": "shell shells shelled shelling artillery mortar mortars crater craters bombard bombarded",
    "death": "kill killed killing dead died die dies death deaths body bodies toll coffin coffins buried burial "
    "funeral funerals morgue morgues corpse corpses drowned beheaded fatalities",
    "wound": "wound wounded wounds injure injured injuries injury hurt",
    "detain": "detain detained detention detentions detainee detainees arrest arrested arrests held hold holding "
    "seized custody captive captives rounded",
    "displace": "evacuate evacuated evacuation evacuees fled flee displaced shelter shelters sheltering homeless",
    "cross": "cross crossed crossing crossings",
    "warn": "warn warned warning warnings",
}
_CONCEPT = {word: concept for concept, words in _CONCEPTS.items() for word in words.split()}


def _stem(word: str) -> str:
    """Concept words to their concept, others crudely suffix-stripped ("soldiers", "soldier": "soldier")."""
    word = word.replace("’", "'").removesuffix("'s").strip("'")
    if word in _CONCEPT:
        return _CONCEPT[word]
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    return word.removesuffix("e") if len(word) > 3 else word


def tokens(text: str) -> list[str]:
    """Content words of a sentence, stemmed; attribution verbs and function words left out."""
    return [_stem(word) for word in _WORD.findall(text.lower()) if word not in _STOP]


def embed(texts: Sequence[str]) -> np.ndarray:
    """Sentence vectors, rows of unit length, so a dot product is a cosine.

    Half TF-IDF (``tfidf``), half the pinned MiniLM model's vector of the claim without its
    attribution (``link.embeddings``, the vector relating already computed, so it costs nothing
    more): the dot product is the mean of the two cosines. Claims of one question share their
    own words more than a general model sees, so neither replaces the other; together they
    scored a higher B-cubed F1 on three of the four dev crises, each fitted on the other three,
    and a lower one on none (docs/benchmarks.md).
    """
    if not texts:
        return np.zeros((0, 1))
    meaning = embeddings.encode([claim_text(text) for text in texts]).astype(float)
    return np.hstack([tfidf(texts), meaning]) * math.sqrt(0.5)


def tfidf(texts: Sequence[str]) -> np.ndarray:
    """TF-IDF rows over stemmed content words fitted on the texts given (sublinear term frequency, smoothed idf)."""
    docs = [Counter(tokens(text)) for text in texts]
    vocabulary = {word: index for index, word in enumerate(sorted({word for doc in docs for word in doc}))}
    matrix = np.zeros((len(docs), max(len(vocabulary), 1)))
    frequency = Counter(word for doc in docs for word in doc)
    for row, doc in enumerate(docs):
        for word, count in doc.items():
            idf = math.log((1 + len(docs)) / (1 + frequency[word])) + 1
            matrix[row, vocabulary[word]] = (1 + math.log(count)) * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


# -- pair features -----------------------------------------------------------------------------

# Words that put a sentence on one measure even without a number: "the toll is far too low",
# "nobody was brought in without a head", "the detainees were beaten".
_TOPIC_WORDS = {
    "killed": r"kill\w*|dead|died|dies|death\w*|bod(?:y|ies)|toll|coffins?|buried|burial|funerals?|morgues?|"
    r"corpses?|drown\w*|behead\w*|fatalit\w*|mourn\w*|graves?",
    "injured": r"injur\w*|wound\w*|hurt|hospitali[sz]ed|casualt\w*",
    "missing": r"missing|unaccounted|disappeared",
    "detained": r"detain\w*|detention\w*|arrest\w*|custody|prisoners?|held|captives?",
    "displaced": r"displaced|evacuat\w*|fled|shelters?|homeless|refugees?",
}
_TOPIC_PATTERNS = {topic: re.compile(r"\b(?:" + words + r")\b", re.IGNORECASE) for topic, words in _TOPIC_WORDS.items()}

FEATURES = (
    "cosine",  # cosine of the sentence vectors
    "same_measure",  # both count the same thing (deaths, injured, detained...)
    "other_measure",  # both count something, not the same thing
    "same_topic_words",  # both use words of one measure (dead, toll, bodies...), numbers or not
    "shared_place",  # share a named place
    "same_time",  # event times overlap
    "apart_in_time",  # event times more than a day apart
    "shared_figure",  # state the same exact figure (eleven detainees, four guards)
    "adjacent",  # next to each other in one report
    "same_report",  # in one report, not next to each other
    "same_claimant",  # the same speaker
    "follows_up",  # the next claim of a report, opening with a word that points back ("they", "such", "neither")
    "cosine_alone",  # cosine where neither counts anything: wording is then all there is to go on
    "cosine_sq",  # high cosines count for more than their share
)


_POINTS_BACK = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:he|she|they|it|its|their|them|this|that|these|those|such|neither|both|among|"
    r"the\s+(?:figure|figures|number|claim|claims|report|reports|account|accounts|list|toll))\b",
    re.IGNORECASE,
)


def _topics(text: str) -> frozenset[str]:
    return frozenset(topic for topic, pattern in _TOPIC_PATTERNS.items() if pattern.search(text))


def _shares(sets: Sequence[frozenset[object]]) -> np.ndarray:
    """(n, n) booleans: whether two claims' sets meet, by one incidence-matrix product."""
    index: dict[object, int] = {}
    rows, columns = [], []
    for row, values in enumerate(sets):
        for value in values:
            rows.append(row)
            columns.append(index.setdefault(value, len(index)))
    incidence = np.zeros((len(sets), max(len(index), 1)))
    incidence[rows, columns] = 1.0
    return (incidence @ incidence.T) > 0


def _equal(values: Sequence[object]) -> np.ndarray:
    codes = {value: code for code, value in enumerate(dict.fromkeys(values))}
    array = np.array([codes[value] for value in values])
    return array[:, None] == array[None, :]


def feature_matrices(items: Sequence[Item], vectors: np.ndarray) -> Iterator[np.ndarray]:
    """Each feature of ``FEATURES`` in turn, as an (n, n) matrix over every pair of claims."""
    cosine = np.clip(vectors @ vectors.T, 0.0, 1.0)
    kinds = [measure(item.claim) for item in items]
    counted = np.array([kind is not None for kind in kinds])
    both_count = counted[:, None] & counted[None, :]
    same_kind = _equal(kinds) & both_count
    timed = np.array([item.claim.time is not None for item in items])
    start = np.array([item.claim.time.start.toordinal() if item.claim.time else 0 for item in items])
    end = np.array([item.claim.time.end.toordinal() if item.claim.time else 0 for item in items])
    gap = np.maximum(start[None, :] - end[:, None], start[:, None] - end[None, :]).clip(min=0)
    both_timed = timed[:, None] & timed[None, :]
    same_report = _equal([item.report for item in items])
    position = np.array([item.position for item in items])
    near = same_report & (np.abs(position[:, None] - position[None, :]) <= 1)
    back = np.array([bool(_POINTS_BACK.match(item.text)) for item in items])
    yield cosine
    yield same_kind
    yield both_count & ~same_kind
    yield _shares([_topics(item.text) for item in items])
    yield _shares([frozenset(place.casefold() for place in item.claim.places) for item in items])
    yield both_timed & (gap == 0)
    yield both_timed & (gap > 1)
    yield _shares([frozenset((q.low, q.high) for q in item.claim.quantities if q.low >= 2) for item in items])
    yield near
    yield same_report & ~near
    yield _equal([item.claim.claimant.casefold() for item in items])
    yield near & (back[:, None] | back[None, :])
    yield cosine * (~counted[:, None] & ~counted[None, :])
    yield np.sqrt(cosine)


def pair_features(items: Sequence[Item], vectors: np.ndarray) -> np.ndarray:
    """An (n, n, len(FEATURES)) array of the features of every pair (zero on the diagonal), for fitting."""
    out = np.stack(list(feature_matrices(items, vectors)), axis=-1).astype(float)
    diagonal = np.arange(len(items))
    out[diagonal, diagonal] = 0.0
    return out


# Fitted on the fifteen dev crises' question gold by ``benchmarks/link_grouping_eval.py --fit``: the first pass
# scores pairs on their own features, the second adds how alike the two claims' first-pass
# profiles are (``PROFILE_FEATURES``).
# fmt: off
WEIGHTS = np.array([
    1.800, 3.023, -2.172, 2.293, -0.328, 0.003, -0.822, 0.171, 1.381, 0.567, 0.201, 0.713, 3.513, 1.842,
])
# fmt: on
BIAS = -1.592
PROFILE_FEATURES = (
    "profile",  # cosine of the two claims' rows of first-pass scores: linked to the same other claims
    "profile_positive",  # the same, negative values cut to zero
)
# fmt: off
PROFILE_WEIGHTS = np.array([
    0.553, 1.216, -1.146, 0.151, -0.176, -0.128, -0.614, 0.201, 0.818, 0.145, 0.036, 0.444, 0.803, -0.206,
    3.190, 1.004,
])
# fmt: on
PROFILE_BIAS = -1.282


def _logistic(matrices: Iterator[np.ndarray], weights: np.ndarray, bias: float, n: int) -> np.ndarray:
    """Weighted matrices summed one at a time, so memory stays at a few (n, n) arrays, then squashed."""
    logit = np.full((n, n), bias)
    for weight, matrix in zip(weights, matrices, strict=True):
        logit += weight * matrix
    scores = 1.0 / (1.0 + np.exp(-logit))
    np.fill_diagonal(scores, 1.0)
    return scores


def profile_similarity(scores: np.ndarray) -> np.ndarray:
    """How alike two claims' links to all the others are: the cosine of their centred rows of scores.

    Claims of one question are linked to the same other claims even when their own wording differs,
    which a lone pair cannot show.
    """
    centred = scores - scores.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    rows = centred / np.where(norms == 0, 1, norms)
    return rows @ rows.T


def profile_matrices(items: Sequence[Item], vectors: np.ndarray, first: np.ndarray) -> Iterator[np.ndarray]:
    """The second pass's features: the pair features, then the profile similarities of ``first``."""
    yield from feature_matrices(items, vectors)
    profile = profile_similarity(first)
    yield profile
    yield np.clip(profile, 0.0, None)


def first_pass(items: Sequence[Item], vectors: np.ndarray) -> np.ndarray:
    """Pair scores from the pair features alone."""
    return _logistic(feature_matrices(items, vectors), WEIGHTS, BIAS, len(items))


def link_scores(items: Sequence[Item], vectors: np.ndarray) -> np.ndarray:
    """Probability, for every pair, that an editor would put the two claims in one question."""
    first = first_pass(items, vectors)
    return _logistic(profile_matrices(items, vectors, first), PROFILE_WEIGHTS, PROFILE_BIAS, len(items))


# -- clustering --------------------------------------------------------------------------------

UPPER = 0.8  # average link score from which two groups are joined (best on the dev gold)
LOWER = 0.65  # from here up to UPPER, joining them is suggested to an editor


def cluster(scores: np.ndarray, upper: float = UPPER) -> list[list[int]]:
    """Average-linkage groups of claim indices: two groups are joined while their pair scores average ``upper``."""
    n = len(scores)
    if n < 2:
        return [[0]] if n else []
    distance = 1.0 - (scores + scores.T) / 2
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(np.clip(distance, 0.0, 1.0), checks=False), method="average")
    members: dict[int, list[int]] = {}
    for index, label in enumerate(fcluster(tree, t=1.0 - upper, criterion="distance")):
        members.setdefault(int(label), []).append(index)
    return sorted(members.values(), key=lambda group: group[0])


@dataclass(frozen=True)
class Suggestion:
    """Two groups an editor may want joined: their average pair score and, in words, what links them."""

    a: int
    b: int
    score: float
    reasons: tuple[str, ...]


_FEATURE_WORDS = {
    "cosine": "similar wording",
    "same_measure": "both count the same thing",
    "same_topic_words": "both speak of the same kind of event",
    "shared_place": "a place in common",
    "same_time": "the same time",
    "shared_figure": "the same figure",
    "adjacent": "next to each other in a report",
    "same_report": "in the same report",
    "same_claimant": "the same speaker",
    "follows_up": "one follows up the other",
}


def suggest(
    items: Sequence[Item],
    vectors: np.ndarray,
    scores: np.ndarray,
    groups: list[list[int]],
    lower: float = LOWER,
    upper: float = UPPER,
) -> list[Suggestion]:
    """For each group, its closest other group if their average pair score lies between the thresholds.

    One partner per group keeps the list short enough for an editor to go through; best first.
    """
    if len(groups) < 2:
        return []
    membership = np.zeros((len(scores), len(groups)))
    for column, members in enumerate(groups):
        membership[members, column] = 1.0
    sizes = membership.sum(axis=0)
    average = membership.T @ scores @ membership / np.outer(sizes, sizes)
    np.fill_diagonal(average, -1.0)
    found = set()
    for a in range(len(groups)):
        b = int(np.argmax(average[a]))
        if lower <= average[a, b] < upper:
            found.add((min(a, b), max(a, b)))
    out = []
    for a, b in sorted(found):
        members = groups[a] + groups[b]
        features = pair_features([items[i] for i in members], vectors[members])
        cross = features[: len(groups[a]), len(groups[a]) :].mean(axis=(0, 1)) * WEIGHTS
        reasons = tuple(
            _FEATURE_WORDS[FEATURES[k]] for k in np.argsort(-cross) if cross[k] > 0.05 and FEATURES[k] in _FEATURE_WORDS
        )[:3]
        out.append(Suggestion(a, b, float(average[a, b]), reasons))
    return sorted(out, key=lambda suggestion: -suggestion.score)


# A claim that plays a size down without a figure of its own disputes the figures next to it
# ("But the scale is much smaller than the one reported"): it belongs to their question
# (docs/linking-gold.md: statements about the count itself go with the count).
_PLAYS_DOWN = re.compile(
    r"\b(?:smaller|far less|much less|exaggerat\w*|overstat\w*|inflated|far too (?:low|high)|understat\w*)\b",
    re.IGNORECASE,
)
NEAR = 2  # how many claims away in the same report the disputed figure may be


def attach_size_disputes(items: Sequence[Item], groups: list[list[int]]) -> list[list[int]]:
    """Move each figureless claim that plays a size down into the group of the nearest figure in its report."""
    where = {i: number for number, members in enumerate(groups) for i in members}
    by_report: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        by_report.setdefault(item.report, []).append(i)
    moved = [list(members) for members in groups]
    for i, item in enumerate(items):
        if item.claim.quantities or not _PLAYS_DOWN.search(item.text):
            continue
        near = [
            j
            for j in by_report[item.report]
            if j != i and measure(items[j].claim) and abs(items[j].position - item.position) <= NEAR
        ]
        if near:
            target = where[min(near, key=lambda j: (abs(items[j].position - item.position), items[j].position))]
            if target != where[i]:
                moved[where[i]].remove(i)
                moved[target].append(i)
    return sorted((sorted(members) for members in moved if members), key=lambda members: members[0])


@dataclass
class Grouping:
    """Groups of claim indices (each a question), suggested joins between them, the pair scores and vectors."""

    groups: list[list[int]]
    suggestions: list[Suggestion] = field(default_factory=list)
    scores: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


def group(items: Sequence[Item], upper: float = UPPER, lower: float = LOWER) -> Grouping:
    """Group claims into questions; see the module docstring."""
    if not items:
        return Grouping([])
    vectors = embed([item.text for item in items])
    scores = link_scores(items, vectors)
    groups = attach_size_disputes(items, cluster(scores, upper))
    return Grouping(groups, suggest(items, vectors, scores, groups, lower, upper), scores, vectors)


# -- editor decisions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """An editor's decision, with claims named by stable key.

    ``merge``: every group holding a claim of ``groups`` becomes one. ``split``: the claims of
    ``groups[0]`` leave their groups and form one of their own. ``reject``: a group holding a
    claim of ``groups[0]`` is never again suggested to join one holding a claim of ``groups[1]``.
    """

    action: str
    groups: tuple[frozenset[str], ...]


def apply_decisions(
    items: Sequence[Item], groups: list[list[int]], decisions: Sequence[Decision]
) -> tuple[list[list[int]], set[int]]:
    """The groups after replaying merges and splits in order, and which of them editors shaped.

    Claims a decision names that are no longer stored are skipped; a decision none of whose
    claims remain changes nothing.
    """
    index = {item.key: i for i, item in enumerate(items)}
    sets = [set(members) for members in groups]
    edited = [False] * len(sets)
    for decision in decisions:
        named = {index[key] for keys in decision.groups for key in keys if key in index}
        if decision.action == "merge":
            touched = [k for k, members in enumerate(sets) if members & named]
            if len(touched) < 2:
                continue
            merged = set().union(*(sets[k] for k in touched))
            sets = [members for k, members in enumerate(sets) if k not in touched] + [merged]
            edited = [flag for k, flag in enumerate(edited) if k not in touched] + [True]
        elif decision.action == "split" and named:
            kept = [
                (members - named, flag or bool(members & named)) for members, flag in zip(sets, edited, strict=True)
            ]
            sets = [members for members, _ in kept if members] + [named]
            edited = [flag for members, flag in kept if members] + [True]
    order = sorted(range(len(sets)), key=lambda k: min(sets[k]))
    return [sorted(sets[k]) for k in order], {position for position, k in enumerate(order) if edited[k]}


def rejected(items: Sequence[Item], groups: list[list[int]], decisions: Sequence[Decision]) -> set[tuple[int, int]]:
    """Pairs of groups (by position, lower first) an editor has said are not to be joined."""
    keys = [{items[i].key for i in members} for members in groups]
    out: set[tuple[int, int]] = set()
    for decision in decisions:
        if decision.action != "reject" or len(decision.groups) != 2:
            continue
        sides = [{k for k, members in enumerate(keys) if members & named} for named in decision.groups]
        out.update((min(a, b), max(a, b)) for a in sides[0] for b in sides[1] if a != b)
    return out

"""Check-worthiness: does a sentence carry a checkable factual claim?

Scored from the words alone, before spaCy runs, so that it doubles as the filter that keeps
opinion, appeals, predictions and boilerplate away from the expensive pipeline. A logistic
model over two kinds of features: cues written as rules (numbers, reported speech, events,
past tense, dates, names push up; appeals, opinion, prediction, background, process lines and
questions push down) and the sentence's own words and word pairs, which carry what no cue
list names ("declined to say how many", "our prayers are with"). The weights are fitted on the
development gold set by ``benchmarks/fit_worthiness.py`` and shipped as ``worthiness.json``;
the held-out crises are never used.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

# Chosen on the dev crises, each scored by a model fitted on the others (docs/benchmarks.md): a
# missed claim costs every field of it, a sentence let through that carries none costs precision.
THRESHOLD = 0.4
MODEL = Path(__file__).with_name("worthiness.json")


def _words(alternatives: str) -> re.Pattern[str]:
    """A pattern matching any of the ``|``-separated alternatives as whole words."""
    return re.compile(r"\b(?:" + "|".join(alternatives.split("|")) + r")\b", re.IGNORECASE)


_NUMBER = _words(
    r"\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|"
    r"dozens?|scores|several|handful|couple"
)
_SPEECH = _words(
    r"said|says|say|told|tell|according to|reported|reports|claimed|claims|announced|confirmed|denied|denies|"
    r"stated|quoted|quoting|citing|described|blamed|accused|insisted|added|wrote|posted|alleged|saying|"
    r"acknowledged|admitted|rejected|dismissed|ordered|puts?|aired"
)
_EVENT = _words(
    r"killed|dead|died|deaths?|bodies|injured|wounded|arrested|detained|fired|shot|shots|shooting|gunfire|"
    r"attacked|attacks?|stormed|clashe[sd]|troops|soldiers|police|deployed|arrived|arriving|landed|burned|burnt|"
    r"looted|seized|explosions?|protesters|protests?|gathered|crowds?|evacuated|evacuation|missing|displaced|"
    r"destroyed|damaged|banned|shut down|beheaded|fled|ran|opened fire|sent|asked|appealed|requested|request|"
    r"evidence|verified|true|untrue|false|hospitals?|casualt(?:y|ies)|weapons?|terrorists?|saw|heard|seen|"
    r"shelled|shelling|struck|flooded|collapsed|rescued|drowned"
)
_PAST = _words(
    r"has|have|had|was|were|\w{3,}ed|died|fled|flew|took|went|brought|fell|saw|gave|ran|came|began|fought|shot|hit|broke|"
    r"burst|left|met|sent|struck|threw|tore|led|held|found|lost|knew|told|said|rose|blew|froze|drove|swept|caught|"
    r"kept|sank|stood|woke"
)
_TIME = _words(
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|overnight|"
    r"this (?:morning|afternoon|evening)|last (?:night|week|month)|january|february|march|april|june|july|august|"
    r"september|october|november|december|after dark|at dawn"
)
_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+")
_MARKER = _words(
    r"no evidence|not true|untrue|could not (?:be|confirm|verify|independently)|denied|suspect|allegedly|"
    r"reportedly|did not|didn't|nobody|none|never"
)
# Statements about what could not be checked or was not shown are claims too (convention 6).
_EVIDENCE = _words(
    r"could not (?:be )?(?:independently )?(?:confirm|confirmed|verify|verified)|cannot (?:be )?(?:confirm|verif\w+)|"
    r"(?:presented|provided|published|produced|offered|shown|given) no|no evidence|unverified"
)
# "Dead: 19.", "Stalls destroyed: around 120.": a figure under a label, as official tallies give them.
_TALLY = re.compile(r"^[A-Z][A-Za-z\s,'’()-]{1,60}:\s*(?:about|around|some|over|at\s+least)?\s*\d")
# An explicit rejection is a claim about the other side's claim.
_REJECTION = _words(r"rejects?|rejected|categorically|refutes?|refuted|lies|a lie|fabricated|fabrication|slander")
# Process lines about the reporting itself, not claims (convention 6).
_PROCESS = _words(
    r"(?:not|n't) (?:yet )?(?:commented|comment|respond|responded|reply|replied)|declined to comment|"
    r"could not be reached|no immediate comment|request for comment|did not return"
)
_APPEAL = re.compile(
    r"\b(?:(?:is|are) asked to|urged?|urges|calls? on|called on|please|must|should|let us|I ask|we ask|appeals? to|"
    r"stay (?:at home|indoors)|avoid|are advised|remain calm|I call|we need|reminds|we demand|demands?)\b"
    r"|^(?:do not|don't)\b",
    re.IGNORECASE,
)
_OPINION = _words(
    r"tragedy|tragic|terrible|shameful|I think|I believe|in my view|we believe|condemns?|deplorable|heartbreaking|"
    r"hope|pray|thoughts|dear|good evening|thank you|outrageous|unacceptable|disgrace|welcome[sd]?|regret|"
    r"sympath\w+|condolences|a real concession|easier|shocking|deeply|grateful|stands with"
)
_FUTURE = _words(
    r"will|would|is expected to|are expected to|plans? to|going to|likely|could take|may|might|ready to|"
    r"if asked|was forecast|is forecast"
)
_META = _words(
    r"summary of|written for|transcript|example scenario|read more|follow us|subscribe|editor's note|updated|"
    r"this article|we begin|click|contact us|statement of|press release|briefing of"
)
# What frames a report rather than saying anything: datelines ("MOSCOW, January 6. /TASS/."), links, tags.
_FRAMING = re.compile(r"https?://|^#\w|^[A-Z][A-Z .'-]+,\s+[A-Z]?[a-z]*\.?\s*\d{1,2}\b[^a-z]*$")
_BACKGROUND = _words(
    r"largest city|is home to|population of|founded in|capital of|borders|known as|I live|I work|we live|"
    r"prides itself"
)

_DATE_OR_CLOCK = re.compile(r"\b\d{4}-\d\d-\d\d\b|\b\d{1,2}[:.]\d\d\b|\b(?:19|20)\d\d\b")


# Each cue is one feature, named for the model file; the weights are learned, not set by hand.
CUES: dict[str, re.Pattern[str]] = {
    "number": _NUMBER,
    "speech": _SPEECH,
    "event": _EVENT,
    "past": _PAST,
    "time": _TIME,
    "name": _NAME,
    "marker": _MARKER,
    "evidence": _EVIDENCE,
    "tally": _TALLY,
    "process": _PROCESS,
    "rejection": _REJECTION,
    "appeal": _APPEAL,
    "opinion": _OPINION,
    "future": _FUTURE,
    "meta": _META,
    "background": _BACKGROUND,
    "framing": _FRAMING,
}
_TOKEN = re.compile(r"[a-z]+|\d+|[“”\"?:!]")


def features(sentence: str, quoted: bool = False) -> set[str]:
    """The sentence's feature names: ``cue:*`` for each cue that fires, ``quoted`` (inside a
    quotation: someone's own words, usually testimony), ``question``, ``short``, and ``w:*`` /
    ``b:*`` for its lower-cased words and adjacent word pairs (every number reads as ``0``)."""
    counted = _DATE_OR_CLOCK.sub(" ", sentence)  # a date or a clock time counts nothing
    names = {f"cue:{name}" for name, pattern in CUES.items() if pattern.search(counted)}
    if quoted:
        names.add("quoted")
    if sentence.rstrip().endswith("?"):
        names.add("question")
    if len(sentence.split()) < 5:
        names.add("short")
    tokens = ["0" if t.isdigit() else t for t in _TOKEN.findall(sentence.lower())]
    names.update(f"w:{t}" for t in tokens)
    names.update(f"b:{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False))
    return names


@dataclass(frozen=True)
class WorthinessModel:
    """A logistic model over :func:`features`; features it has no weight for count nothing."""

    bias: float
    weights: dict[str, float]

    def score(self, sentence: str, quoted: bool = False) -> float:
        """0..1: how much the sentence reads as a checkable factual claim; ``quoted`` sentences lie
        inside a quotation (someone's own words, usually testimony)."""
        total = self.bias + sum(self.weights.get(name, 0.0) for name in features(sentence, quoted))
        return 1.0 / (1.0 + math.exp(-total))

    @classmethod
    def fit(
        cls,
        sentences: Sequence[str],
        quoted: Sequence[bool],
        labels: Sequence[bool],
        word_l2: float = 0.3,
        cue_l2: float = 0.03,
        min_count: int = 2,
    ) -> WorthinessModel:
        """Fit by L2-penalised maximum likelihood. Words and pairs seen fewer than ``min_count``
        times get no weight; they are penalised more than the cues (``word_l2`` against
        ``cue_l2``) because there are thousands of them and a few hundred sentences a crisis."""
        from scipy import sparse  # fitting only: extraction loads a fitted model and never pays for these imports
        from scipy.optimize import minimize

        rows = [features(s, q) for s, q in zip(sentences, quoted, strict=True)]
        counts: dict[str, int] = {}
        for row in rows:
            for name in row:
                counts[name] = counts.get(name, 0) + 1
        lexical = ("w:", "b:")
        vocabulary = sorted(n for n, c in counts.items() if c >= min_count or not n.startswith(lexical))
        index = {name: i for i, name in enumerate(vocabulary)}
        pairs = [(i, index[n]) for i, row in enumerate(rows) for n in row if n in index]
        x = sparse.csr_matrix(
            (np.ones(len(pairs)), ([i for i, _ in pairs], [j for _, j in pairs])), shape=(len(rows), len(vocabulary))
        )
        y = np.asarray(labels, dtype=float)
        penalty = np.array([word_l2 if n.startswith(lexical) else cue_l2 for n in vocabulary])

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            w, b = theta[:-1], theta[-1]
            z = x @ w + b
            residual = 1.0 / (1.0 + np.exp(-z)) - y
            value = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * w * w))
            return value, np.append(x.T @ residual + penalty * w, residual.sum())

        theta = minimize(loss, np.zeros(len(vocabulary) + 1), jac=True, method="L-BFGS-B").x
        weights = {name: round(float(w), 4) for name, w in zip(vocabulary, theta[:-1], strict=True)}
        return cls(bias=round(float(theta[-1]), 4), weights={n: w for n, w in weights.items() if w})

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"bias": self.bias, "weights": self.weights}, indent=0, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: Path = MODEL) -> WorthinessModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(bias=float(data["bias"]), weights={str(k): float(v) for k, v in data["weights"].items()})


@lru_cache(maxsize=1)
def shipped() -> WorthinessModel:
    """The model fitted on the dev gold and shipped with the package, loaded once."""
    return WorthinessModel.load()

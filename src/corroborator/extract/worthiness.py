"""Check-worthiness: does a sentence carry a checkable factual claim?

Scored from the words alone, before spaCy runs, so that it doubles as the filter that keeps
opinion, appeals, predictions and boilerplate away from the expensive pipeline. Cues that
make a sentence checkable (numbers, reported speech, events, past tense, names) push the score
up; cues of appeals, opinion, prediction and questions push it down. The weights are set by
hand on the development gold set; the score is a logistic of their sum.
"""

from __future__ import annotations

import math
import re

THRESHOLD = 0.5


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


_NUMBER = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|"
    r"thousands?|dozens?|scores|several|handful|couple)\b",
    re.IGNORECASE,
)
_SPEECH = _words(
    r"said",
    r"says",
    r"told",
    r"tell",
    r"according to",
    r"reported",
    r"reports",
    r"claimed",
    r"claims",
    r"announced",
    r"confirmed",
    r"denied",
    r"denies",
    r"stated",
    r"quoted",
    r"citing",
    r"described",
    r"blamed",
    r"accused",
    r"insisted",
    r"added",
    r"wrote",
    r"posted",
    r"alleged",
    r"saying",
    r"acknowledged",
    r"admitted",
)
_EVENT = _words(
    r"killed",
    r"dead",
    r"died",
    r"deaths?",
    r"bodies",
    r"injured",
    r"wounded",
    r"arrested",
    r"detained",
    r"fired",
    r"shot",
    r"shots",
    r"shooting",
    r"gunfire",
    r"attacked",
    r"attacks?",
    r"stormed",
    r"clashe[sd]",
    r"troops",
    r"soldiers",
    r"police",
    r"deployed",
    r"arrived",
    r"arriving",
    r"landed",
    r"burned",
    r"burnt",
    r"looted",
    r"seized",
    r"explosions?",
    r"protesters",
    r"protests?",
    r"gathered",
    r"crowds?",
    r"evacuated",
    r"missing",
    r"displaced",
    r"destroyed",
    r"damaged",
    r"banned",
    r"shut down",
    r"beheaded",
    r"fled",
    r"ran",
    r"opened fire",
    r"sent",
    r"asked",
    r"appealed",
    r"requested",
    r"request",
    r"evidence",
    r"verified",
    r"true",
    r"untrue",
    r"false",
    r"hospitals?",
    r"casualt(?:y|ies)",
    r"weapons?",
    r"terrorists?",
    r"saw",
    r"heard",
    r"seen",
)
_PAST = re.compile(r"\b(?:has|have|had|was|were|is|are)\b|\b\w{3,}ed\b", re.IGNORECASE)
_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+")
_MARKER = _words(
    r"no evidence",
    r"not true",
    r"untrue",
    r"could not be",
    r"denied",
    r"suspect",
    r"allegedly",
    r"reportedly",
    r"did not",
    r"didn't",
    r"nobody",
    r"none",
    r"never",
)
_APPEAL = _words(
    r"(?:is|are) asked to",
    r"urged?",
    r"urges",
    r"calls? on",
    r"called on",
    r"please",
    r"must",
    r"should",
    r"let us",
    r"I ask",
    r"we ask",
    r"appeals? to",
    r"stay (?:at home|indoors)",
    r"do not",
    r"don't",
    r"avoid",
    r"are advised",
    r"remain calm",
    r"I call",
)
_OPINION = _words(
    r"tragedy",
    r"tragic",
    r"terrible",
    r"shameful",
    r"I think",
    r"I believe",
    r"in my view",
    r"we believe",
    r"condemns?",
    r"deplorable",
    r"heartbreaking",
    r"hope",
    r"pray",
    r"thoughts",
    r"dear",
    r"good evening",
    r"thank you",
    r"outrageous",
    r"unacceptable",
    r"disgrace",
    r"welcome[sd]?",
    r"regret",
    r"sympath\w+",
    r"condolences",
    r"a real concession",
    r"easier",
    r"shocking",
    r"deeply",
)
_FUTURE = _words(r"will", r"would", r"is expected to", r"are expected to", r"plans? to", r"going to", r"until")
_META = _words(
    r"summary of",
    r"written for",
    r"transcript",
    r"example scenario",
    r"read more",
    r"follow us",
    r"subscribe",
    r"editor's note",
    r"updated",
    r"this article",
    r"we begin",
    r"click",
    r"contact us",
)
_BACKGROUND = _words(
    r"largest city",
    r"is home to",
    r"population of",
    r"founded in",
    r"capital of",
    r"borders",
    r"known as",
)

_WEIGHTS: tuple[tuple[re.Pattern[str], float], ...] = (
    (_NUMBER, 1.0),
    (_SPEECH, 1.2),
    (_EVENT, 1.0),
    (_PAST, 0.6),
    (_NAME, 0.4),
    (_MARKER, 0.6),
    (_APPEAL, -2.2),
    (_OPINION, -1.6),
    (_FUTURE, -1.2),
    (_META, -2.5),
    (_BACKGROUND, -1.0),
)
_BIAS = -1.5


def check_worthiness(sentence: str) -> float:
    """Score 0..1: how much the sentence reads as a checkable factual claim."""
    total = _BIAS + sum(weight for pattern, weight in _WEIGHTS if pattern.search(sentence))
    if sentence.rstrip().endswith("?"):
        total -= 1.5
    words = len(sentence.split())
    if words < 5:
        total -= 1.0
    return 1.0 / (1.0 + math.exp(-total))

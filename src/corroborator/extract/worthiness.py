"""Check-worthiness: does a sentence carry a checkable factual claim?

Scored from the words alone, before spaCy runs, so that it doubles as the filter that keeps
opinion, appeals, predictions and boilerplate away from the expensive pipeline. Cues that
make a sentence checkable (numbers, reported speech, events, past tense, dates, names) push
the score up; cues of appeals, opinion, prediction, background and questions push it down.
The weights are set by hand on the development gold set; the score is a logistic of their sum.
"""

from __future__ import annotations

import math
import re

# Set on eleven dev crises (docs/benchmarks.md): missing a claim costs every field of it, while a
# sentence let through that carries none costs only check-worthiness precision.
THRESHOLD = 0.25


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
    r"will|would|is expected to|are expected to|plans? to|going to|until|likely|could take|may|might|ready to|"
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

_WEIGHTS: tuple[tuple[re.Pattern[str], float], ...] = (
    (_NUMBER, 1.0),
    (_SPEECH, 1.2),
    (_EVENT, 1.0),
    (_PAST, 0.6),
    (_TIME, 0.6),
    (_NAME, 0.4),
    (_MARKER, 0.6),
    (_EVIDENCE, 1.0),
    (_TALLY, 2.5),
    (_PROCESS, -3.0),
    (_REJECTION, 1.2),
    (_APPEAL, -2.2),
    (_OPINION, -1.6),
    (_FUTURE, -1.2),
    (_META, -2.5),
    (_BACKGROUND, -1.0),
    (_FRAMING, -3.0),
)
_BIAS = -1.5
_QUOTED = 1.0


def check_worthiness(sentence: str, quoted: bool = False) -> float:
    """Score 0..1: how much the sentence reads as a checkable factual claim.

    ``quoted`` sentences lie inside a quotation: someone's own words, usually testimony.
    """
    counted = _DATE_OR_CLOCK.sub(" ", sentence)  # a date or a clock time counts nothing
    total = _BIAS + sum(weight for pattern, weight in _WEIGHTS if pattern.search(counted)) + _QUOTED * quoted
    if sentence.rstrip().endswith("?"):
        total -= 1.5
    if len(sentence.split()) < 5:
        total -= 1.0
    return 1.0 / (1.0 + math.exp(-total))

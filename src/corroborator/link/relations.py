"""How one claim stands to another: supports, contradicts, refines or unrelated, with the reason.

Pure: two claim records in, a ``Relation`` out. Rules decide where the wording makes the call
clear (numbers that count the same thing, denials, negations, scale qualifiers, another day or
place); what the rules cannot read (paraphrase against another topic) is decided by the sentence
similarity behind ``link.similarity``. The reasons are those of docs/linking-gold.md, plus
``revision`` for a claimant replacing its own earlier figure, which is neither support nor conflict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from corroborator.extract.claims import ExtractedClaim, Quantity, TimeRef
from corroborator.extract.markers import evidence_wording
from corroborator.link.numbers import (
    GENERIC_GROUPS,
    Count,
    NumericVerdict,
    compare,
    counts,
    measurement_conflict,
    measurements,
    sentence_measures,
)
from corroborator.link.similarity import similarity, thresholds
from corroborator.link.text import claim_text, content_stems, words

LABELS = ("supports", "contradicts", "refines", "unrelated")
REASONS = {
    "supports": ("numeric_overlap", "paraphrase", "entailment", "attribution"),
    "contradicts": ("numeric_conflict", "negation", "denial", "scale"),
    "refines": ("specific_general", "revision"),
    "unrelated": ("different_event", "topic"),
}


@dataclass(frozen=True)
class ClaimView:
    """What relating needs to know about one claim: the extracted record plus its report's source and date."""

    sentence: str
    claimant: str
    chain: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    places: tuple[str, ...] = ()
    time: TimeRef | None = None
    markers: tuple[str, ...] = ()
    published: date | None = None
    source: str | None = None

    @classmethod
    def from_extracted(cls, claim: ExtractedClaim, source: str, published: date | datetime | None) -> ClaimView:
        return cls(
            sentence=claim.sentence,
            claimant=claim.claimant.name,
            chain=tuple(s.name for s in claim.chain),
            quantities=tuple(claim.quantities),
            places=tuple(claim.places),
            time=claim.time,
            markers=tuple(claim.markers),
            published=_day(published),
            source=source,
        )

    @classmethod
    def from_sentence(cls, sentence: str, source: str, published: date | datetime | None) -> ClaimView:
        """A claim when extraction found none in the sentence: the whole sentence, said by the source."""
        return cls(sentence=sentence, claimant=source, chain=(source,), published=_day(published), source=source)


@dataclass(frozen=True)
class Relation:
    """The relation of claim B to claim A, why, and in plain words."""

    label: str  # one of LABELS
    reason: str  # one of REASONS[label]
    detail: str
    specific: str | None = None  # refines only: "a" or "b", the narrower side

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _phrases(*alternatives: str) -> re.Pattern[str]:
    """One pattern of whole-word alternatives, longest first so "terrorist gangs" wins over "terrorist"."""
    return re.compile(r"\b(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + r")\b", re.IGNORECASE)


# A side that calls the other's report false, without necessarily repeating it.
_DENIAL = _phrases(
    r"(?:is|are|was|were)\s*(?:not|n't)\s+true",
    r"untrue",
    r"false",
    r"a lie",
    r"lies",
    r"lying",
    r"fabricat\w+",
    r"invent(?:ed|ing|ion|s)?",
    r"made up",
    r"baseless",
    r"groundless",
    r"no basis",
    r"without (?:any )?foundation",
    r"mistaken",
    r"doctored",
    r"fake",
    r"slander\w*",
    r"nonsense",
    r"pure fiction",
    r"den(?:y|ies|ied|ying)",
    r"reject(?:ed|s)?",
    r"dismiss(?:ed|es)?",
    r"refut\w+",
    r"panic spread",
    r"were nowhere near",
    r"never happened",
    r"did not happen",
    r"propaganda",
    r"disinformation",
    r"misinformation",
    r"staged",
    r"hoax",
    r"absurd",
    r"fiction",
    r"fantasy",
    r"fairy tales?",
    r"smear",
    r"no truth",
    r"unfounded",
    r"forged",
    r"falsified",
    r"distort\w+",
    r"incorrect",
    r"inaccurate",
    r"provocation",
)
# Wordings that call the other side wrong by themselves, with no report word needed.
_PLAIN_DENIAL = _phrases(
    r"(?:has|have|had) got it (?:all )?wrong",
    r"got (?:it|the \w+) wrong",
    r"conjured up",
    r"cooked up",
    r"(?:does|do|did) not stand up(?: to scrutiny)?",
    r"(?:is|are|was|were) (?:doctored|fabricated|fake|staged|a lie|lies|untrue|false)",
)
# What a denial is about: a report, a story, a claim (so "false alarm" or "lying in state" are not denials).
_REPORT_WORDS = _phrases(
    r"reports?",
    r"stor(?:y|ies)",
    r"claims?",
    r"accounts?",
    r"allegations?",
    r"accusations?",
    r"tall(?:y|ies)",
    r"figures?",
    r"findings",
    r"tales?",
    r"rumou?rs?",
    r"images?",
    r"videos?",
    r"footage",
    r"idea",
    r"what",
    r"those",
    r"spreading",
    r"saying",
    r"inventing",
    r"invention",
    r"fabrication",
    r"den(?:y|ies|ied|ying)",
    r"reject(?:ed|s)?",
    r"dismiss(?:ed|es)?",
    r"versions?",
    r"narratives?",
    r"assertions?",
    r"statements?",
    r"reporting",
    r"coverage",
    r"media",
    r"talk of",
    r"theor(?:y|ies)",
    r"pictures",
    r"photos?",
    r"suggestions?",
    r"talk",
    r"clips?",
    r"recordings?",
)
_NEGATION = _phrases(
    r"not(?! all| only| just)",
    r"n't",
    r"cannot",
    r"no(?! longer)",
    r"never",
    r"nobody",
    r"no one",
    r"none",
    r"nothing",
    r"neither",
    r"without",
    r"unharmed",
    r"unhurt",
    r"intact",
    r"came out alive",
    r"only (?:\w+ )?warning shots",
    r"at no point",
)
# Predicates negative in themselves: "schools were shut" says what "no child went to school" says, and a
# negator on one of them reads as positive ("no worker is missing": all are accounted for).
_NEGATIVE_PREDICATE = _phrases(
    r"missing",
    r"survived?",
    r"shut",
    r"closed",
    r"suspended",
    r"halted",
    r"stopped",
    r"barred",
    r"banned",
    r"no longer",
)
# A negative that says nothing is left ("no one is still in hospital", "nothing is burning any more")
# agrees with a claim that something was finished or done to all ("the last were discharged"), and
# conflicts only with one that says some remain.
_NONE_LEFT = _phrases(r"no longer", r"no more", r"any ?more", r"still", r"left", r"remain(?:s|ing)?")
_DONE = _phrases(
    r"all",
    r"every\w*",
    r"last",
    r"run out",
    r"ran out",
    r"used up",
    r"freed",
    r"released",
    r"put out",
    r"extinguished",
    r"back home",
    r"moved back",
    r"returned",
    r"discharged",
    r"transferred",
    r"retook",
    r"took back",
    r"regained",
    r"accounted for",
    r"restored",
    r"(?:is|was|were|are) over",
    r"ended",
)
_STILL = _phrases(r"still", r"remain(?:s|ed|ing)?", r"yet to", r"continu\w+")
# Size qualifiers that play a claim down, and wordings of a large size they are set against.
_SMALL = _phrases(
    r"smaller",
    r"small(?: gathering| number| fraction)?",
    r"minimal",
    r"minor",
    r"limited to",
    r"confined to",
    r"only (?:one|two|three|four|five|a single|a few|a handful|a couple)",
    r"(?<!not )(?<!barely )(?<!even )a single",  # "not a single" is none at all, not a small number
    r"far less",
    r"much less",
    r"fraction",
    r"exaggerat\w+",
    r"overstat\w+",
    r"inflated",
    r"isolated",
    r"the rest of [\w ]+ is intact",
    r"slight",
    r"negligible",
    r"modest",
    r"far fewer",
    r"much fewer",
    r"much lower",
    r"far lower",
    r"overblown",
    r"out of proportion",
    r"tiny",
    r"small share",
    r"a few(?! (?:hundred|thousand|dozen|million))",
    r"little more than",
    r"nowhere else",
    r"never went beyond",
    r"only (?:over|at|in|on) the",
)
_LARGE = _phrases(
    r"dozens",
    r"scores",
    r"hundreds",
    r"thousands",
    r"entire",
    r"whole",
    r"much of",
    r"most of",
    r"all of",
    r"across",
    r"both",
    r"massacre",
    r"bloodbath",
    r"flattened",
    r"burned out",
    r"widespread",
    r"took to the streets",
    r"massive",
    r"huge",
    r"heavy",
    r"mass",
    r"extensive",
    r"devastat\w+",
    r"large(?:-scale)?",
    r"every",
    r"everywhere",
    r"all over",
    r"end to end",
    r"spread (?:to|across|through)",
)
# An event that happens once: two different days for it cannot both be right.
_ONSET = _phrases(r"broke out", r"began", r"begun", r"started", r"erupted", r"start(?:ed)? rioting")
# A part named without a number: "among the dead is", "those arrested include", "one of the inmates".
_PART_CUE = _phrases(
    r"among (?:the|those)",
    r"among them",
    r"(?:those|the) \w+ include",
    r"includ(?:e|es|ing) the",
    r"(?:one|some|several|many|most) of the",
)
_TIME_STEMS = content_stems(
    "monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night overnight dawn "
    "midnight noon shortly before after early late started began begun broke out erupted start rioting am pm"
)
_OTHER_YEAR = _phrases(r"last year", r"in (?:19|20)\d\d", r"years? ago", r"previous year")
_CLOCK = re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm)\b|\bmidnight\b|\bnoon\b", re.IGNORECASE)
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*")
_DIGITS = re.compile(r"\b\d[\d,.]*\b")
# Framing of the same people as armed attackers against unarmed protesters: the official
# "terrorists" against the witness's "peaceful protesters".
_ARMED_FRAME = _phrases(
    r"terrorists?",
    r"terrorist gangs?",
    r"gangs?",
    r"bandits?",
    r"militants?",
    r"armed groups?",
    r"fighters",
    r"saboteurs?",
    r"extremists?",
    r"armed with",
)
_UNARMED_FRAME = _phrases(r"unarmed", r"peaceful", r"not terrorists", r"innocent", r"young protesters")

# Refinement: the specific side's own words and details outnumber the general side's by REFINE_GAP,
# with at least REFINE_SHARED words in common (set on the dev pairs).
REFINE_GAP = 4
REFINE_SHARED = 1
# Another place or year makes another event only for claims that otherwise say the same: this many
# content words in common, the places and times aside.
SAME_EVENT_SHARED = 2
REVISION_DAYS = 14  # a claimant's own figure replaced within this many days is a revision


def relate(a: ClaimView, b: ClaimView, sim: float | None = None) -> Relation:
    """The relation of claim ``b`` to claim ``a``; ``sim`` is their similarity if already computed."""
    if sim is None:
        sim = float(similarity([a.sentence], [b.sentence])[0])
    return _Pair(a, b, sim).decide()


def relate_many(pairs: Sequence[tuple[ClaimView, ClaimView]]) -> list[Relation]:
    """``relate`` over many pairs, with the similarities computed in one batch."""
    sims = similarity([a.sentence for a, _ in pairs], [b.sentence for _, b in pairs])
    return [_Pair(a, b, float(s)).decide() for (a, b), s in zip(pairs, sims, strict=True)]


class _Pair:
    """The features of one pair, read once, and the order in which the rules look at them."""

    def __init__(self, a: ClaimView, b: ClaimView, sim: float) -> None:
        self.a, self.b, self.sim = a, b, sim
        self.ta, self.tb = claim_text(a.sentence), claim_text(b.sentence)
        self.ca, self.cb = counts(list(a.quantities), self.ta), counts(list(b.quantities), self.tb)

    def decide(self) -> Relation:
        for rule in (
            self._far_apart,
            self._scale,
            self._denial,
            self._other_day,
            self._other_place,
            self._numbers,
            self._measures,
            self._framing,
            self._negation,
            self._specific,
        ):
            found = rule()
            if found is not None:
                return found
        return self._by_meaning()

    # -- rules, in order -------------------------------------------------------------------------

    def _far_apart(self) -> Relation | None:
        """Another year, or the same words published months apart, is another event."""
        ya, yb = bool(_OTHER_YEAR.search(self.ta)), bool(_OTHER_YEAR.search(self.tb))
        if ya != yb and self._shared() >= SAME_EVENT_SHARED:
            side = "A" if ya else "B"
            return Relation("unrelated", "different_event", f"{side} is about another year")
        pa, pb = self.a.published, self.b.published
        if pa and pb and abs((pa - pb).days) > 60 and not (self.a.time or self.b.time):
            return Relation("unrelated", "different_event", f"published {pa} and {pb}, months apart")
        return None

    def _denial(self) -> Relation | None:
        da, db = _is_denial(self.a, self.ta), _is_denial(self.b, self.tb)
        if da == db:
            return None
        denier, text = ("A", self.ta) if da else ("B", self.tb)
        other = "B" if da else "A"
        match = _DENIAL.search(text)
        said = f"'{match.group(0)}'" if match else "as false"
        return Relation("contradicts", "denial", f"{denier} rejects {other}'s account: {said}")

    def _other_day(self) -> Relation | None:
        """Two different days: for a one-time onset a conflict, otherwise another event."""
        ta, tb = self.a.time, self.b.time
        if ta is None or tb is None or _days_meet(ta, tb):
            return None
        when = f"{_when(ta)} against {_when(tb)}"
        if _ONSET.search(self.ta) and _ONSET.search(self.tb) and _coverage(self.ta, self.tb, timeless=True) >= 0.5:
            return Relation("contradicts", "numeric_conflict", f"it cannot have begun both {when}")
        return Relation("unrelated", "different_event", f"different days: {when}")

    def _other_place(self) -> Relation | None:
        """Each side names a place the other never mentions, in claims otherwise alike: two events."""
        only_a = [p for p in self.a.places if p.lower() in self.ta.lower() and p.lower() not in self.tb.lower()]
        only_b = [p for p in self.b.places if p.lower() in self.tb.lower() and p.lower() not in self.ta.lower()]
        if only_a and only_b and self._shared() >= SAME_EVENT_SHARED:
            return Relation("unrelated", "different_event", f"different places: {only_a[0]} against {only_b[0]}")
        return None

    def _numbers(self) -> Relation | None:
        verdict = compare(self.ca, self.cb)
        if verdict is None:
            if self.ca and self.cb:
                return Relation("unrelated", "topic", "the numbers count different things")
            return self._part_of_unnumbered()
        if verdict.kind == "other_group":
            return Relation("unrelated", "different_event", verdict.detail)
        if verdict.kind != "part" and not self._same_predicate(verdict):
            return Relation("unrelated", "topic", f"the numbers count different things ({self.sim:.2f} similar)")
        if verdict.kind == "part":
            return Relation("refines", "specific_general", verdict.detail, verdict.part_side)
        if verdict.kind == "overlap":
            return Relation("supports", "numeric_overlap", verdict.detail)
        revision = self._revision(verdict)
        return revision or Relation("contradicts", "numeric_conflict", verdict.detail)

    def _part_of_unnumbered(self) -> Relation | None:
        """A stated part ("nine of the dead", "among the dead is", "those arrested include") of a
        whole the other claim counts or names: the same measure, or claims about the same thing."""
        sa, sb = _names_part(self.ta, self.ca), _names_part(self.tb, self.cb)
        if sa == sb:
            return None
        side, text, other = ("a", self.ta, self.tb) if sa else ("b", self.tb, self.ta)
        if not (sentence_measures(text) & sentence_measures(other)) and self.sim < thresholds().claim:
            return None
        cue = _PART_CUE.search(text)
        return Relation(
            "refines", "specific_general", f"{side.upper()} names a part ('{cue.group(0) if cue else 'of'}')", side
        )

    def _measures(self) -> Relation | None:
        """Times, durations or distances of claims otherwise alike that cannot both hold."""
        found = measurement_conflict(measurements(self.ta), measurements(self.tb))
        if found is None or self._shared() < SAME_EVENT_SHARED:
            return None
        x, y = found
        return Relation("contradicts", "numeric_conflict", f"'{x.text}' and '{y.text}' cannot both be right")

    def _scale(self) -> Relation | None:
        sa, sb = _SMALL.search(self.ta), _SMALL.search(self.tb)
        if bool(sa) == bool(sb):
            return None
        small, other = (sa, self.tb) if sa else (sb, self.ta)
        large = _LARGE.search(other)
        if large is None and not any(c.quantity.low >= 10 for c in (self.cb if sa else self.ca)):
            return None
        assert small is not None
        big = f"'{large.group(0)}'" if large else "its figure"
        side = "A" if sa else "B"
        return Relation("contradicts", "scale", f"{side} plays the size down ('{small.group(0)}') against {big}")

    def _framing(self) -> Relation | None:
        aa, ab = _ARMED_FRAME.search(self.ta), _ARMED_FRAME.search(self.tb)
        ua, ub = _UNARMED_FRAME.search(self.ta), _UNARMED_FRAME.search(self.tb)
        if aa and ub and not ua:
            return Relation(
                "contradicts", "negation", f"A calls them '{aa.group(0)}', B '{ub.group(0)}': not both can hold"
            )
        if ab and ua and not ub:
            return Relation(
                "contradicts", "negation", f"B calls them '{ab.group(0)}', A '{ua.group(0)}': not both can hold"
            )
        return None

    def _negation(self) -> Relation | None:
        na, nb = _polarity(self.ta, self.a.markers), _polarity(self.tb, self.b.markers)
        if na == nb or self.sim < thresholds().negation:
            return None
        neg_side, text = ("A", self.ta) if na else ("B", self.tb)
        other = self.tb if na else self.ta
        if _NONE_LEFT.search(text) and _DONE.search(other) and not _STILL.search(other):
            return None  # "none of the guards is still held" says what "all the guards were freed" says
        match = _NEGATION.search(text) or _NEGATIVE_PREDICATE.search(text)
        said = f"'{match.group(0)}'" if match else "a negative"
        return Relation("contradicts", "negation", f"{neg_side} says it did not happen or is not so ({said})")

    def _specific(self) -> Relation | None:
        """One side says what the other says and more: words of its own that the other lacks (a
        place, a time, a manner, a name) and details (numbers, clock times, names), while sharing
        some of the other's words."""
        if self.sim < thresholds().topic:
            return None
        sa, sb = content_stems(_DIGITS.sub("", self.ta)), content_stems(_DIGITS.sub("", self.tb))
        if len(sa & sb) < REFINE_SHARED:
            return None
        da, db = _details(self.ta, self.ca), _details(self.tb, self.cb)
        gap = (len(sa - sb) - len(sb - sa)) + (da - db)
        if abs(gap) < REFINE_GAP:
            return None
        side = "a" if gap > 0 else "b"
        own = sorted((sa - sb) if side == "a" else (sb - sa))
        return Relation(
            "refines",
            "specific_general",
            f"{side.upper()} says the same with more: {', '.join(own[:6])}",
            side,
        )

    def _by_meaning(self) -> Relation:
        t = thresholds()
        if self.sim >= t.attribution:
            return Relation("supports", "attribution", f"the same claim, worded alike ({self.sim:.2f})")
        if self.sim >= t.claim:
            return Relation("supports", "paraphrase", f"the same claim in other words ({self.sim:.2f})")
        return Relation("unrelated", "topic", f"different matters ({self.sim:.2f} similar)")

    # -- helpers ---------------------------------------------------------------------------------

    def _shared(self) -> int:
        """Content words the two claims share, places, numbers and times left out."""
        places = {w for p in (*self.a.places, *self.b.places) for w in content_stems(p)}
        sa, sb = content_stems(_DIGITS.sub("", self.ta)), content_stems(_DIGITS.sub("", self.tb))
        return len((sa & sb) - places - _TIME_STEMS)

    def _same_predicate(self, verdict: NumericVerdict) -> bool:
        """Numbers of a vague measure ("other") only compare when the claims say the same thing of them,
        or count the same named things ("120,000 doses arrived" against "40,000 doses reached")."""
        if verdict.a.measure != "other":
            return True
        named = verdict.a.group == verdict.b.group and verdict.a.group not in GENERIC_GROUPS
        return self.sim >= thresholds().claim or (named and self.sim >= thresholds().topic)

    def _revision(self, verdict: NumericVerdict) -> Relation | None:
        """The same claimant giving a new figure for its own count later on revises it."""
        pa, pb = self.a.published, self.b.published
        if not (pa and pb) or pa == pb or _norm(self.a.claimant) != _norm(self.b.claimant):
            return None
        if abs((pa - pb).days) > REVISION_DAYS:
            return None
        old, new = (verdict.a, verdict.b) if pa < pb else (verdict.b, verdict.a)
        return Relation(
            "refines",
            "revision",
            f"{self.a.claimant} revised its own figure from {old.range} to {new.range}; the later one replaces it",
            "b" if pb > pa else "a",
        )


def _norm(name: str) -> str:
    return " ".join(w for w in words(name) if w not in ("the",))


def _when(t: TimeRef) -> str:
    day = t.start.isoformat() if t.start == t.end else f"{t.start.isoformat()}–{t.end.isoformat()}"
    return f"{t.text or day} ({day})" if t.text else day


def _is_denial(claim: ClaimView, text: str) -> bool:
    if "denial" in claim.markers:
        return True
    if _PLAIN_DENIAL.search(text):
        return True
    match = _DENIAL.search(text)
    return bool(match) and bool(_REPORT_WORDS.search(text))


def _polarity(text: str, markers: Sequence[str]) -> bool:
    """True when the claim says something did not happen or is not so (a negated negative is positive).

    The negative words of an evidence marker ("presented no evidence", "could not be verified") weigh
    the claim and do not negate it (docs/linking-gold.md, hedges and markers)."""
    for start, end in reversed(evidence_wording(text)):
        text = text[:start] + " " + text[end:]
    negated = "negation" in markers or bool(_NEGATION.search(text))
    return negated != bool(_NEGATIVE_PREDICATE.search(text))


def _names_part(text: str, nums: list[Count]) -> bool:
    return any(c.part for c in nums) or bool(_PART_CUE.search(text))


def _details(text: str, nums: list) -> int:
    """How much a claim pins down: numbers, clock times, named things, length."""
    names = len(_CAPITAL.findall(text))
    return len(nums) + 2 * len(_CLOCK.findall(text)) + names + len(content_stems(text)) // 4


def _coverage(general: str, specific: str, timeless: bool = False) -> float:
    """Share of the general claim's content words found in the specific one (numbers, and with
    ``timeless`` also times and onset words, left out)."""
    g = content_stems(_DIGITS.sub("", general))
    if timeless:
        g = {w for w in g if w not in _TIME_STEMS}
    return len(g & content_stems(specific)) / len(g) if g else 0.0


def _days_meet(ta: TimeRef, tb: TimeRef) -> bool:
    """The two times can be the same: overlapping days, a night running into the next morning."""
    end_a = ta.end + timedelta(days=1) if ta.part == "night" else ta.end
    end_b = tb.end + timedelta(days=1) if tb.part == "night" else tb.end
    return ta.start <= end_b and tb.start <= end_a

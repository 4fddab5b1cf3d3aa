"""The status of an answer in an editor's words, and the plain sentences that say why.

One small pure module, so the exported board and the web board can never disagree about what
"corroborated" means. The machine never says "true": it counts independent origins, notes
which are parties to the conflict, weighs the strongest rival answer, and an editor's ruling,
when there is one, takes precedence and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

# Machine statuses, strongest first, then the editor's own.
MACHINE_STATUSES = ("corroborated", "contested", "single_origin", "party_only", "unsupported")
# "contested": a rival answer, or the sources contradicting this one, at least match its independent origins.
RULINGS = ("confirmed", "refuted", "contested")  # what an editor may rule; "withdrawn" hands back to the machine
STATUSES = ("confirmed", "refuted", *MACHINE_STATUSES)

STATUS_WORDS = {
    "confirmed": "confirmed by an editor",
    "refuted": "refuted by an editor",
    "corroborated": "corroborated by independent origins",
    "contested": "contested",
    "single_origin": "single origin",
    "party_only": "only parties to the conflict say so",
    "unsupported": "unsupported assertion",
}

# Extraction markers that mean the claim itself comes without backing.
WEAK_MARKERS = frozenset({"no_evidence", "unverified", "suspect"})


def shown_credibility(probability: float | None, answers: int) -> float | None:
    """The credibility an editor is shown: none for the only answer of its question.

    With no rival the estimator weighs the answer against nothing; its figure would only restate
    the learnt accuracy of sources that agree where nobody disagrees, which the estimator drives
    towards certainty ("1.00" for a claim only parties to the conflict make).
    """
    return probability if answers > 1 else None


@dataclass(frozen=True)
class Origin:
    """One independent origin behind an answer: sources that depend on one another count once."""

    label: str
    sources: tuple[str, ...]
    party: bool  # every source in it is a party to the conflict
    joined_by: tuple[str, ...] = ()  # why its sources count as one, in words


@dataclass(frozen=True)
class Ruling:
    status: str  # one of RULINGS, or "withdrawn"
    note: str
    made_by: str
    made_at: datetime
    on_question: bool = False  # ruled on the whole question, not this answer


@dataclass(frozen=True)
class AnswerFacts:
    """What the verdict of one answer rests on, gathered by the caller from the store."""

    label: str
    origins: Sequence[Origin]
    claims: int
    weak_claims: int = 0  # claims marked as offered without evidence, unverified or suspect
    rival_label: str | None = None  # the answer of the same question with the most origins
    rival_origins: int = 0
    disputed_by: tuple[str, ...] = ()  # sources of claims outside this answer that contradict one of its claims
    probability: float | None = None
    ruling: Ruling | None = None


@dataclass(frozen=True)
class Verdict:
    status: str  # one of STATUSES
    words: str  # the status as an editor says it: "corroborated by 3 independent origins"
    reasons: list[str] = field(default_factory=list)
    by_editor: bool = False
    machine_status: str = ""


def verdict(facts: AnswerFacts) -> Verdict:
    """The status of one answer and the sentences that justify it; an editor's ruling overrides the machine's."""
    status, words = _machine(facts)
    reasons = _reasons(facts)
    ruling = facts.ruling
    if ruling is None or ruling.status not in RULINGS:
        if ruling is not None:
            reasons.append(f"{ruling.made_by} withdrew an earlier ruling on {_day(ruling.made_at)}: {ruling.note}")
        return Verdict(status, words, reasons, by_editor=False, machine_status=status)
    scope = "the whole question" if ruling.on_question else "this answer"
    reasons.append(
        f"{ruling.made_by} ruled {scope} {ruling.status} on {_day(ruling.made_at)}, "
        f"where the machine said \u201c{words}\u201d: {ruling.note}"
    )
    ruled_words = "contested (editor's ruling)" if ruling.status == "contested" else STATUS_WORDS[ruling.status]
    return Verdict(ruling.status, ruled_words, reasons, by_editor=True, machine_status=status)


def _machine(facts: AnswerFacts) -> tuple[str, str]:
    origins = len(facts.origins)
    if facts.claims == 0 or origins == 0:
        return "unsupported", STATUS_WORDS["unsupported"]
    if facts.weak_claims >= facts.claims:
        return "unsupported", STATUS_WORDS["unsupported"]
    if all(origin.party for origin in facts.origins):
        return "party_only", STATUS_WORDS["party_only"]
    if max(facts.rival_origins, len(facts.disputed_by)) >= origins:
        return "contested", STATUS_WORDS["contested"]
    if origins >= 2:
        return "corroborated", f"corroborated by {origins} independent origins"
    return "single_origin", STATUS_WORDS["single_origin"]


def _reasons(facts: AnswerFacts) -> list[str]:
    if facts.claims == 0:
        return ["No stored claim backs this answer."]
    sources = sorted({name for origin in facts.origins for name in origin.sources})
    reasons = [
        f"{_count(facts.claims, 'claim')} back{'s' if facts.claims == 1 else ''} it, "
        f"from {_count(len(sources), 'source')}: {', '.join(sources)}."
        if sources
        else f"{_count(facts.claims, 'claim')} back{'s' if facts.claims == 1 else ''} it, none from a known source."
    ]
    for origin in facts.origins:
        if len(origin.sources) > 1:
            why = f": {'; '.join(origin.joined_by)}" if origin.joined_by else ""
            reasons.append(f"{', '.join(origin.sources)} count as one origin{why}.")
    outside = sum(not origin.party for origin in facts.origins)
    reasons.append(
        f"That makes {_count(len(facts.origins), 'independent origin')}, "
        f"{outside} of them outside the parties to the conflict."
    )
    if facts.weak_claims:
        reasons.append(
            f"{facts.weak_claims} of its {_count(facts.claims, 'claim')} "
            f"{'is' if facts.weak_claims == 1 else 'are'} marked as offered without evidence, unverified or suspect."
        )
    if facts.rival_label is not None:
        reasons.append(
            f"The strongest rival answer, \u201c{facts.rival_label}\u201d, has "
            f"{_count(facts.rival_origins, 'independent origin')}."
        )
    else:
        reasons.append(
            "No rival answer to this question is on record, so the assessment has nothing to weigh it against"
            " and gives it no credibility figure."
        )
    if facts.disputed_by:
        reasons.append(
            f"Claims from {_count(len(facts.disputed_by), 'source')} contradict it: {', '.join(facts.disputed_by)}."
        )
    if facts.probability is not None:
        reasons.append(f"The newest assessment puts its credibility at {facts.probability:.2f}.")
    return reasons


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")

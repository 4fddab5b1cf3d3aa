"""From a group of claims to a question: its kind, label, each claim's role, relations and alternatives (pure).

A numeric question (most of its claims count one thing) has, as alternatives, groups of
figures whose ranges all overlap: "24–99" and "2" for deaths in Almaty. Only whole counts
are answers; a part ("ten police among the dead") refines them and a claim that denies a
figure, or plays it down without one of its own, is about the question without answering it.
A categorical question's alternatives are groups of claims that do not contradict one another:
a claim contradicting every alternative so far opens a new one; a verdict on the evidence ("presented
no evidence", "could not be verified") weighs the answers and is none of them. Relations come from
``link.relations``; this module only decides what they mean for the question.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

import numpy as np

from corroborator.extract.claims import Quantity
from corroborator.extract.markers import EVIDENCE_MARKERS, evidence_wording
from corroborator.link.grouping import MEASURE_PRIORITY, Item, measure
from corroborator.link.numbers import GENERIC_GROUPS, counts, fold_group, fold_measure, show_range
from corroborator.link.reconcile import Dispute, NumericClaim
from corroborator.link.relations import Relation, relate_many
from corroborator.link.text import claim_text

# Each claim is related to at most this many others of its question, those it is most linked to:
# every pair of a 300-claim question would be 45,000 relations nobody reads.
PARTNERS = 30
# Markers that say a claim mentions a figure to reject it, not to give it.
_DENYING = ("negation", "denial")

MEASURE_LABELS = {
    "killed": "Deaths",
    "injured": "People injured",
    "missing": "People missing",
    "detained": "People detained",
    "displaced": "People displaced or evacuated",
    "gathered": "Crowd size",
}


@dataclass
class AlternativeDraft:
    """One competing answer: its claims (indices into the question's items), and for a figure its range."""

    key: str  # the stable key of its first claim: the alternative keeps its row while that claim backs it
    label: str
    members: list[int]
    low: float | None = None
    high: float | None = None


@dataclass
class QuestionDraft:
    """A question as the linking stage stores it; indices point into the items given to ``build``."""

    kind: str  # "numeric" or "categorical"
    measure: str | None
    label: str
    members: list[int]
    roles: dict[int, str]  # "answer", "part" or "about"
    relations: list[tuple[int, int, Relation]]  # (a, b, relation of b to a), unrelated pairs left out
    alternatives: list[AlternativeDraft] = field(default_factory=list)
    unrelated: int = 0  # pairs related and found unrelated


def build(items: Sequence[Item], members: Sequence[int], scores: np.ndarray) -> QuestionDraft:
    """The question a group of claims makes: kind, label, roles, relations and alternatives."""
    members = sorted(members, key=lambda i: _order(items[i]))
    found = [measure(items[i].claim) for i in members]
    counted = Counter(name for name in found if name)
    main = max(counted, key=lambda name: (counted[name], -MEASURE_PRIORITY.index(name))) if counted else None
    numeric = main is not None and counted[main] * 2 >= len(members)
    relations, unrelated = _relations(items, members, scores)
    draft = QuestionDraft(
        kind="numeric" if numeric else "categorical",
        measure=main if numeric else None,
        label="",
        members=list(members),
        roles={},
        relations=relations,
        unrelated=unrelated,
    )
    if numeric:
        _numeric(items, draft)
    else:
        _categorical(items, draft, scores)
    answers = [i for i in members if draft.roles[i] == "answer"]  # a question is named after what it asks
    draft.label = _numeric_label(items, draft) if numeric else _quoted(items[_central(answers, scores)])
    return draft


def _order(item: Item) -> tuple[date, str, int]:
    return item.claim.published or date.min, item.report, item.position


def _relations(
    items: Sequence[Item], members: list[int], scores: np.ndarray
) -> tuple[list[tuple[int, int, Relation]], int]:
    rank = {index: position for position, index in enumerate(members)}
    pairs: set[tuple[int, int]] = set()
    for i in members:
        partners = sorted((j for j in members if j != i), key=lambda j: -scores[i, j])[:PARTNERS]
        pairs.update((i, j) if rank[i] < rank[j] else (j, i) for j in partners)
    ordered = sorted(pairs, key=lambda pair: (rank[pair[0]], rank[pair[1]]))
    found = relate_many([(items[a].claim, items[b].claim) for a, b in ordered])
    kept = [(a, b, relation) for (a, b), relation in zip(ordered, found, strict=True) if relation.label != "unrelated"]
    return kept, len(ordered) - len(kept)


# -- numeric questions -------------------------------------------------------------------------


def figures_of(item: Item, name: str) -> list[Quantity]:
    """The claim's figures for the measure ``name``."""
    return [q for q in item.claim.quantities if fold_measure(q.subject) == name]


def _is_part(item: Item, quantity: Quantity) -> bool:
    """A part of a larger count: extraction's ``part_of``, or the relation rules' reading of the sentence."""
    if quantity.part_of is not None:
        return True
    return any(count.part for count in counts(list(item.claim.quantities), item.text) if count.quantity is quantity)


def _whole_groups(items: Sequence[Item], draft: QuestionDraft) -> set[str]:
    """The groups whose figures count the whole: "people", or, where nobody gives that, the commonest group."""
    assert draft.measure is not None
    groups = Counter(
        fold_group(q.group)
        for i in draft.members
        for q in figures_of(items[i], draft.measure)
        if not _is_part(items[i], q)
    )
    generic = GENERIC_GROUPS & set(groups)
    if generic or not groups:
        return set(generic)
    return {groups.most_common(1)[0][0]}


def whole_figure(items: Sequence[Item], draft: QuestionDraft, index: int) -> Quantity | None:
    """The figure of the whole count a claim gives, if it gives one and does not deny it."""
    assert draft.measure is not None
    item = items[index]
    if any(marker in _DENYING for marker in item.claim.markers):
        return None
    wholes = _whole_groups(items, draft)
    return next(
        (q for q in figures_of(item, draft.measure) if not _is_part(item, q) and fold_group(q.group) in wholes),
        None,
    )


def _numeric(items: Sequence[Item], draft: QuestionDraft) -> None:
    assert draft.measure is not None
    answers: list[tuple[int, Quantity]] = []
    for i in draft.members:
        whole = whole_figure(items, draft, i)
        denied = any(marker in _DENYING for marker in items[i].claim.markers)
        if whole is not None:
            answers.append((i, whole))
            draft.roles[i] = "answer"
        else:
            has_figure = bool(figures_of(items[i], draft.measure))
            draft.roles[i] = "part" if has_figure and not denied else "about"
    # Groups of ranges that all overlap: sweep by top, each group stabbed at its smallest top.
    pending = sorted(answers, key=lambda pair: (_top(pair[1]), pair[1].low))
    while pending:
        stab = _top(pending[0][1])
        chosen = [pair for pair in pending if pair[1].low <= stab]
        pending = [pair for pair in pending if pair[1].low > stab]
        low = max(q.low for _, q in chosen)
        tops = [q.high for _, q in chosen if q.high is not None]
        high = min(tops) if tops else None
        indices = sorted((i for i, _ in chosen), key=draft.members.index)
        draft.alternatives.append(
            AlternativeDraft(
                key=items[indices[0]].key,
                label=show_range(low, high),
                members=indices,
                low=float(low),
                high=None if high is None else float(high),
            )
        )
    draft.alternatives.sort(key=lambda alternative: (alternative.low or 0, alternative.high or float("inf")))


def _top(quantity: Quantity) -> float:
    return float("inf") if quantity.high is None else quantity.high


def reconciliation_input(
    items: Sequence[Item],
    draft: QuestionDraft,
    party: Callable[[str], bool],
    reliability: Callable[[str], float | None],
) -> tuple[list[NumericClaim], list[Dispute]]:
    """The figures of a numeric question and the claims disputing them, as ``link.reconcile`` takes them.

    Claims are named by their stable keys, so a stored trace still names the right claim after
    re-extraction. ``party`` and ``reliability`` say, by claimant, whether it is a party to the
    conflict and how reliable it has been found.
    """
    assert draft.measure is not None
    against: dict[int, list[str]] = {}
    for a, b, relation in draft.relations:
        if relation.label == "contradicts":
            against.setdefault(a, []).append(items[b].claim.claimant)
            against.setdefault(b, []).append(items[a].claim.claimant)
    claims: list[NumericClaim] = []
    disputes: list[Dispute] = []
    for i in draft.members:
        item = items[i]
        view = item.claim
        role = draft.roles[i]
        if role == "about":
            if i in against:
                disputes.append(Dispute(view.claimant, claim_text(view.sentence), view.chain, party(view.claimant)))
            continue
        whole = whole_figure(items, draft, i) if role == "answer" else None
        parts = [whole] if whole is not None else [q for q in figures_of(item, draft.measure)][:1]
        for quantity in parts:
            claims.append(
                NumericClaim(
                    claim_id=item.key,
                    claimant=view.claimant,
                    low=quantity.low,
                    high=quantity.high,
                    text=quantity.text,
                    chain=view.chain,
                    reliability=reliability(view.claimant),
                    party=party(view.claimant),
                    markers=view.markers,
                    published=datetime.combine(view.published, time()) if view.published else None,
                    scope="total" if role == "answer" else "part",
                    disputed_by=tuple(dict.fromkeys(name for name in against.get(i, ()) if name != view.claimant)),
                )
            )
    return claims, disputes


def _numeric_label(items: Sequence[Item], draft: QuestionDraft) -> str:
    """ "Deaths in Almaty, 5–6 January": the measure, the commonest place, the span of the events' dates."""
    assert draft.measure is not None
    name = MEASURE_LABELS.get(draft.measure)
    if name is None:
        groups = Counter(fold_group(q.group) for i in draft.members for q in figures_of(items[i], draft.measure))
        name = f"{_plural(groups.most_common(1)[0][0]).capitalize()} {draft.measure}"
    places = Counter(place for i in draft.members for place in items[i].claim.places)
    label = f"{name} in {places.most_common(1)[0][0]}" if places else name
    span = _span(items, draft.members)
    return f"{label}, {span}" if span else label


def _plural(group: str) -> str:
    return group if group.endswith("s") or group == "people" else group + "s"


def _span(items: Sequence[Item], members: Sequence[int]) -> str:
    times = [when for i in members if (when := items[i].claim.time) is not None]
    if times:
        first, last = min(t.start for t in times), max(t.end for t in times)
    else:
        published = [day for i in members if (day := items[i].claim.published) is not None]
        if not published:
            return ""
        first, last = min(published), max(published)
    return day_span(first, last)


def day_span(first: date, last: date) -> str:
    """ "5 January", "5–6 January", "30 January – 2 February"; the year only when the span crosses one."""
    if first == last:
        return f"{first.day} {first:%B}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%B}"
    if first.year == last.year:
        return f"{first.day} {first:%B} – {last.day} {last:%B}"
    return f"{first.day} {first:%B} {first.year} – {last.day} {last:%B} {last.year}"


# -- categorical questions ---------------------------------------------------------------------


def _qualifies(item: Item) -> bool:
    """A claim whose own words are a verdict on the evidence ("Tokayev presented no evidence for the claim",
    "her account could not be independently verified"): it weighs the answers of its question, it is not one."""
    return any(marker in EVIDENCE_MARKERS for marker in item.claim.markers) and bool(evidence_wording(item.text))


def _categorical(items: Sequence[Item], draft: QuestionDraft, scores: np.ndarray) -> None:
    """Alternatives by contradiction: a claim joins the alternative it agrees with most and contradicts nowhere.

    Verdicts on the evidence (``_qualifies``) are about the question, not answers to it, unless the
    question holds nothing else.
    """
    relation = {(a, b): r for a, b, r in draft.relations}
    relation.update({(b, a): r for a, b, r in draft.relations})
    qualifiers = {i for i in draft.members if _qualifies(items[i])}
    if len(qualifiers) == len(draft.members):
        qualifiers = set()
    groups: list[list[int]] = []
    for i in draft.members:
        if i in qualifiers:
            draft.roles[i] = "about"
            continue
        draft.roles[i] = "answer"
        best, best_score = None, -1
        for number, members in enumerate(groups):
            labels = [relation[(i, j)].label for j in members if (i, j) in relation]
            if "contradicts" in labels:
                continue
            agreement = sum(label in ("supports", "refines") for label in labels)
            if agreement > best_score:
                best, best_score = number, agreement
        if best is None:
            groups.append([i])
        else:
            groups[best].append(i)
    for members in groups:
        draft.alternatives.append(
            AlternativeDraft(items[members[0]].key, _quoted(items[_central(members, scores)]), members)
        )


def _central(members: Sequence[int], scores: np.ndarray) -> int:
    """The claim most linked to the others: the one that best says what the group is about."""
    if len(members) == 1:
        return members[0]
    block = scores[np.ix_(members, members)]
    return members[int(np.argmax(block.sum(axis=1)))]


_SPACE = re.compile(r"\s+")
LABEL_CHARS = 100
MIN_LABEL_WORDS = 4


def _quoted(item: Item) -> str:
    """A claim's content without its attribution, cut at a word near ``LABEL_CHARS``: a plain-words label.

    The whole sentence when cutting the attribution leaves too little to say anything ("In Washington").
    """
    text = _SPACE.sub(" ", claim_text(item.text)).strip(" \"'“”‘’")
    if len(text.split()) < MIN_LABEL_WORDS:
        text = _SPACE.sub(" ", item.text).strip(" \"'“”‘’")
    if len(text) > LABEL_CHARS:
        text = text[:LABEL_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text[:1].upper() + text[1:]

"""Comparing counted quantities: which counts are the same count, and whether their ranges agree.

Extraction gives each number a subject (what is counted: killed, injured, ...), a group (who:
people, police, inmates) and a closed range. Two numbers are only worth comparing when they count
the same thing; the extractor's subject is sometimes off ("prisoners were killed" read as held
prisoners), so the sentence's own wording of deaths and injuries is read again here, and groups
are folded onto a small synonym list ("prisoners" and "inmates" are one group).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corroborator.extract.claims import Quantity

# Subjects that count the same thing in practice: arrests and detentions are reported interchangeably.
_SUBJECT_FOLD = {"arrested": "detained"}

# Sentence wording that names the measure more surely than the extractor's subject does.
_MEASURE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "killed",
        re.compile(
            r"\b(?:killed|died|dead|deaths?|lives|bodies|body|toll|shot dead|beheaded|perished|fatalit\w+|"
            r"lost their lives|killing)\b",
            re.IGNORECASE,
        ),
    ),
    ("injured", re.compile(r"\b(?:injured|wounded|hurt|injuries|casualties)\b", re.IGNORECASE)),
    ("detained", re.compile(r"\b(?:detained|arrested|rounded up|in custody|detentions|arrests)\b", re.IGNORECASE)),
    ("evacuated", re.compile(r"\b(?:evacuated|evacuees|moved out of|taken out of|left \w+ overnight)\b", re.I)),
    (
        "gathered",
        re.compile(r"\b(?:protested|protest|marched|gathered|crowd|demonstrators|took to the streets)\b", re.I),
    ),
)

# Group synonyms, folded to one name; anything not listed is compared by its singular form.
_GROUP_FOLD = {
    "prisoner": "inmate",
    "inmate": "inmate",
    "policeman": "police",
    "policemen": "police",
    "police officer": "police",
    "officer": "police",
    "police": "police",
    "law enforcement officer": "police",
    "home": "building",
    "house": "building",
    "flat": "building",
    "building": "building",
    "person": "people",
    "people": "people",
    "resident": "people",
    "civilian": "people",
    "life": "people",
    "victim": "people",
    "troop": "soldier",
    "soldier": "soldier",
    "serviceman": "soldier",
    "demonstrator": "protester",
    "protester": "protester",
    "employee": "worker",
    "staff": "worker",
    "worker": "worker",
}
GENERIC_GROUPS = frozenset({"people"})

# Wording that makes a number a part of a larger counted whole: "two of the dead", "among them ten".
PART_WORDS = re.compile(
    r"\b(?:among|including|of (?:the|those|whom|them)|of the \w+ (?:who|dead|people|inmates|workers)|"
    r"were among|was among)\b",
    re.IGNORECASE,
)


def fold_group(group: str) -> str:
    """The group's canonical name: singular, synonyms folded ("prisoners" -> "inmate")."""
    g = group.lower().strip()
    if g in _GROUP_FOLD:
        return _GROUP_FOLD[g]
    for suffix, repl in (("men", "man"), ("ies", "y"), ("s", "")):
        if g.endswith(suffix) and len(g) > len(suffix) + 2:
            single = g[: -len(suffix)] + repl
            return _GROUP_FOLD.get(single, single)
    return g


def measure(quantity: Quantity, sentence: str) -> str:
    """What the number counts, trusting the sentence's death or injury wording over a vaguer subject."""
    subject = _SUBJECT_FOLD.get(quantity.subject, quantity.subject)
    if subject in ("killed", "injured"):
        return subject
    for name, pattern in _MEASURE_WORDS[:2]:
        if pattern.search(sentence):
            return name
    if subject == "other":
        for name, pattern in _MEASURE_WORDS[2:]:
            if pattern.search(sentence):
                return name
    return subject


def overlaps(a_low: int, a_high: int | None, b_low: int, b_high: int | None) -> bool:
    """Closed ranges overlap; ``None`` as the top means open above."""
    return (a_high is None or b_low <= a_high) and (b_high is None or a_low <= b_high)


def show_range(low: int, high: int | None) -> str:
    """A range in plain words: "24–99", "8", "at least 14"."""
    if high is None:
        return f"at least {low}"
    return str(low) if low == high else f"{low}–{high}"


@dataclass(frozen=True)
class Count:
    """One number with the measure and group it was compared on."""

    quantity: Quantity
    measure: str
    group: str
    part: bool  # the sentence says it is a part of a larger whole

    @property
    def range(self) -> str:
        return show_range(self.quantity.low, self.quantity.high)


def counts(quantities: list[Quantity], sentence: str) -> list[Count]:
    """The claim's numbers, each with its measure, folded group and whether it is a stated part."""
    part_sentence = bool(PART_WORDS.search(sentence))
    out = []
    for q in quantities:
        is_part = q.part_of is not None or (part_sentence and len(quantities) == 1)
        out.append(Count(q, measure(q, sentence), fold_group(q.group), is_part))
    return out


@dataclass(frozen=True)
class NumericVerdict:
    """How two numbers of the same measure stand: ``overlap``, ``conflict`` or ``part`` (of ``whole``)."""

    kind: str
    a: Count
    b: Count
    detail: str
    part_side: str | None = None  # "a" or "b" for kind "part"


def compare(a: list[Count], b: list[Count]) -> NumericVerdict | None:
    """How the numbers of two claims stand, or None if none count the same measure.

    A stated part ("two of the dead", a ``part_of``) or a narrower group below a generic one
    ("ten police" against "dozens of people") refines the whole; a narrower group that overlaps
    the whole is read as the same count, and one larger than the whole conflicts with it. When
    both claims give the same whole and one adds a part of it, that one is the more specific.
    """
    verdicts = [_compare_pair(x, y) for x in a for y in b if x.measure == y.measure]
    found = [v for v in verdicts if v is not None]
    same_whole = [v for v in found if v.kind == "overlap" and not v.a.part and not v.b.part]
    for v in same_whole:
        parts_a = [c for c in a if c.part and c.measure == v.a.measure]
        parts_b = [c for c in b if c.part and c.measure == v.a.measure]
        if bool(parts_a) != bool(parts_b):
            part, side = (parts_a[0], "a") if parts_a else (parts_b[0], "b")
            return NumericVerdict("part", v.a, v.b, _part_words(part, v.a if side == "a" else v.b), side)
    for kind in ("overlap", "part", "conflict"):
        for v in found:
            if v.kind == kind:
                return v
    return None


def _compare_pair(x: Count, y: Count) -> NumericVerdict | None:
    qx, qy = x.quantity, y.quantity
    together = overlaps(qx.low, qx.high, qy.low, qy.high)
    if x.group != y.group:
        specific = [c for c in (x, y) if c.group not in GENERIC_GROUPS]
        if len(specific) == 2 and not (x.part or y.part):
            return None  # two different groups, neither said to be a part: nothing to compare
        if len(specific) == 1 and not together and _below(specific[0], x if specific[0] is y else y):
            spec = specific[0]
            return NumericVerdict("part", x, y, _part_words(spec, y if spec is x else x), "a" if spec is x else "b")
    if x.part != y.part and not (together and x.group == y.group):
        part, whole, side = (x, y, "a") if x.part else (y, x, "b")
        if _below(part, whole):
            return NumericVerdict("part", x, y, _part_words(part, whole), side)
    if together:
        return NumericVerdict("overlap", x, y, f"ranges {x.range} and {y.range} overlap")
    return NumericVerdict("conflict", x, y, f"ranges {x.range} and {y.range} do not overlap")


def _below(part: Count, whole: Count) -> bool:
    """The part can be inside the whole: its top is not above the whole's top."""
    return whole.quantity.high is None or (part.quantity.high or part.quantity.low) <= whole.quantity.high


def _part_words(part: Count, whole: Count) -> str:
    return (
        f"{part.quantity.text or part.range} {part.group} ({part.range}) is a part of "
        f"{whole.quantity.text or whole.range} {whole.group} ({whole.range})"
    )

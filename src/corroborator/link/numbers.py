"""Comparing counted quantities: which counts are the same count, and whether their ranges agree.

Extraction gives each number a subject (what is counted: killed, injured, ...), a group (who:
people, police, inmates) and a closed range. Two numbers are only worth comparing when they count
the same thing; the extractor's subject is sometimes off ("prisoners were killed" read as held
prisoners), so the sentence's own wording of deaths and injuries is read again here, groups are
folded onto a small synonym list ("prisoners" and "inmates" are one group), and the wording that
makes a number a part of another ("two of the eleven dead", "among them ten police officers") is
read off the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corroborator.extract.claims import Quantity
from corroborator.extract.quantities import parse_number

# Subjects that count the same thing in practice: arrests and detentions are reported interchangeably,
# and so are people evacuated and people who had to leave their homes. One measure, one question.
_MEASURE_FOLD = {"arrested": "detained", "evacuated": "displaced"}


def fold_measure(subject: str) -> str:
    """The measure a figure's subject counts: arrests with detentions, evacuations with displacement."""
    return _MEASURE_FOLD.get(subject, subject)


_NUMBER_WORDS = (
    r"\d[\d,]*|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


# Sentence wording that names the measure more surely than the extractor's subject does, in order:
# a death figure wins.
_MEASURE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "killed",
        _words(
            r"killed",
            r"died",
            r"dead",
            r"deaths?",
            r"lives",
            r"bodies",
            r"body",
            r"toll",
            r"beheaded",
            r"perished",
            r"fatalit\w+",
            r"killing",
            rf"lost (?:about |some |at least )?(?:{_NUMBER_WORDS})",
        ),
    ),
    (
        "injured",
        _words(
            r"injured",
            r"wounded",
            r"hurt",
            r"injuries",
            r"treated",
            r"treatment",
            r"hospital care",
            r"checked by doctors",
            r"intensive care",
            r"casualties",
            r"(?:taken|brought|rushed|admitted) to hospitals?",
            r"hospitali[sz]ed",
        ),
    ),
    (
        "missing",
        _words(
            r"missing",
            r"unaccounted for",
            r"lost at sea",
            r"(?:not|never) (?:been )?found",
            r"yet to be found",
            r"still lost",
        ),
    ),
    (
        "detained",
        _words(r"detained", r"arrested", r"rounded up", r"in custody", r"detentions", r"arrests", r"captured"),
    ),
    ("held", _words(r"hostages?", r"captives?", r"holding", r"being held", r"held captive", r"seized", r"abducted")),
    (
        "displaced",
        _words(
            r"evacuated",
            r"evacuees",
            r"evacuation",
            r"moved out of",
            r"taken out of",
            r"left \w+ overnight",
            r"displaced",
            r"fled",
            r"homeless",
            r"(?:had to |forced to )?(?:leave|left|flee) their homes",
            r"(?:taken|forced|driven) (?:from|out of) their homes",
        ),
    ),
    ("gathered", _words(r"protested", r"protest", r"marched", r"gathered", r"crowd", r"took to the streets")),
    ("aboard", _words(r"on board", r"aboard", r"carrying", r"passengers and crew", r"(?:was|were) on the")),
    (
        "damaged",
        _words(
            r"damaged",
            r"destroyed",
            r"blown out",
            r"broke windows",
            r"flattened",
            r"burn(?:ed|t)(?: down| out| to the ground)?",
            r"razed",
            r"gutted",
            r"reduced to (?:ashes|rubble)",
        ),
    ),
)
_MEASURE_NAMES = frozenset(name for name, _ in _MEASURE_WORDS)

# Group synonyms, folded to one name; anything not listed is compared by its singular form. Reports
# name one group many ways ("gunmen", "militants", "attackers"; "villagers", "residents"), so each
# class of people a crisis report counts is one name here.
_GROUP_CLASSES = {
    "inmate": "prisoner inmate convict",
    "police": "policeman policewoman police officer gendarme",
    "building": "home house flat building dwelling apartment",
    "people": """person people resident civilian life live victim evacuee villager inhabitant local citizen
        townspeople bystander passer-by individual body corpse family""",
    "soldier": "troop soldier serviceman servicewoman commando paratrooper marine conscript reservist",
    "attacker": """attacker gunman militant fighter rebel insurgent terrorist bandit assailant raider kidnapper
        hostage-taker hijacker guerrilla""",
    "hostage": "hostage captive",
    "protester": "demonstrator protester marcher",
    "worker": "employee staff worker labourer",
    "child": "child pupil schoolchild kid minor",
    "medic": "doctor nurse medic paramedic",
    "journalist": "journalist reporter correspondent cameraman photographer",
}
_GROUP_FOLD = {word: name for name, words in _GROUP_CLASSES.items() for word in words.split()}
_GROUP_FOLD.update({"police officer": "police", "law enforcement officer": "police", "riot police": "police"})
GENERIC_GROUPS = frozenset({"people"})
# For crowds, "protesters" and "people" are the same people; elsewhere a named group is a part.
_SAME_AS_GENERIC = {"gathered": frozenset({"protester", "marcher"}), "displaced": frozenset({"family"})}

# "three of the eleven dead": a part, and the whole it is a part of.
_OF_THE_NUMBER = re.compile(
    rf"\b(?:{_NUMBER_WORDS})\s+of\s+(?:the|those|its|their)\s+(?P<whole>{_NUMBER_WORDS})\b", re.IGNORECASE
)
# Wording right after a number that makes it a part: "two of the dead", "seven firefighters were among".
# "of the" counts only right after the number: "3,500 residents of the valley" is no part.
_PART_AFTER = re.compile(
    r"^(?:\s+(?:more |other |others )?of (?:the|those|them|whom|its|their)\b"
    r"|[\w\s-]{0,30}?\b(?:(?:were|was|are|is) among\b|among (?:the|those)\b))",
    re.IGNORECASE,
)
# Wording right before a number that makes it a part: "among them ten", "including three", "among the
# evacuees were 140".
_PART_BEFORE = re.compile(
    r"\b(?:among them|among whom|including|of whom|of them"
    r"|among (?:the|those) [\w\s-]{0,30}?\b(?:were|was|are|is))\s+$",
    re.IGNORECASE,
)


# A bare number right after one of these words names a thing ("flight 306", "Route 9", "tank 4"); it
# counts nothing.
_IDENTIFIER_BEFORE = re.compile(
    r"\b(?:flight|route|highway|road|unit|tank|article|gate|block|room|platform|bus|train|line|number|no\.|"
    r"squadron|regiment|brigade|battalion|division|sector|zone|ward|floor|terminal|runway|reactor|hangar|"
    r"resolution|section|case|cell|item|pier|berth|exit|junction)\s+$",
    re.IGNORECASE,
)
_BARE_DIGITS = re.compile(r"\d[\d,]*")


def is_identifier(quantity: Quantity, sentence: str) -> bool:
    """The number names something ("flight 306", "Tank 4") instead of counting it."""
    if not _BARE_DIGITS.fullmatch(quantity.text or ""):
        return False
    return any(
        _IDENTIFIER_BEFORE.search(sentence[: m.start()])
        for m in re.finditer(rf"(?<![\d,]){re.escape(quantity.text)}(?![\d,])", sentence)
    )


def fold_group(group: str) -> str:
    """The group's canonical name: singular, synonyms folded ("prisoners" -> "inmate")."""
    g = group.lower().strip()
    if g in _GROUP_FOLD:
        return _GROUP_FOLD[g]
    for suffix, repl in (("men", "man"), ("ies", "y"), ("s", "")):
        if g.endswith(suffix) and len(g) > len(suffix) + 2:
            g = g[: -len(suffix)] + repl
            break
    return _GROUP_FOLD.get(g, g)


def measure(quantity: Quantity, sentence: str) -> str:
    """What the number counts: a death or injury as the extractor read it, else the sentence's own
    wording ("prisoners were killed" counts the dead, not people held), else the extractor's subject."""
    subject = fold_measure(quantity.subject)
    if subject in ("killed", "injured"):
        return subject
    for name, pattern in _MEASURE_WORDS:
        if pattern.search(sentence):
            return name
    if subject == "detained" and fold_group(quantity.group) == "inmate":
        return "other"  # "hundreds of prisoners joined": held already, not detained in this event
    return subject


def sentence_measures(sentence: str) -> set[str]:
    """The measures a sentence speaks of, numbers or not ("among the dead" speaks of the killed)."""
    return {name for name, pattern in _MEASURE_WORDS if pattern.search(sentence)}


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
    """One number with the measure and group it was compared on.

    ``part`` marks a number the sentence says is a part of a larger whole; ``named_whole`` one
    the sentence names as that whole ("of the eleven"), which is the same count as any other
    claim's eleven of that measure, whatever group that claim gives.
    """

    quantity: Quantity
    measure: str
    group: str
    part: bool = False
    named_whole: bool = False

    @property
    def range(self) -> str:
        return show_range(self.quantity.low, self.quantity.high)

    @property
    def words(self) -> str:
        return f"{self.quantity.text or self.range} {self.group}"


def counts(quantities: list[Quantity], sentence: str) -> list[Count]:
    """The claim's numbers, each with its measure, folded group and whether it is a stated part."""
    out = []
    lowered = sentence.lower()
    for q in quantities:
        if is_identifier(q, sentence):
            continue
        at = lowered.find(q.text.lower()) if q.text else -1
        part = q.part_of is not None
        if at >= 0 and not part:
            part = bool(_PART_AFTER.match(sentence[at + len(q.text) :]) or _PART_BEFORE.search(sentence[:at]))
        m = _OF_THE_NUMBER.search(sentence)
        whole = m is not None and at == m.start("whole")
        out.append(Count(q, measure(q, sentence), fold_group(q.group), part and not whole, whole))
    m = _OF_THE_NUMBER.search(sentence)
    parts = [c for c in out if c.part]
    if m and parts and not any(c.named_whole for c in out):
        value = parse_number(m.group("whole"))
        p = parts[0]
        q = Quantity(p.quantity.subject, p.quantity.group, value, value, f"the {m.group('whole')}")
        out.append(Count(q, p.measure, p.group, named_whole=True))
    return out


@dataclass(frozen=True)
class NumericVerdict:
    """How two numbers of the same measure stand: ``overlap``, ``conflict`` or ``part``."""

    kind: str
    a: Count
    b: Count
    detail: str
    part_side: str | None = None  # "a" or "b" for kind "part": the side with the part


def compare(a: list[Count], b: list[Count]) -> NumericVerdict | None:
    """How the numbers of two claims stand, or None if none count the same measure.

    A stated part ("two of the dead", a ``part_of``) or a narrower group below a generic one
    ("ten police" against "dozens of people") refines the whole; a narrower group that overlaps
    the whole is read as the same count, and one larger than the whole conflicts with it. When
    both claims give the same whole and one adds a part of it, that one is the more specific.
    """
    for x in a:
        for y in b:
            if (x.named_whole or y.named_whole) and (x.quantity.low, x.quantity.high) == (
                y.quantity.low,
                y.quantity.high,
            ):
                side, whole = ("a", x) if x.named_whole else ("b", y)
                part = next((c for c in (a if side == "a" else b) if c.part), None)
                detail = _part_words(part, whole) if part else f"{side.upper()} counts a part of the {whole.range}"
                return NumericVerdict("part", x, y, detail, side)
    found = [v for x in a for y in b if x.measure == y.measure and (v := _compare_pair(x, y)) is not None]
    for v in found:
        if v.kind == "overlap" and not v.a.part and not v.b.part:
            parts_a = [c for c in a if c.part and c.measure == v.a.measure]
            parts_b = [c for c in b if c.part and c.measure == v.a.measure]
            if bool(parts_a) != bool(parts_b):
                part, side = (parts_a[0], "a") if parts_a else (parts_b[0], "b")
                return NumericVerdict("part", v.a, v.b, _part_words(part, v.a if side == "a" else v.b), side)
    for kind in ("overlap", "part", "conflict", "other_group"):
        for v in found:
            if v.kind == kind:
                return v
    return None


def _compare_pair(x: Count, y: Count) -> NumericVerdict | None:
    qx, qy = x.quantity, y.quantity
    together = overlaps(qx.low, qx.high, qy.low, qy.high)
    gx, gy = _generic(x), _generic(y)
    if gx != gy and not _may_be_one_group(gx, gy):
        specific = [c for c, g in ((x, gx), (y, gy)) if g not in GENERIC_GROUPS]
        if len(specific) == 2 and not (x.part or y.part):
            return NumericVerdict("other_group", x, y, f"{x.words} and {y.words} are different people or things")
        if len(specific) == 1 and not together and _below(specific[0], x if specific[0] is y else y):
            spec = specific[0]
            return NumericVerdict("part", x, y, _part_words(spec, y if spec is x else x), "a" if spec is x else "b")
    if x.part != y.part and not (together and gx == gy):
        part, whole, side = (x, y, "a") if x.part else (y, x, "b")
        if _below(part, whole):
            return NumericVerdict("part", x, y, _part_words(part, whole), side)
    if together:
        return NumericVerdict("overlap", x, y, f"ranges {x.range} and {y.range} overlap")
    return NumericVerdict("conflict", x, y, f"ranges {x.range} and {y.range} do not overlap")


def _may_be_one_group(gx: str, gy: str) -> bool:
    """Two specific groups are one unless both are classes known apart: reports name the same people
    in words no list holds ("dockers" and "port workers", "crew" and "seamen", "four men" and "a
    handful of soldiers"), while "soldiers" against "attackers" are surely others."""
    specific = [g for g in (gx, gy) if g not in GENERIC_GROUPS]
    return len(specific) == 2 and not all(g in _GROUP_CLASSES for g in specific)


def _generic(c: Count) -> str:
    return "people" if c.group in _SAME_AS_GENERIC.get(c.measure, ()) else c.group


def _below(part: Count, whole: Count) -> bool:
    """The part can be inside the whole: its top is not above the whole's top."""
    return whole.quantity.high is None or (part.quantity.high or part.quantity.low) <= whole.quantity.high


def _part_words(part: Count, whole: Count) -> str:
    return f"{part.words} ({part.range}) is a part of {whole.words} ({whole.range})"


# -- measurements: clock times, durations and distances, which extraction does not count --------

_APPROX_WORDS = (
    r"(?:about|around|roughly|some|approximately|nearly|almost|shortly (?:before|after)|just (?:before|after))"
)
_VALUE = rf"(?:\d[\d,]*(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|{_NUMBER_WORDS})"
_CLOCK = re.compile(
    rf"(?P<mod>{_APPROX_WORDS}\s+)?(?:at\s+)?\b(?P<h>\d{{1,2}})(?:[.:](?P<m>\d{{2}}))?\s?(?P<ampm>am|pm)\b"
    r"|\b(?P<named>midnight|noon)\b",
    re.IGNORECASE,
)
_SPAN = re.compile(
    rf"(?P<mod>{_APPROX_WORDS}\s+|within\s+|up to\s+|more than\s+|over\s+)?\b(?P<v>{_VALUE})\s*(?:full\s+)?"
    r"(?P<unit>minutes?|hours?|days?|weeks?|kilometres?|kilometers?|km|miles?|metres?|meters?|feet|ft)\b"
    r"(?P<tail>-(?:long|wide|high)|\s+(?:before|after|later|earlier|ago|away|from)\b)?",
    re.IGNORECASE,
)
_UNIT = {
    "minute": ("duration", 1.0),
    "hour": ("duration", 60.0),
    "day": ("duration", 1440.0),
    "week": ("duration", 10080.0),
    "kilometre": ("distance", 1000.0),
    "kilometer": ("distance", 1000.0),
    "km": ("distance", 1000.0),
    "mile": ("distance", 1609.0),
    "metre": ("distance", 1.0),
    "meter": ("distance", 1.0),
    "feet": ("distance", 0.3048),
    "ft": ("distance", 0.3048),
}


@dataclass(frozen=True)
class Measurement:
    """A clock time (minutes after midnight), a duration (minutes) or a distance (metres), as a range."""

    kind: str  # "clock", "duration" or "distance"
    low: float
    high: float
    text: str


def measurements(text: str) -> list[Measurement]:
    """Clock times, durations and distances in a claim, each as a range in one base unit."""
    out = []
    for m in _CLOCK.finditer(text):
        if m.group("named"):
            minutes = 0.0 if m.group("named").lower() == "midnight" else 720.0
        else:
            hour = int(m.group("h")) % 12 + (12 if m.group("ampm").lower() == "pm" else 0)
            minutes = hour * 60.0 + int(m.group("m") or 0)
        slack = 30.0 if m.group("mod") else 5.0
        out.append(Measurement("clock", minutes - slack, minutes + slack, m.group(0).strip()))
    for m in _SPAN.finditer(text):
        if (m.group("tail") or "").strip() in ("before", "after", "later", "earlier", "ago", "away", "from"):
            continue  # an offset from something else ("ten minutes before the blast"), not a length
        unit = m.group("unit").lower()
        unit = unit if unit in _UNIT else unit.rstrip("s")
        kind, factor = _UNIT[unit]
        raw = m.group("v").lower()
        value = 1.0 if raw in ("a", "an") else float(raw.replace(",", "")) if raw[0].isdigit() else parse_number(raw)
        base = value * factor
        mod = (m.group("mod") or "").strip().lower()
        if mod in ("within", "up to"):
            low, high = 0.0, base
        elif mod in ("more than", "over"):
            low, high = base, float("inf")
        elif mod:
            low, high = base * 0.9, base * 1.1
        else:
            low, high = base * 0.95, base * 1.05  # a stated figure is rounded, and units converted
        out.append(Measurement(kind, low, high, m.group(0).strip()))
    return out


def measurement_conflict(a: list[Measurement], b: list[Measurement]) -> tuple[Measurement, Measurement] | None:
    """Two measurements of one kind whose ranges cannot both hold, when each side gives one of that kind."""
    for kind in ("clock", "duration", "distance"):
        xs, ys = [m for m in a if m.kind == kind], [m for m in b if m.kind == kind]
        if len(xs) == 1 and len(ys) == 1:
            x, y = xs[0], ys[0]
            if x.high < y.low or y.high < x.low:
                return x, y
    return None

"""Numbers about people and things, as ranges, with what is counted.

The ranges follow the table in docs/extraction-gold.md exactly: a number word is found by
pattern (digits, number words, vague words with their multipliers), the modifier before it
("about", "at least", "between ... and") turns it into a range, and the counted thing comes
from the words around it: the noun it counts gives the group, the nearest event word in its
own stretch of the sentence the subject ("killed", "injured", ...), and "including", "among
them", "of whom" make it part of the number before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from spacy.tokens import Doc

from corroborator.extract.claims import Quantity

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_WORD = r"(?:" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True)) + r")"
_WORD_NUMBER = rf"{_WORD}(?:-{_WORD})?(?:\s+(?:hundred|thousand|million)(?:\s+(?:and\s+)?{_WORD}(?:-{_WORD})?)?)?"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+(?:thousand|million))?"
_NUM = rf"(?:{_DIGITS}|{_WORD_NUMBER})"

# Vague words, longest first; each maps to its range before modifiers.
_VAGUE: dict[str, tuple[int, int]] = {
    "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999),
    "a couple of hundred": (200, 200),
    "a couple hundred": (200, 200),
    "a couple of thousand": (2000, 2000),
    "a few hundred": (200, 400),
    "a few thousand": (2000, 4000),
    "a few dozen": (24, 48),
    "several hundred": (300, 900),
    "several thousand": (3000, 9000),
    "several dozen": (36, 108),
    "a handful of": (2, 5),
    "a handful": (2, 5),
    "a couple of": (2, 2),
    "a few": (2, 4),
    "several": (3, 9),
    "a dozen": (12, 12),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
}
_VAGUE_RE = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in _VAGUE)

_APPROX = r"about|around|some|roughly|approximately|an\s+estimated|estimated|approx\.?"
_NEARLY = r"nearly|almost|close\s+to"
_AT_LEAST = r"at\s+least|no\s+fewer\s+than|no\s+less\s+than"
_MORE = r"more\s+than|over|upwards\s+of|in\s+excess\s+of"
_UP_TO = r"up\s+to|as\s+many\s+as|no\s+more\s+than|at\s+most"
_FEWER = r"fewer\s+than|less\s+than|under"
_MODIFIER = rf"(?P<mod>{_APPROX}|{_NEARLY}|{_AT_LEAST}|{_MORE}|{_UP_TO}|{_FEWER})\s+"

_EXPRESSION = re.compile(
    rf"(?<![\w$€£./:-])(?:{_MODIFIER})?(?:"
    rf"between\s+(?P<b1>{_NUM})\s+and\s+(?P<b2>{_NUM})"
    rf"|(?P<r1>{_NUM})\s*(?:-|–|to|or)\s*(?P<r2>{_NUM})"
    rf"|(?P<dozen>{_NUM})\s+dozen"
    rf"|(?P<vague>{_VAGUE_RE})"
    rf"|(?P<num>{_NUM})"
    rf")(?P<plus>\s+or\s+more)?(?![\w%$€£]|\.\d|:\d|-year)",
    re.IGNORECASE,
)

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?"
)
# What follows a number that is not a count of people or things: dates, times, durations, money.
_NOT_AFTER = re.compile(
    rf"^\s*(?:{_MONTHS}\b|(?:years?|decades?|centur(?:y|ies)|months?|weeks?|days?|hours?|minutes?|seconds?|"
    r"nights?|times|percent|per\s+cent|o'clock|a\.m\.|p\.m\.|am\b|pm\b|in\s+the\s+(?:morning|afternoon|evening)|"
    r"km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|blocks?|streets?\s+away|dollars|euros|tenge|roubles|rubles|"
    r"pounds|yuan|%|st\b|nd\b|rd\b|th\b|years?-old|-year|floors?|storeys?|of\s+(?:us|you)\b))",
    re.IGNORECASE,
)
_NOT_BEFORE = re.compile(
    rf"(?:\b(?:{_MONTHS})\.?|\barticle|\bsection|\bno\.|\bnumber|\bparagraph|\bchapter|\bresolution|\bpoint|"
    r"\baged|\bage|\buntil|\bpast|\bsince|[$€£])\s*$",
    re.IGNORECASE,
)
_DATE_LIKE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}$|^(?:19|20)\d\d$")

_COUNTED_NEXT = re.compile(r"\s+(?!(?:had|have|has|were|was|are|is|did|who|of|and|or)\b)[a-z]+")
_PART_CUE = re.compile(
    r"\b(?:including|among\s+(?:them|whom|those|the\s+\w+)|of\s+(?:whom|them|those|which)|of\s+these)\W*$",
    re.IGNORECASE,
)
_PART_AFTER = re.compile(r"^\s*(?:of\s+(?:whom|them|those|which|these))\b", re.IGNORECASE)

# Event words that name what is counted, from docs/extraction-gold.md's fixed list.
_SUBJECT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (subject, re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE))
    for subject, pattern in (
        (
            "killed",
            r"killed|kill|kills|killing|dead|died|die|dies|deaths?|bodies|fatalit(?:y|ies)|slain|murdered|"
            r"executed|beheaded|eliminated|perished|lost\s+their\s+lives|death\s+toll|shot\s+dead|lives",
        ),
        (
            "injured",
            r"injured|injuring|injur(?:y|ies)|wounded|wounds|wounding|hurt|hospitali[sz]ed|admitted\s+to\s+hospital|"
            r"in\s+hospital|intensive\s+care|medical\s+(?:help|attention|care|treatment)|treated",
        ),
        ("arrested", r"arrested|arrests?"),
        ("detained", r"detained|detentions?|detainees|taken\s+into\s+custody|in\s+custody"),
        ("missing", r"missing|unaccounted|disappeared"),
        ("displaced", r"displaced|fled\s+their\s+homes|homeless|refugees"),
        ("evacuated", r"evacuated|evacuations?|evacuees"),
        (
            "gathered",
            r"gathered|gathering|crowds?|rall(?:y|ies|ied)|marched|protested|demonstrated|demonstrators|"
            r"took\s+to\s+the\s+streets|assembled|attended",
        ),
        (
            "deployed",
            r"deployed|deployment|sent|dispatched|arrived|arriving|landed|stationed|mobili[sz]ed|reinforcements|"
            r"contingents?",
        ),
        (
            "damaged",
            r"damaged|destroyed|burned|burnt|torched|set\s+on\s+fire|set\s+alight|looted|vandali[sz]ed|wrecked",
        ),
    )
)

_GROUPS = {
    "person": "people", "persons": "people", "people": "people", "individuals": "people",
    "officer": "police", "officers": "police", "policeman": "police", "policemen": "police", "police": "police",
    "policewoman": "police", "policewomen": "police",
    "troops": "soldiers", "soldier": "soldiers", "soldiers": "soldiers", "servicemen": "soldiers",
    "man": "men", "woman": "women", "child": "children", "children": "children", "civilian": "civilians",
    "protester": "protesters", "demonstrator": "protesters", "demonstrators": "protesters",
    "attacker": "attackers", "fighter": "fighters", "militant": "militants",
    "death": "people", "deaths": "people", "bodies": "people", "body": "people", "casualties": "people",
}  # fmt: skip
_PERSON_NOUNS = frozenset(_GROUPS) | {"men", "women", "residents", "students", "journalists", "members"}


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    low: int
    high: int | None
    text: str


def _word_number(words: str) -> int:
    total = current = 0
    for part in re.split(r"[\s-]+", words.lower()):
        if part == "and":
            continue
        if part in _UNITS:
            current += _UNITS[part]
        elif part in _TENS:
            current += _TENS[part]
        elif part in _SCALES:
            current = max(current, 1) * _SCALES[part]
            if _SCALES[part] >= 1000:
                total, current = total + current, 0
    return total + current


def parse_number(words: str) -> int:
    """The value of "26", "1,000", "2.5 million", "twenty-five", "three hundred and ten"."""
    words = words.strip()
    if words[0].isdigit():
        head, _, scale = words.partition(" ")
        value = Fraction(head.replace(",", ""))
        if scale:
            value *= _SCALES[scale.strip().lower()]
        return int(value)
    return _word_number(words)


def _half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def _apply(modifier: str | None, low: int, high: int) -> tuple[int, int | None]:
    """Turn a base range into the documented range for its modifier."""
    if not modifier:
        return low, high
    mod = " ".join(modifier.lower().split())
    if re.fullmatch(_APPROX, mod):
        return _half_up(Fraction(9, 10) * low), _half_up(Fraction(11, 10) * high)
    if re.fullmatch(_NEARLY, mod):
        return _half_up(Fraction(9, 10) * low), high
    if re.fullmatch(_AT_LEAST, mod):
        return low, None
    if re.fullmatch(_MORE, mod):
        return low + 1, None
    if re.fullmatch(_UP_TO, mod):
        return 0, high
    return 0, high - 1  # fewer / less than


def find_numbers(text: str, skip: list[tuple[int, int]] = ()) -> list[_Match]:
    """Every count expression in ``text`` with its range; dates, durations and the spans in
    ``skip`` (time expressions found elsewhere) left out."""
    found: list[_Match] = []
    for m in _EXPRESSION.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in skip):
            continue
        if re.search(r"\bthe\s+$", text[: m.start()]) and not re.match(_COUNTED_NEXT, text[m.end() :]):
            continue  # "none of the eleven had": a number standing for people counted before
        groups = m.groupdict()
        if groups["b1"]:
            low, high = parse_number(groups["b1"]), parse_number(groups["b2"])
        elif groups["r1"]:
            if re.search(r"\d[-–]\d", m.group(0)) and not re.search(r"\s", m.group(0).strip()) and len(m.group(0)) > 9:
                continue  # a date or code like 2022-01-06
            low, high = parse_number(groups["r1"]), parse_number(groups["r2"])
            if high < low:
                continue
        elif groups["dozen"]:
            low = high = parse_number(groups["dozen"]) * 12
        elif groups["vague"]:
            vague = " ".join(groups["vague"].lower().split())
            if vague == "scores" and not re.match(
                r"\s+(?:of|were|have|had|are|more|dead|killed|injured)\b", text[m.end() :]
            ):
                continue
            low, high = _VAGUE[vague]
        else:
            raw = groups["num"]
            if _DATE_LIKE.match(raw):
                continue
            if raw.lower() == "one" and not _next_is_person(text[m.end() :]):
                continue
            low = high = parse_number(raw)
        if _NOT_AFTER.match(text[m.end() :]) or _NOT_BEFORE.search(text[: m.start()]):
            continue
        lo, hi = _apply(groups["mod"], low, high)
        if groups["plus"]:
            hi = None
        found.append(_Match(m.start(), m.end(), lo, hi, m.group(0)))
    return found


def _next_is_person(rest: str) -> bool:
    word = re.match(r"\s+(?:of\s+(?:the\s+)?)?(\w+)", rest)
    return bool(word) and word.group(1).lower() in _PERSON_NOUNS and not rest.lstrip().startswith("of")


def _subject_in(segment: str, last: bool = False) -> str | None:
    best: tuple[int, str] | None = None
    for subject, pattern in _SUBJECT_CUES:
        hits = list(pattern.finditer(segment))
        if not hits:
            continue
        pos = hits[-1].start() if last else hits[0].start()
        if best is None or (pos > best[0] if last else pos < best[0]):
            best = (pos, subject)
    return best[1] if best else None


def _group(doc: Doc, end: int) -> str | None:
    """The plural noun counted by the number ending at character ``end``."""
    tokens = [t for t in doc if t.idx >= end][:6]
    for t in tokens:
        if t.pos_ in {"VERB", "AUX", "PUNCT", "ADP", "CCONJ", "NUM"} and t.lower_ != "of":
            return None
        if t.lower_ in {"whom", "them", "those", "these", "which"}:
            return None
        if t.pos_ in {"NOUN", "PROPN"}:
            if t.lower_ in {"members", "units", "number", "group", "groups", "crowd"}:
                continue
            while t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "NOUN" and t.dep_ == "compound":
                t = doc[t.i + 1]
            word = t.lower_
            return _GROUPS.get(word, word if word.endswith("s") or t.tag_ == "NNS" else word + "s")
    return None


def extract_quantities(doc: Doc, skip: list[tuple[int, int]] = ()) -> list[Quantity]:
    """Counts in one sentence (``doc`` is the sentence parsed alone)."""
    text = doc.text
    matches = find_numbers(text, skip)
    result: list[Quantity] = []
    for i, m in enumerate(matches):
        next_start = matches[i + 1].start if i + 1 < len(matches) else len(text)
        prev_end = matches[i - 1].end if i else 0
        after = text[m.end : next_start]
        clause_end = re.search(r"[;:]|,\s+(?:a|the|an)\s+\w+\s+(?:said|told)", after)
        own = after[: clause_end.start()] if clause_end else after
        before = text[max(prev_end, m.start - 45) : m.start]
        subject = _subject_in(own) or _subject_in(before, last=True)
        part_of = None
        if result and (_PART_CUE.search(text[prev_end : m.start]) or _PART_AFTER.match(after)):
            whole = result[-1]
            part_of = whole.subject
            if subject is None:
                subject = whole.subject
        group = _group(doc, m.end)
        if group is None:
            group = result[-1].group if result and _PART_AFTER.match(after) else "people"
        result.append(Quantity(subject or "other", group, m.low, m.high, m.text, part_of))
    return result

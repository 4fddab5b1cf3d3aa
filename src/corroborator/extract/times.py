"""When the claimed event happened, resolved against the report's date.

News dates are a small language ("on Thursday", "January 6", "the previous day", "last
night", "after sundown"), so they are matched by rules and resolved with date arithmetic.
dateparser's ``search_dates`` reads most of them too, but took ten times as long a sentence
(docs/benchmarks.md) and gives points in time, where a claim needs intervals ("since
Tuesday", "between Monday and Wednesday") and day parts.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from corroborator.extract.claims import TimeRef

_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTH_NAMES["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_PART_WORDS = r"(?P<part>morning|afternoon|evening|night)"

_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told\s+[\w/.'-]+(?:\s+[\w/.'-]+)?|announced|reported|stated|confirmed|added|denied|claimed)"
    r"(?:\s+(?:late|early|earlier|later))?\s*(?:on\s+)?$",
    re.IGNORECASE,
)
_SPEECH_AFTER = re.compile(r"^,?\s*(?:said|told|announced|reported|according)\b", re.IGNORECASE)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(r"\b" + pattern + r"\b", re.IGNORECASE)


# Each pattern names how its match resolves; order matters only for overlapping matches.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", _compile(r"(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)")),
    ("dotted", _compile(r"(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.(?P<year>(?:19|20)\d\d)")),
    ("month_range", _compile(_MONTH + r"\s+" + _DAY + r"\s*(?:-|–|and|to|through|until)\s*(?P<day2>[0-3]?\d)"
                             + r"(?:st|nd|rd|th)?" + _YEAR)),
    ("day_range", _compile(r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|and|or|to|through|until)\s*(?P<day2>[0-3]?\d)"
                           r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + _YEAR)),
    ("month_day", _compile(_MONTH + r"\s+" + _DAY + _YEAR)),
    ("day_month", _compile(r"(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MONTH + _YEAR)),
    ("nth", _compile(r"(?:on|of|the|night\s+of|evening\s+of|morning\s+of)\s+(?:the\s+)?"
                     r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)")),
    ("weekday_range", _compile(r"(?:between|from)?\s*" + _WEEKDAY + r"(?:\s+(?:morning|afternoon|evening|night))?"
                               r"\s+(?:and|or|to|until|through)\s+(?P<weekday2>"
                               + "|".join(_WEEKDAYS) + r")")),
    ("weekday", _compile(r"(?:(?P<rel>last|this|past)\s+)?" + _WEEKDAY + r"(?:\s+" + _PART_WORDS + r")?")),
    ("weekend", _compile(r"(?:the|last|this|over\s+the|during\s+the)\s+weekend")),
    ("last_month_name", _compile(r"last\s+" + _MONTH)),
    ("last_period", _compile(r"(?P<which>last|this)\s+(?P<period>month|year)")),
    ("year", _compile(r"(?:in|since|during)\s+(?P<year>(?:19|20)\d\d)")),
    ("yesterday", _compile(r"yesterday(?:\s+" + _PART_WORDS + r")?")),
    ("last_night", _compile(r"last\s+night|overnight")),
    ("previous_day", _compile(r"(?:the\s+)?(?:previous|preceding)\s+(?:day|" + _PART_WORDS + r")|the\s+day\s+before")),
    ("today", _compile(r"today|this\s+" + _PART_WORDS + r"|tonight")),
    ("days_ago", _compile(r"(?P<n>two|three|four|five|six|\d)\s+days\s+ago")),
    ("last_week", _compile(r"last\s+week|earlier\s+this\s+week|this\s+week")),
    ("month", _compile(r"(?:in|since|during|early|late|mid-?)\s+" + _MONTH + _YEAR)),
)  # fmt: skip

_DAY_PARTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("morning", _compile(r"first\s+light")),
    ("evening", _compile(r"after\s+(?:dark|sundown|sunset|nightfall)|at\s+(?:dusk|sunset)|when\s+it\s+(?:got|was"
                         r"(?:\s+already)?|grew)\s+dark|evening|in\s+the\s+dark")),
    ("night", _compile(r"night|overnight|tonight|midnight|before\s+dawn|small\s+hours")),
    ("morning", _compile(r"morning|dawn|daybreak|sunrise")),
    ("afternoon", _compile(r"afternoon|midday|noon")),
)  # fmt: skip
_CLOCK = _compile(
    r"(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)|(?P<h24>[01]?\d|2[0-3]):[0-5]\d"
)
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)
_ANAPHORIC = _compile(r"that\s+(?:day|night|evening|morning|afternoon)|the\s+same\s+(?:day|night|evening)|then")


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    first: date
    last: date
    part: str | None
    speech: bool  # the time of the speaking ("said on Friday"), not of the event


def _year_for(month: int, day: int, anchor: date) -> int:
    """The year that puts a month and day on or before the report's date (news looks back)."""
    try:
        return anchor.year if date(anchor.year, month, day) <= anchor + timedelta(days=1) else anchor.year - 1
    except ValueError:
        return anchor.year


def _make(year: int | None, month: int, day: int, anchor: date | None) -> date | None:
    if year is None:
        if anchor is None:
            return None
        year = _year_for(month, day, anchor)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(kind: str, m: re.Match[str], anchor: date | None) -> tuple[date, date, str | None] | None:
    g = m.groupdict()
    part = g.get("part")
    month = _MONTH_NAMES.get((g.get("month") or "").lower().rstrip("."))
    year = int(g["year"]) if g.get("year") else None
    if kind in ("iso", "dotted"):
        day = _make(int(g["year"]), int(g["mnum"]), int(g["day"]), anchor)
        return (day, day, None) if day else None
    if kind in ("month_day", "day_month"):
        day = _make(year, month, int(g["day"]), anchor) if month else None
        return (day, day, None) if day else None
    if kind in ("month_range", "day_range"):
        first = _make(year, month, int(g["day"]), anchor) if month else None
        last = _make(first.year, month, int(g["day2"]), None) if first else None
        return (first, last, None) if first and last and last >= first else None
    if anchor is None:
        return None
    if kind == "month":
        y = year or (anchor.year if month <= anchor.month else anchor.year - 1)
        return date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1]), None
    if kind == "nth":
        day_of_month = int(g["day"])
        month_start = anchor.replace(day=1)
        if day_of_month > anchor.day + 1:
            month_start = (month_start - timedelta(days=1)).replace(day=1)
        day = _make(month_start.year, month_start.month, day_of_month, None)
        low = m.group(0).lower()
        part = next((p for p in ("night", "evening", "morning") if low.startswith(p)), None)
        return (day, day, part) if day else None
    if kind == "weekday":
        back = (anchor.weekday() - _WEEKDAYS[g["weekday"].lower()]) % 7
        if back == 0 and (g.get("rel") or "").lower() in ("last", "past"):
            back = 7
        day = anchor - timedelta(days=back)
        return day, day, part
    if kind == "weekday_range":
        last = anchor - timedelta(days=(anchor.weekday() - _WEEKDAYS[g["weekday2"].lower()]) % 7)
        first = last - timedelta(days=(_WEEKDAYS[g["weekday2"].lower()] - _WEEKDAYS[g["weekday"].lower()]) % 7)
        return first, last, None
    if kind == "weekend":
        saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)  # the last one on or before the date
        if m.group(0).lower().startswith("last") and anchor.weekday() >= 5:
            saturday -= timedelta(days=7)
        return saturday, saturday + timedelta(days=1), None
    if kind == "last_month_name":
        y = anchor.year if month < anchor.month else anchor.year - 1
        return date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1]), None
    if kind == "last_period":
        if g["period"].lower() == "year":
            y = anchor.year - (g["which"].lower() == "last")
            return date(y, 1, 1), date(y, 12, 31), None
        first = anchor.replace(day=1)
        if g["which"].lower() == "last":
            first = (first - timedelta(days=1)).replace(day=1)
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1]), None
    if kind == "year":
        return date(year, 1, 1), date(year, 12, 31), None
    if kind in ("yesterday", "previous_day"):
        day = anchor - timedelta(days=1)
        return day, day, part
    if kind == "last_night":
        day = anchor - timedelta(days=1)
        return day, day, "night"
    if kind == "today":
        low = m.group(0).lower()
        return anchor, anchor, "night" if low == "tonight" else part
    if kind == "days_ago":
        n = g["n"]
        count = int(n) if n.isdigit() else ("two", "three", "four", "five", "six").index(n.lower()) + 2
        day = anchor - timedelta(days=count)
        return day, day, None
    if kind == "last_week":
        monday = anchor - timedelta(days=anchor.weekday())
        if m.group(0).lower().startswith("last"):
            return monday - timedelta(days=7), monday - timedelta(days=1), None
        return monday, anchor, None
    return None


def _day_part(text: str) -> str | None:
    """The first day part the sentence names, or one read off a clock time."""
    hits = [(m.start(), part) for part, pattern in _DAY_PARTS if (m := pattern.search(text))]
    if hits:
        return min(hits)[1]
    clock = _CLOCK.search(text)
    if clock:
        hour = int(clock.group("h") or clock.group("h24"))
        ampm = (clock.group("ampm") or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        if hour < 5 or hour >= 22:
            return "night"
        return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"
    return None


def find_times(text: str, published: datetime | None) -> list[_Found]:
    """Every resolvable time expression in ``text``, in order, overlaps removed."""
    anchor = published.date() if published else None
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            resolved = _resolve(kind, m, anchor)
            if resolved is None:
                continue
            speech = bool(_SPEECH_BEFORE.search(text[: m.start()]) or _SPEECH_AFTER.match(text[m.end() :]))
            first, last, part = resolved
            if anchor is not None and _SINCE.search(text[: m.start()]) and last < anchor:
                last = anchor  # "since Tuesday": from then to the report's date
            taken.append((m.start(), m.end()))
            found.append(_Found(m.start(), m.end(), first, last, part, speech))
    return sorted(found, key=lambda f: f.start)


def resolve_time(
    text: str, published: datetime | None, previous: TimeRef | None = None, found: list[_Found] | None = None
) -> TimeRef | None:
    """The event time of one sentence.

    The first date that is not the time of the speaking wins; the speaking time is used
    when nothing else is given. A day part ("after sundown") refines the date found, and
    "that night" borrows the date from the sentence before (``previous``).
    """
    found = find_times(text, published) if found is None else found
    events = [f for f in found if not f.speech] or found
    part = _day_part(text)
    if events:
        f = events[0]
        return TimeRef(f.first, f.last, f.part or part, text[f.start : f.end])
    anaphor = _ANAPHORIC.search(text)
    if previous is not None and anaphor and part:
        return TimeRef(previous.start, previous.end, part, anaphor.group(0))
    return None

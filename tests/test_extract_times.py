"""Times resolve against the report's date, with their precision (a day, a range, a month)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from corroborator.extract.claims import TimeRef
from corroborator.extract.times import resolve_time

# A Thursday evening.
PUBLISHED = datetime.fromisoformat("2031-03-06T18:00:00+02:00")


@pytest.mark.parametrize(
    ("sentence", "start", "end", "part"),
    [
        ("The dam gave way on Monday, officials said.", "2031-03-03", "2031-03-03", None),
        ("The bridge collapsed the previous day.", "2031-03-05", "2031-03-05", None),
        ("Shots were heard in the city last night.", "2031-03-05", "2031-03-05", "night"),
        ("Troops arrived yesterday.", "2031-03-05", "2031-03-05", None),
        ("Police arrested six men on March 3.", "2031-03-03", "2031-03-03", None),
        ("Police arrested six men on 3 March.", "2031-03-03", "2031-03-03", None),
        ("The minister flew to Velno this morning.", "2031-03-06", "2031-03-06", "morning"),
        ("Soldiers opened fire after sundown on Tuesday.", "2031-03-04", "2031-03-04", "evening"),
        ("We have admitted 70 people since Monday.", "2031-03-03", "2031-03-06", None),
        ("Engineers warned about cracks last October.", "2030-10-01", "2030-10-31", None),
        ("Rescuers recovered 40 bodies between Monday and Wednesday.", "2031-03-03", "2031-03-05", None),
        ("We admitted 31 wounded between Monday night and Wednesday.", "2031-03-03", "2031-03-05", "night"),
        ("No unit fired on 3 or 4 March.", "2031-03-03", "2031-03-04", None),
        ("Pressure rose during the weekend before the collapse.", "2031-03-01", "2031-03-02", None),
        ("On Wednesday night three patients died on the ward.", "2031-03-05", "2031-03-05", "night"),
    ],
)
def test_relative_times(sentence: str, start: str, end: str, part: str | None) -> None:
    time = resolve_time(sentence, PUBLISHED)
    assert time is not None
    assert (time.start.isoformat(), time.end.isoformat(), time.part) == (start, end, part)


def test_the_speaking_time_is_used_only_when_nothing_else_is_given() -> None:
    event = resolve_time("The ministry said on Thursday that the dam had failed on Monday.", PUBLISHED)
    assert event is not None and event.start == date(2031, 3, 3)
    spoken = resolve_time("Police said on Tuesday that six men had been arrested.", PUBLISHED)
    assert spoken is not None and spoken.start == date(2031, 3, 4)


def test_that_night_refers_back_to_the_last_date() -> None:
    before = TimeRef(date(2031, 3, 4), date(2031, 3, 4))
    time = resolve_time("About twenty people were admitted that night.", PUBLISHED, before)
    assert time is not None and (time.start, time.part) == (date(2031, 3, 4), "night")


def test_no_time_without_a_date_or_a_report_date() -> None:
    assert resolve_time("Soldiers fired on the crowd.", PUBLISHED) is None
    assert resolve_time("Soldiers fired on the crowd on Monday.", None) is None

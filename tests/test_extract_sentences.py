"""Sentences are split by rule: datelines, wrapped lines, headlines, abbreviations, quotations."""

from __future__ import annotations

from corroborator.extract.sentences import quotations, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_dateline_is_not_part_of_the_first_sentence() -> None:
    assert texts("RAVEL CITY, March 4 (Northwire) - The dam gave way. Officials said so.") == [
        "The dam gave way.",
        "Officials said so.",
    ]
    assert texts("MOSCOW, January 6. /TASS/. The first units have landed.") == ["The first units have landed."]


def test_wrapped_lines_join_and_headlines_stand_alone() -> None:
    wrapped = (
        "Since the start of the unrest, more than 1,000 people across the country have sought help.\n"
        "About 400 of them have been admitted to hospital, and 62 are in intensive care. Most of the\n"
        "injured are in Almaty, the ministry said in its statement on the situation in the city today.\n"
    )
    assert (
        texts(wrapped)[-1]
        == "Most of the injured are in Almaty, the ministry said in its statement on the situation in the city today."
    )
    assert texts("Activist Says Soldiers Fired Live Rounds\nAn activist says soldiers fired.") == [
        "Activist Says Soldiers Fired Live Rounds",
        "An activist says soldiers fired.",
    ]


def test_abbreviations_do_not_end_sentences() -> None:
    assert texts("The U.S. State Department said Gen. Ivanov had left. Troops arrived.") == [
        "The U.S. State Department said Gen. Ivanov had left.",
        "Troops arrived.",
    ]


def test_offsets_point_into_the_text_and_markup_is_stripped() -> None:
    text = "**ANCHOR:** Good evening. Sources tell RT that dozens were killed.\n- The CSTO says troops landed."
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end].replace("\n", " ") == sentence.text
    assert texts(text)[-1] == "The CSTO says troops landed."


def test_quotations_pair_up_within_a_paragraph() -> None:
    text = '"They were young. Nobody had a weapon," she said. He called them “terrorists”.'
    assert [text[s:e] for s, e in quotations(text)] == ['"They were young. Nobody had a weapon,"', "“terrorists”"]

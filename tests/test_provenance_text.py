"""Text reuse: verbatim, edited and partial reprints are found, with the right passages and direction."""

from __future__ import annotations

from datetime import datetime

import pytest

from corroborator.provenance.text import TextDoc, TextReuseIndex, align_passages, find_text_reuse

WIRE = (
    "Almaty, 6 January. Soldiers opened fire on protesters at Republic Square on Wednesday evening, an activist "
    "told RT. About 200 people had gathered near the monument after sundown, most of them young and unarmed.\n\n"
    "The shooting lasted for several minutes, according to residents who live near the square. Police said ten "
    "officers were killed in clashes across the city, three of them beheaded, a claim that could not be verified.\n\n"
    "The president blamed foreign-trained terrorists for the unrest and asked the alliance for help. Troops from "
    "Russia, Belarus and Armenia began arriving at the airport on Thursday morning, the defence ministry said.\n\n"
    "Internet access across the country was cut for a third day, and banks and shops in the city centre stayed "
    "closed while long queues formed at petrol stations and cash machines."
)
OWN_TEXT = (
    "Our correspondent reached residents of the southern capital by phone on Friday. Most of them said the night "
    "had been quiet in their district, although smoke could still be seen over the city administration building.\n\n"
    "{reprint}\n\n"
    "A pensioner who lives on Abai avenue said she had not heard any shooting and did not believe the reports of "
    "dozens of dead. The figures given by the ministry were impossible to check, our correspondent concluded."
)
UNRELATED = (
    "Astana, 12 March. The national bank kept its base rate unchanged on Friday, citing slowing inflation and a "
    "stable currency. Analysts had expected the decision and said a cut was likely in the summer, when the harvest "
    "is known. Exporters welcomed the news, while importers asked for a clearer timetable of future decisions."
)


def _shared(text_a: str, text_b: str, passage) -> tuple[str, str]:
    return text_a[passage.original_start : passage.original_end], text_b[passage.copy_start : passage.copy_end]


def _words(text: str) -> list[str]:
    return [word.lower().strip(".,") for word in text.split()]


def test_verbatim_reprint_under_a_new_headline_is_found_with_direction() -> None:
    copy = "BREAKING: gunfire at Republic Square\n\n" + WIRE
    docs = [
        TextDoc("copy", copy, datetime(2022, 1, 6, 14)),
        TextDoc("wire", WIRE, datetime(2022, 1, 6, 9)),
    ]
    [reuse] = find_text_reuse(docs)
    assert (reuse.original_key, reuse.copy_key, reuse.direction_known) == ("wire", "copy", True)
    assert reuse.kind == "verbatim"
    assert reuse.similarity == 1.0 and reuse.coverage_original == 1.0
    [passage] = reuse.passages
    original_part, copy_part = _shared(WIRE, copy, passage)
    assert original_part == WIRE
    assert copy_part == WIRE  # the headline is not part of the reused passage


def test_lightly_edited_copy_is_edited_and_its_passages_are_the_shared_text() -> None:
    paragraphs = WIRE.split("\n\n")
    edited = [
        "Troops fired on a crowd in Almaty, an activist said. " + paragraphs[0].split(". ", 2)[2],
        paragraphs[1].replace("according to residents who live", "said residents living"),
        paragraphs[2].replace("told RT", "said"),
    ]  # last paragraph trimmed
    copy = "Shooting in Almaty\n\n" + "\n\n".join(edited)
    [reuse] = find_text_reuse([TextDoc(1, WIRE, datetime(2022, 1, 6, 9)), TextDoc(2, copy, datetime(2022, 1, 6, 11))])
    assert reuse.kind == "edited"
    assert reuse.coverage_copy > 0.7 and reuse.coverage_original > 0.55
    for passage in reuse.passages:
        original_part, copy_part = _shared(WIRE, copy, passage)
        # each passage starts and ends on the same words in both texts
        assert _words(original_part)[:3] == _words(copy_part)[:3]
        assert _words(original_part)[-3:] == _words(copy_part)[-3:]
    covered = "".join(copy[p.copy_start : p.copy_end] for p in reuse.passages)
    assert "Troops from Russia, Belarus and Armenia began arriving" in covered
    assert "Shooting in Almaty" not in covered


def test_a_changed_attribution_inside_a_passage_does_not_split_it() -> None:
    copy = WIRE.replace("an activist told RT", "an activist said").replace("Police said", "Police claimed")
    [reuse] = find_text_reuse([TextDoc("wire", WIRE), TextDoc("copy", copy)])
    assert reuse.kind == "edited" and 0.9 < reuse.similarity < 1.0
    [passage] = reuse.passages
    assert _shared(WIRE, copy, passage) == (WIRE, copy)


def test_one_paragraph_reprinted_inside_other_text_is_partial_and_located() -> None:
    reprinted = WIRE.split("\n\n")[1]
    story = OWN_TEXT.format(reprint=reprinted)
    docs = [TextDoc("wire", WIRE, datetime(2022, 1, 6, 9)), TextDoc("story", story, datetime(2022, 1, 7, 9))]
    [reuse] = find_text_reuse(docs)
    assert reuse.kind == "partial"
    assert reuse.coverage_copy < 0.5 and reuse.coverage_original < 0.5
    [passage] = reuse.passages
    original_part, copy_part = _shared(WIRE, story, passage)
    assert original_part == copy_part == reprinted
    assert story.index(reprinted) == passage.copy_start
    assert WIRE.index(reprinted) == passage.original_start


def test_unrelated_reports_and_a_shared_stock_phrase_are_not_reuse() -> None:
    stock = "The figures given by the ministry were impossible to check."
    docs = [
        TextDoc("a", WIRE + " " + stock),
        TextDoc("b", UNRELATED + " " + stock),
        TextDoc("c", OWN_TEXT.format(reprint="")),
    ]
    assert find_text_reuse(docs) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [(None, datetime(2022, 1, 6)), (datetime(2022, 1, 6), datetime(2022, 1, 6)), (None, None)],
)
def test_direction_is_unknown_without_two_different_times(first, second) -> None:
    [reuse] = find_text_reuse([TextDoc("a", WIRE, first), TextDoc("b", "Update\n\n" + WIRE, second)])
    assert reuse.direction_known is False
    assert (reuse.original_key, reuse.copy_key) == ("a", "b")  # order of arrival, for a stable output


def test_the_later_report_is_the_copy_whatever_the_order_of_arrival() -> None:
    index = TextReuseIndex()
    assert index.add(TextDoc("late", "Update\n\n" + WIRE, datetime(2022, 1, 8))) == []
    [reuse] = index.add(TextDoc("early", WIRE, datetime(2022, 1, 6)))
    assert (reuse.original_key, reuse.copy_key, reuse.direction_known) == ("early", "late", True)
    with pytest.raises(ValueError, match="already"):
        index.add(TextDoc("early", WIRE))


def test_align_passages_gives_offsets_into_both_texts() -> None:
    reprinted = WIRE.split("\n\n")[2]
    story = OWN_TEXT.format(reprint=reprinted.upper())  # case is not an edit
    [passage] = align_passages(WIRE, story)
    assert story[passage.copy_start : passage.copy_end] == reprinted.upper()
    assert WIRE[passage.original_start : passage.original_end] == reprinted


def test_many_reports_stay_fast_and_pairwise_exact() -> None:
    base = [f"Report {n}: " + " ".join(f"word{n}x{k}" for k in range(120)) for n in range(300)]
    docs = [TextDoc(n, text) for n, text in enumerate(base)] + [TextDoc("copy-7", "Copy. " + base[7])]
    found = find_text_reuse(docs)
    assert [(r.original_key, r.copy_key) for r in found] == [(7, "copy-7")]


def test_a_story_reprinted_by_many_outlets_never_becomes_a_stock_phrase() -> None:
    docs = [TextDoc(f"outlet-{n}", f"Outlet {n} reports.\n\n" + WIRE) for n in range(45)]
    found = find_text_reuse(docs)
    assert {r.copy_key for r in found} == {f"outlet-{n}" for n in range(1, 45)}

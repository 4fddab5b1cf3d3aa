"""Check-worthiness: which sentences carry a checkable claim (the shipped model, and fitting one)."""

from __future__ import annotations

import pytest

from corroborator.extract.worthiness import MODEL, THRESHOLD, WorthinessModel, features, shipped


@pytest.mark.parametrize(
    "sentence",
    [
        "Dead: 19.",  # a tally line
        "Five border guards died.",  # short, but a count and an event
        "The Herald could not confirm the cause.",  # a verification statement (convention 6)
        "The Defence Ministry categorically rejects the allegations.",  # an explicit rejection
        # witness lines with no number and no verb of saying: the lower threshold keeps them
        "Late in the evening young men broke the shop windows and took what they could carry.",
        "I heard shooting a few streets away until about two in the morning.",
    ],
)
def test_claims(sentence: str) -> None:
    assert shipped().score(sentence) >= THRESHOLD


@pytest.mark.parametrize(
    "sentence",
    [
        "The company did not respond to a request for comment.",  # a process line (convention 6)
        "Officials have not commented on the reports.",
        "Status as of 2033-11-17 08:00.",  # a date and a clock time count nothing
        "MOSCOW, January 6. /TASS/.",  # a dateline
        "#Kazakhstan #Almaty https://www.example.org/news/almaty-unrest/",  # tags and a link
    ],
)
def test_not_claims(sentence: str) -> None:
    assert shipped().score(sentence) < THRESHOLD


def test_features_name_the_cues_the_words_and_the_word_pairs() -> None:
    names = features("Police said 12 people were killed?", quoted=True)
    assert {"cue:number", "cue:speech", "cue:event", "quoted", "question"} <= names
    assert {"w:police", "w:0", "b:were_killed"} <= names  # every number reads as 0
    assert "cue:time" not in features("Status as of 2033-11-17 08:00.")  # a date counts nothing


def test_a_model_fitted_on_labelled_sentences_learns_a_wording_no_cue_names(tmp_path) -> None:
    claims = [f"The convoy reached {town} on the second day." for town in ("Orun", "Tesk", "Saro", "Dravo")]
    others = [f"Our prayers go with the people of {town} tonight." for town in ("Orun", "Tesk", "Saro", "Dravo")]
    model = WorthinessModel.fit(claims + others, [False] * 8, [True] * 4 + [False] * 4, min_count=2)
    assert model.score("The convoy reached Mirel on the second day.") > 0.5
    assert model.score("Our prayers go with the people of Mirel tonight.") < 0.5
    assert "w:orun" not in model.weights or abs(model.weights["w:orun"]) < 1e-3  # in both classes: no evidence
    model.save(tmp_path / "model.json")
    assert WorthinessModel.load(tmp_path / "model.json") == model


def test_the_shipped_model_is_in_the_package_and_weighs_cues_and_words() -> None:
    assert MODEL.is_file()
    weights = shipped().weights
    assert weights["cue:process"] < 0 < weights["cue:tally"]
    assert sum(name.startswith(("w:", "b:")) for name in weights) > 1000

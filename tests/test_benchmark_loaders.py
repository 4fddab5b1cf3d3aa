"""Benchmark loaders, the author-list normaliser and the harness's plumbing, on small files in the real formats."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import assess_peers  # noqa: E402
import datasets as loaders  # noqa: E402


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Knuth, Donald E.", "knuth"),
        ("Donald E. Knuth", "knuth"),
        ("Knuth, Donald", "knuth"),
        ("KNUTH", "knuth"),
        ("Date, C.J.", "date"),
        ("C. J. Date", "date"),
        ("Aho, Alfred V.; Ullman, Jeffrey D.", "aho; ullman"),
        ("Aho, Alfred V., Ullman, Jeffrey D.", "aho; ullman"),
        ("Jeffrey D. Ullman, Alfred V. Aho", "aho; ullman"),
        ("Ullman, Jeffrey D. and Widom, Jennifer", "ullman; widom"),
        ("Wallace, Doug/ Raggett, Isobel/ Aufgang, Joel", "aufgang; raggett; wallace"),
        ("Mccracken &amp; Wolfe", "mccracken; wolfe"),
        ("Eeles, Peter Houston, Kelli Kozaczynski, Wojtek", "eeles; houston; kozaczynski"),
        ("McManus, Jeffrey P.Kinsman, Chris", "kinsman; mcmanus"),
        ("Korienek, GeneWrensch, TomDechow, Doug", "dechow; korienek; wrensch"),
        ("Benjamin B. Bederson Ben Shneiderman", "bederson; shneiderman"),
        ("Summit, Steve (Author) Lafferty, Deborah (Editor)", "lafferty; summit"),
        ("By (author) Sherman, William R. By (author) Craig, Alan", "craig; sherman"),
        ("By (author) Ransome, PhD, CISM, CISSP, James F.", "ransome"),
        ("Carter, Nicholas Ph.D.", "carter"),
        ("Linden, Peter van der", "linden"),
        ("Peter van der Linden", "linden"),
        ("o'leary, timothy j.;  o'leary, linda i.;  ", "oleary"),
        ("Adrian Kingsley- Hughes", "kingsleyhughes"),
        ("Stanley B. Lippman, Jos&eacute;e Lajoie, Barbara E. Moo", "lajoie; lippman; moo"),
        ("Matt Bishop , University of California - Davis", "bishop"),
        ("Matthew Cheek, et al", "cheek"),
        ("Shinn, Michael; Shinn, Scott", "shinn"),
        ("Not Available", None),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_author_normaliser(text: str | None, expected: str | None) -> None:
    assert loaders.normalise_authors(text) == expected


def test_gold_and_store_forms_meet() -> None:
    gold = "haag, stephen ;  perry, james t.;  sosinsky, barrie ;  estevez, efren ;  "
    store = "Stephen Haag, James T. Perry, Barrie Sosinsky, Efren Estevez"
    assert loaders.normalise_authors(gold) == loaders.normalise_authors(store) == "estevez; haag; perry; sosinsky"


@pytest.mark.parametrize(("text", "expected"), [("1,583", 1583), (" 74000 ", 74000), ("1583.0", 1583), ("n/a", None)])
def test_number_normaliser(text: str, expected: int | None) -> None:
    assert loaders.normalise_number(text) == expected


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    (book / "claims.csv").write_text(
        '"ClaimID", "Remove", "ObjectID", PropertyID", "PropertyValue", "SourceID", "TimeStamp" \n'
        '"1","","111","AuthorsNamesList","Not Available","eCampus.com","null"\n'
        '"2","","111","AuthorsNamesList","Knuth, Donald E.","A1Books","null"\n'
        '"3","","111","AuthorsNamesList","Donald Knuth","Indoo.com","null"\n'
        '"4","","111","AuthorsNamesList","Knuth","Indoo.com","null"\n'
        '"5","","111","AuthorsNamesList","Donald E. Knuth","Indoo.com","null"\n'
        '"6","","222","AuthorsNamesList","Aho, Alfred V.; Ullman, Jeffrey D.","A1Books","null"\n'
        '"7","","222","AuthorsNamesList","Aho","Indoo.com","null"\n',
        encoding="utf-8",
    )
    (book / "truth.csv").write_text(
        '"111","AuthorsNamesList","knuth, donald e.;  "\n'
        '"222","AuthorsNamesList","aho, alfred v.;  ullman, jeffrey d.;  "\n',
        encoding="utf-8",
    )
    population = tmp_path / "population"
    population.mkdir()
    (population / "population-new.txt").write_bytes(
        "moville, iowa_2000\tcontributor #5512121: capitalbot\t1,583\t2000\n"
        "moville, iowa_2000\tcontributor #0 (12.34.56.78)\t1600\t2000\n"
        "gmina ojrzeń_2006\tcontributor #5277842: kotbot\t4393\t2006\n".encode("latin-1", "replace")
    )
    (population / "population-gd.txt").write_text("moville, iowa, 2000, 1583\r\nflint, michigan, 2000, 124943\r\n")
    duck = tmp_path / "crowd" / "duck"
    duck.mkdir(parents=True)
    (duck / "answer.csv").write_text("question,worker,answer\n1,a,0\n1,b,1\n1,c,1\n2,a,0\n2,b,0\n")
    (duck / "truth.csv").write_text("question,truth\n1,1\n2,1\n")
    return tmp_path


def test_book_loader(data_dir: Path) -> None:
    book = loaders.load("book", data_dir)
    assert list(book.claims.columns) == ["object", "source", "value"]
    claims = {(row.object, row.source): row.value for row in book.claims.itertuples()}
    # "Not Available" is dropped; Indoo.com's three listings of 111 reduce to one claim.
    assert claims == {
        ("111", "A1Books"): "knuth",
        ("111", "Indoo.com"): "knuth",
        ("222", "A1Books"): "aho; ullman",
        ("222", "Indoo.com"): "aho",
    }
    assert book.gold.to_dict() == {"111": "knuth", "222": "aho; ullman"}
    assert "last names" in book.normalisation
    assert loaders.upper_bound(book) == 1.0


def test_population_loader(data_dir: Path) -> None:
    population = loaders.load("population", data_dir)
    assert population.numeric
    claims = population.claims.set_index(["object", "source"])["value"].to_dict()
    assert claims[("moville, iowa_2000", "#5512121: capitalbot")] == 1583
    assert claims[("moville, iowa_2000", "#0 (12.34.56.78)")] == 1600
    assert len(claims) == 3
    assert population.gold.to_dict() == {"moville, iowa_2000": 1583, "flint, michigan_2000": 124943}
    # flint has no claim at all, so half the gold is out of reach.
    assert loaders.upper_bound(population) == 0.5


def test_crowd_loader(data_dir: Path) -> None:
    duck = loaders.load("duck", data_dir)
    assert len(duck.claims) == 5
    assert duck.gold.to_dict() == {"1": "1", "2": "1"}
    assert loaders.upper_bound(duck) == 0.5


def test_one_value_per_source_keeps_the_most_frequent() -> None:
    claims = pd.DataFrame(
        {"object": ["o"] * 4, "source": ["s", "s", "s", "t"], "value": ["x", "y", "y", "x"]},
    )
    reduced = loaders._one_claim_per_source(claims)
    assert reduced.to_dict("records") == [
        {"object": "o", "source": "s", "value": "y"},
        {"object": "o", "source": "t", "value": "x"},
    ]


def test_data_folder_is_found_from_option_then_environment(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(loaders.ENV_VAR, str(data_dir))
    assert loaders.datasets_dir() == data_dir
    assert loaders.datasets_dir(data_dir / "book") == data_dir / "book"
    with pytest.raises(loaders.DatasetsMissing, match="--datasets"):
        loaders.datasets_dir(tmp_path / "nowhere")
    monkeypatch.setenv(loaders.ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(loaders.DatasetsMissing, match=loaders.ENV_VAR):
        loaders.datasets_dir()


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(loaders.DatasetsMissing, match="claims.csv"):
        loaders.load("book", tmp_path)
    with pytest.raises(ValueError, match="unknown dataset"):
        loaders.load("stock", tmp_path)


def test_real_datasets_load_as_documented() -> None:
    try:
        root = loaders.datasets_dir()
    except loaders.DatasetsMissing as error:
        pytest.skip(f"real benchmark data absent: {error}")
    expected = {  # objects, sources, gold, as in ../shared/datasets/README.md
        "book": (1263, 876, 100),  # one store of the 877 gave only "Not Available"
        "population": (42733, 4173, 308),
        "duck": (108, 39, 108),
        "product": (8315, 176, 8315),
        "dog": (807, 109, 807),
        "face": (584, 27, 584),
    }
    for name, (objects, sources, gold) in expected.items():
        dataset = loaders.load(name, root)
        assert dataset.claims["object"].nunique() == objects, name
        assert dataset.claims["source"].nunique() == sources, name
        assert len(dataset.gold) == gold, name
        assert not dataset.claims.duplicated(["object", "source"]).any(), name
        assert 0.85 < loaders.upper_bound(dataset) <= 1.0, name


# --- the harness's plumbing, with a local majority vote and no peers ---------------------------------


def _vote(claims: pd.DataFrame) -> tuple[pd.Series, None]:
    counts = claims.groupby(["object", "value"]).size().rename("n").reset_index()
    counts = counts.sort_values(["n", "value"], ascending=[False, True], kind="stable")
    return counts.drop_duplicates("object").set_index("object")["value"], None


def _slow(claims: pd.DataFrame) -> tuple[pd.Series, None]:
    time.sleep(30)
    return _vote(claims)


def _broken(claims: pd.DataFrame) -> tuple[pd.Series, None]:
    raise RuntimeError("peer fell over")


def test_harness_measures_scores_and_contains_failures(data_dir: Path) -> None:
    duck = loaders.load("duck", data_dir)
    vote = assess_peers.Algorithm("local", "vote", "peer", _vote)
    result = assess_peers.measure(vote, duck.claims, repeat=3, budget=60, timeout=60, max_memory=2**30)
    assert result.status == "ok"
    assert len(result.times) == 3
    assert result.peak_bytes is not None and result.peak_bytes >= 0
    assert assess_peers.score(result.predictions, duck) == (0.5, None)

    slow = assess_peers.Algorithm("local", "slow", "peer", _slow)
    assert assess_peers.measure(slow, duck.claims, 3, 60, timeout=0.5, max_memory=2**30).status.startswith("timeout")
    broken = assess_peers.Algorithm("local", "broken", "peer", _broken)
    status = assess_peers.measure(broken, duck.claims, 3, 60, 60, 2**30).status
    assert status == "error: RuntimeError: peer fell over"


def test_numeric_score_reports_within_one_percent(data_dir: Path) -> None:
    population = loaders.load("population", data_dir)
    chosen = pd.Series({"moville, iowa_2000": 1590, "flint, michigan_2000": 124943})
    assert assess_peers.score(chosen, population) == (0.5, 1.0)


def test_top_vote_ties(data_dir: Path) -> None:
    population = loaders.load("population", data_dir)
    # moville has one claim of 1583 and one of 1600: a tie; flint has no claims.
    assert assess_peers.top_vote_ties(population) == 0.5

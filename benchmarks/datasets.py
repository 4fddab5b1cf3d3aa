"""Loaders for the benchmark data with gold answers, normalised into one claims table per dataset.

Every loader returns a :class:`Dataset`: a tidy claims table (``object``, ``source``, ``value``)
with one claim per (object, source), the gold values of the objects that have one, and a sentence
saying how values were normalised, because on Book the normalisation decides the score more than
the algorithm does: a number reported without it means nothing.

The data is not part of the project. It is read from ``../shared/datasets/`` beside the
repository, or from the folder named by ``CORROBORATOR_DATASETS`` or by the caller (the
benchmark's ``--datasets DIR``); when it is absent, :class:`DatasetsMissing` says where it looked.
"""

from __future__ import annotations

import csv
import html
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = [
    "AUTHORS_NORMALISATION",
    "NAMES",
    "Dataset",
    "DatasetsMissing",
    "datasets_dir",
    "load",
    "load_book",
    "load_crowd",
    "load_population",
    "normalise_authors",
    "normalise_number",
    "upper_bound",
]

NAMES = ("book", "population", "duck", "product", "dog", "face")
CROWD = ("duck", "product", "dog", "face")
ENV_VAR = "CORROBORATOR_DATASETS"
DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


class DatasetsMissing(FileNotFoundError):
    """The benchmark data is not where it was looked for; the message says where and how to point at it."""


@dataclass(frozen=True)
class Dataset:
    """One benchmark: claims with one value per (object, source), and gold values for some objects."""

    name: str
    claims: pd.DataFrame
    gold: pd.Series
    normalisation: str
    numeric: bool = False


def datasets_dir(option: str | Path | None = None) -> Path:
    """The data folder: ``option`` if given, else ``$CORROBORATOR_DATASETS``, else ``../shared/datasets``."""
    if option is not None:
        root, how = Path(option), "--datasets"
    elif os.environ.get(ENV_VAR):
        root, how = Path(os.environ[ENV_VAR]), ENV_VAR
    else:
        root, how = DEFAULT_DIR, "the default location"
    if not root.is_dir():
        raise DatasetsMissing(
            f"benchmark datasets not found at {root} ({how}); "
            f"point {ENV_VAR} or --datasets at a folder with book/, population/ and crowd/"
        )
    return root


def load(name: str, root: Path) -> Dataset:
    """Load the dataset called ``name`` (one of :data:`NAMES`) from the data folder ``root``."""
    if name == "book":
        return load_book(root)
    if name == "population":
        return load_population(root)
    if name in CROWD:
        return load_crowd(root, name)
    raise ValueError(f"unknown dataset {name!r}; known: {', '.join(NAMES)}")


def upper_bound(dataset: Dataset) -> float:
    """Share of gold objects whose gold value is claimed by at least one source: no method can beat it."""
    claimed = pd.MultiIndex.from_frame(dataset.claims[["object", "value"]])
    gold = pd.MultiIndex.from_arrays([dataset.gold.index, dataset.gold.to_numpy()])
    return float(gold.isin(claimed).mean()) if len(gold) else float("nan")


def _require(*paths: Path) -> None:
    for path in paths:
        if not path.is_file():
            raise DatasetsMissing(f"benchmark file not found: {path}")


def _one_claim_per_source(claims: pd.DataFrame) -> pd.DataFrame:
    """Keep one value per (object, source): the one the source gives most often there, the first on ties.

    Book stores list an ISBN several times (marketplace sellers); the algorithms, ours and the
    peers alike, model one value per source and object, so all of them get the same reduction.
    """
    claims = claims.reset_index(drop=True)
    counts = claims.groupby(["object", "source", "value"], sort=False).size().rename("n").reset_index()
    counts = counts.sort_values("n", ascending=False, kind="stable")
    kept = counts.drop_duplicates(["object", "source"]).drop(columns="n")
    return kept.sort_values(["object", "source"], kind="stable").reset_index(drop=True)


# --- Book: author lists ------------------------------------------------------------------------

AUTHORS_NORMALISATION = (
    "author lists parsed into persons and reduced to the sorted set of last names (last word of the "
    "surname, ASCII, lower case, no hyphens or apostrophes), joined by '; '; both 'Last, First' and "
    "'First Last' orders, ';' '/' '&' 'and' 'by' separators, run-together lists, HTML entities, "
    "initials, degrees and roles such as '(Editor)' handled; 'Not Available' and empty claims dropped"
)

_MISSING = {"", "not available", "n/a", "na", "unknown", "none", "null", "various", "various authors"}
# Words that are not names: roles, degrees, "et al.", company words. Dropped wherever they occur.
_NOISE = set(
    "author authors by editor editors ed eds edt edited illustrator illustrated translator trans compiler "
    "foreword introduction contributor contributors jr sr ii iii iv phd md mba msc bsc cism cissp dr prof mr "
    "mrs ms esq et al etc others inc ltd llc staff assoc associates".split()
)
# Surname particles: "van der Linden" and "Linden, Peter van der" both reduce to "linden".
_PARTICLES = set("van von der den de del della di da du la le dos das ten ter st".split())
# A part naming an affiliation ("Matt Bishop, University of California") ends the names of its chunk.
_AFFILIATION = re.compile(r"\b(university|college|institute|school|department|laboratory)\b")
# "McManus" and "DeClercq" are one name; "GeneWrensch" is two run together.
_PREFIXES = {"Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "O"}
_SEPARATORS = re.compile(r";|/|\||&|\band\b|\bby\b|\bwith\b")


def normalise_authors(text: str | None) -> str | None:
    """Canonical form of an author list: sorted distinct last names joined by ``"; "``, or None if empty.

    >>> normalise_authors("Knuth, Donald E.") == normalise_authors("Donald E. Knuth") == "knuth"
    True
    >>> normalise_authors("Aho, Alfred V.; Ullman, Jeffrey D.")
    'aho; ullman'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    text = _plain(text)
    if text.strip().lower() in _MISSING:
        return None
    text = re.sub(r"\([^)]*\)?", " ", text)  # "(Editor)", "(South Bank University, London)"
    text = re.sub(r"\bph\.?\s?d\b\.?", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\b([A-Z][a-z]+)(?=[A-Z][a-z])", _split_run_together, text)
    text = re.sub(r"\.(?=[A-Za-z])", ". ", text).lower()
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"(?<=[a-z])\?(?=[a-z])", "", text)  # a letter lost in transcoding: "Pi?ro"
    names: set[str] = set()
    for chunk in _SEPARATORS.split(text):
        names.update(_chunk_last_names(chunk))
    return "; ".join(sorted(names)) or None


def _plain(text: str) -> str:
    """Undo HTML entities (sometimes twice), UTF-8 read as Latin-1, and accents."""
    text = html.unescape(html.unescape(text))
    if "Ã" in text:
        try:
            text = text.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _split_run_together(match: re.Match[str]) -> str:
    word = match.group(1)
    return word if word in _PREFIXES else word + " "


def _tokens(part: str) -> list[str]:
    """Name words of one comma-separated part, particles and noise removed; initials kept as one letter."""
    words = (re.sub(r"[-']", "", word) for word in re.findall(r"[a-z][a-z'-]*", part))
    return [word for word in words if word and word not in _NOISE and word not in _PARTICLES]


def _chunk_last_names(chunk: str) -> list[str]:
    """Last names in one separator-free chunk, which is one of three shapes told apart by its commas.

    "Knuth, Donald E." and "Aho, Alfred V., Ullman, Jeffrey D." (surname first, alternating);
    "Eeles, Peter Houston, Kelli Kozaczynski, Wojtek" (surname first, run together: each middle part
    ends with the next surname); "Hugh Darwen, C. J. Date" (given names first, one person a part).
    """
    parts = []
    for part in chunk.split(","):
        if _AFFILIATION.search(part):
            break  # the affiliation and the place after it: "Ian Sommerville, University of St. Andrews, UK"
        if tokens := _tokens(part):
            parts.append(tokens)
    if not parts:
        return []
    if len(parts) == 1 or len(_words(parts[0])) > 1:
        return [name for tokens in parts for name in _given_first(tokens)]
    middle = parts[1:-1]
    if middle and all(len(tokens) >= 2 and len(tokens[-1]) > 1 for tokens in middle):
        return [_words(parts[0])[-1], *(tokens[-1] for tokens in middle)]
    return [words[-1] for tokens in parts[::2] if (words := _words(tokens))]


def _words(tokens: list[str]) -> list[str]:
    return [token for token in tokens if len(token) > 1]


def _given_first(tokens: list[str]) -> list[str]:
    """Surnames in "Given [I.] Surname Given Surname ...": each person is one given name, initials, a surname.

    A word left over at the end is the true surname of the last person ("Mary Ann Smith").
    """
    surnames: list[str] = []
    pending: str | None = None
    for token in tokens:
        if len(token) == 1:
            continue
        if pending is None:
            pending = token
        else:
            surnames.append(token)
            pending = None
    if pending is not None:
        if surnames:
            surnames[-1] = pending
        else:
            surnames.append(pending)
    return surnames


def load_book(root: Path) -> Dataset:
    """AbeBooks author lists (``book/claims.csv``) against 100 gold books (``book/truth.csv``)."""
    claims_path, truth_path = root / "book" / "claims.csv", root / "book" / "truth.csv"
    _require(claims_path, truth_path)
    # The header line is malformed (a missing quote), so columns are named here; the file's order
    # is ClaimID, Remove, ObjectID, PropertyID, PropertyValue, SourceID, TimeStamp.
    raw = pd.read_csv(claims_path, dtype=str, keep_default_na=False, header=0, usecols=[2, 4, 5])
    raw.columns = ["object", "value", "source"]
    claims = pd.DataFrame(
        {
            "object": raw["object"].str.strip(),
            "source": raw["source"].str.strip(),
            "value": raw["value"].map(normalise_authors),
        }
    ).dropna(subset=["value"])
    with truth_path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle) if row]
    gold = pd.Series({row[0].strip(): normalise_authors(row[2]) for row in rows}, name="gold").dropna()
    gold.index.name = "object"
    return Dataset("book", _one_claim_per_source(claims), gold, AUTHORS_NORMALISATION)


# --- Population: numbers -----------------------------------------------------------------------

NUMBER_NORMALISATION = (
    "object = 'city, state_year' as written (lower case); value = integer population with thousands "
    "separators and spaces removed; scored by exact match (within 1% reported as well)"
)


def normalise_number(text: str) -> int | None:
    """Integer from a population figure as editors type it ("1,583", " 74000 ", "1583.0"); None if not one."""
    cleaned = re.sub(r"[\s,_']", "", str(text))
    try:
        return int(cleaned)
    except ValueError:
        try:
            return round(float(cleaned))
        except ValueError:
            return None


def load_population(root: Path) -> Dataset:
    """Wikipedia edit-history populations (``population-new.txt``) against 308 gold values (``population-gd.txt``).

    Claims are tab-separated Latin-1 lines ``city, state_year <TAB> contributor #id: user <TAB> value
    <TAB> year``; the source is the contributor field without its leading word (anonymous editors
    appear as ``#0 (ip address)``). Gold lines are ``city, state, year, value``.
    """
    claims_path, gold_path = root / "population" / "population-new.txt", root / "population" / "population-gd.txt"
    _require(claims_path, gold_path)
    raw = pd.read_csv(
        claims_path,
        sep="\t",
        header=None,
        names=["object", "source", "value", "year"],
        dtype=str,
        encoding="latin-1",
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
    )
    claims = pd.DataFrame(
        {
            "object": raw["object"].str.strip().str.lower(),
            "source": raw["source"].str.strip().str.removeprefix("contributor ").str.strip(),
            "value": raw["value"].map(normalise_number),
        }
    ).dropna(subset=["value"])
    claims["value"] = claims["value"].astype("int64")
    gold_rows = []
    for line in gold_path.read_text(encoding="latin-1").splitlines():
        fields = [field.strip() for field in line.split(",")]
        if len(fields) == 4 and (value := normalise_number(fields[3])) is not None:
            gold_rows.append((f"{fields[0]}, {fields[1]}_{fields[2]}".lower(), value))
    gold = pd.Series(dict(gold_rows), name="gold", dtype="int64")
    gold.index.name = "object"
    return Dataset("population", _one_claim_per_source(claims), gold, NUMBER_NORMALISATION, numeric=True)


# --- Crowd: labels -----------------------------------------------------------------------------

CROWD_NORMALISATION = "labels as given (strings); question = object, worker = source"


def load_crowd(root: Path, name: str) -> Dataset:
    """One of Zheng et al.'s crowdsourcing sets: ``crowd/NAME/answer.csv`` and ``crowd/NAME/truth.csv``."""
    answers_path, truth_path = root / "crowd" / name / "answer.csv", root / "crowd" / name / "truth.csv"
    _require(answers_path, truth_path)
    answers = pd.read_csv(answers_path, dtype=str, keep_default_na=False)
    truth = pd.read_csv(truth_path, dtype=str, keep_default_na=False)
    _columns(answers, answers_path, ("question", "worker", "answer"))
    _columns(truth, truth_path, ("question", "truth"))
    answers = answers.apply(lambda column: column.str.strip())
    truth = truth.apply(lambda column: column.str.strip())
    claims = pd.DataFrame({"object": answers["question"], "source": answers["worker"], "value": answers["answer"]})
    gold = pd.Series(truth["truth"].to_numpy(), index=pd.Index(truth["question"], name="object"))
    return Dataset(name, _one_claim_per_source(claims), gold.rename("gold"), CROWD_NORMALISATION)


def _columns(frame: pd.DataFrame, path: Path, expected: tuple[str, ...]) -> None:
    missing = [column for column in expected if column not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}")

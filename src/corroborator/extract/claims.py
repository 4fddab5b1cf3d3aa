"""What the extraction stage finds in a report: attributed claims, before they are stored.

Extraction is pure, like the ingest parsers: report text and metadata in, these
records out. Storing them, and resolving speakers against the sources registry,
happens in one place (``extract.stage``), so the NLP code never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Fixed vocabularies; docs/extraction-gold.md says what each word covers.
QUANTITY_SUBJECTS = (
    "killed",
    "injured",
    "arrested",
    "detained",
    "missing",
    "displaced",
    "evacuated",
    "gathered",
    "deployed",
    "damaged",
    "other",
)
MARKERS = ("hedge", "no_evidence", "unverified", "suspect", "negation", "denial")
DAY_PARTS = ("morning", "afternoon", "evening", "night")


@dataclass(frozen=True)
class Speaker:
    """One link of an attribution chain, as the report names it.

    ``name`` is the naming phrase ("the activist", "Kazakh Interior Ministry"); the
    stage resolves it to a registered source. ``anonymous`` marks origins with no
    accountable name ("a source in law enforcement").
    """

    name: str
    anonymous: bool = False


@dataclass(frozen=True)
class Quantity:
    """A counted thing with its number as a closed range; ``high`` None means open above."""

    subject: str  # one of QUANTITY_SUBJECTS
    group: str  # who or what is counted: "people", "police", "protesters"
    low: int
    high: int | None
    text: str  # the words the number came from: "dozens", "at least 8"
    part_of: str | None = None  # subject of the whole this number is part of


@dataclass(frozen=True)
class TimeRef:
    """When the claimed event happened, resolved against the report's date."""

    start: date
    end: date
    part: str | None = None  # one of DAY_PARTS when the text gives it
    text: str = ""


@dataclass
class ExtractedClaim:
    """One checkable claim in one sentence of a report."""

    sentence: str
    start: int  # character offsets of the sentence in the report text
    end: int
    check_worthiness: float  # 0..1: how much the sentence reads as a checkable factual claim
    claimant: Speaker
    chain: list[Speaker]  # origin first, the report's own source last
    quantities: list[Quantity] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    time: TimeRef | None = None
    markers: list[str] = field(default_factory=list)  # from MARKERS
    quote: str | None = None  # "direct" or "indirect" when the claim is reported speech


@dataclass
class ReportExtraction:
    """Everything extraction found in one report, or why it found nothing."""

    language: str | None  # detected (or declared) ISO 639-1 code
    supported: bool  # False when no language model is installed for ``language``
    claims: list[ExtractedClaim] = field(default_factory=list)
    sentences: int = 0  # sentences read, claims or not
    note: str | None = None  # said on the board: "language not supported: ru"

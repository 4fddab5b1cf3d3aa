"""Tables of the data model.

Every stage reads and writes through these tables and nothing else, so a
PostgreSQL URL can replace the embedded SQLite file without touching the stages.
Schema changes go through Alembic migrations in ``store/migrations``; the
initial migration is generated from this module's metadata at the time it was
written and must be kept in step by hand when a table changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)}


SOURCE_KINDS = (
    "state_media",
    "wire_agency",
    "independent_outlet",
    "international_broadcaster",
    "official",
    "government",
    "military",
    "ngo",
    "expert",
    "activist",
    "witness",
    "social_media",
    "unknown",
)


class Source(Base):
    """An outlet, agency, official or person that says things."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="unknown")
    owner: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(100))
    affiliation: Mapped[str | None] = mapped_column(String(300))
    # Names of the sides of the conflict this source belongs to or speaks for;
    # empty for outside observers.
    parties: Mapped[list[Any]] = mapped_column(default=list)
    domains: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]

    aliases: Mapped[list[SourceAlias]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="SourceAlias.alias"
    )

    @property
    def is_party(self) -> bool:
        return bool(self.parties)


class SourceAlias(Base):
    """Another name a source goes by; matched case-insensitively."""

    __tablename__ = "source_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)  # casefolded alias

    source: Mapped[Source] = relationship(back_populates="aliases")


class Item(Base):
    """One thing as received, stored byte for byte in the archive under its SHA-256."""

    __tablename__ = "items"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(1000))
    origin: Mapped[str] = mapped_column(Text)  # the path or URL it came from
    media_type: Mapped[str] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime]
    # "stored" or "quarantined"; a quarantined item keeps its bytes aside with its reason.
    status: Mapped[str] = mapped_column(String(20), default="stored")
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Report(Base):
    """One report taken from an item: an article, a feed entry, a post, a field note, a clip."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("item_sha256", "locator", name="uq_report_item_locator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_sha256: Mapped[str] = mapped_column(ForeignKey("items.sha256"))
    # Where in the item the report sits ("" for a whole file, "entry:3", "message:117").
    locator: Mapped[str] = mapped_column(String(200), default="")
    format: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(500))
    site: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20))
    published_at: Mapped[datetime | None]
    retrieved_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text, default="")
    # Hash of source, format, locator, URL, title and text: the same report arriving in a
    # different container (a re-fetched feed, a newer channel export) is recognised.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    source: Mapped[Source | None] = relationship()
    item: Mapped[Item] = relationship()
    media: Mapped[list[Media]] = relationship(back_populates="report", order_by="Media.id")
    extraction: Mapped[ReportExtractionState | None] = relationship(back_populates="report")


class Media(Base):
    """An image or video attached to (or making up) a report, archived as an item of its own."""

    __tablename__ = "media"
    __table_args__ = (UniqueConstraint("report_id", "sha256", name="uq_media_report_sha"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(ForeignKey("items.sha256"))
    kind: Mapped[str] = mapped_column(String(20))  # image, video, audio, file
    name: Mapped[str] = mapped_column(String(1000))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    report: Mapped[Report] = relationship(back_populates="media")


class ReportExtractionState(Base):
    """What the extraction stage made of one report: the language it found and whether it could read it.

    Kept apart from ``reports`` because a report row is evidence as ingested, while this
    is derived, versioned and replaced whenever a newer extractor runs.
    """

    __tablename__ = "report_extractions"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(20))  # detected, or declared when detection defers to it
    supported: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)  # shown on the board: "language not supported: ru"
    sentences: Mapped[int] = mapped_column(Integer, default=0)
    claim_count: Mapped[int] = mapped_column(Integer, default=0)
    extractor_version: Mapped[str] = mapped_column(String(80))
    extracted_at: Mapped[datetime]

    report: Mapped[Report] = relationship(back_populates="extraction")


class Claim(Base):
    """One attributed claim in one sentence of a report, with its speakers resolved to sources.

    ``chain`` holds the speakers from the origin to the report's own source, each as
    ``{"name": phrase, "source_id": id or null, "anonymous": bool}``; ``quantities``,
    ``places``, ``time`` and ``markers`` are the extractor's records as JSON.
    """

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)  # character offsets of the sentence in the report text
    end: Mapped[int] = mapped_column(Integer)
    check_worthiness: Mapped[float] = mapped_column(Float)
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    claimant_text: Mapped[str] = mapped_column(String(300))  # the phrase that names the claimant
    chain: Mapped[list[Any]] = mapped_column(default=list)
    quantities: Mapped[list[Any]] = mapped_column(default=list)
    places: Mapped[list[Any]] = mapped_column(default=list)
    time: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    markers: Mapped[list[Any]] = mapped_column(default=list)
    quote: Mapped[str | None] = mapped_column(String(20))  # "direct", "indirect" or null
    extractor_version: Mapped[str] = mapped_column(String(80))

    claimant: Mapped[Source | None] = relationship()


class Question(Base):
    """A contested matter: claims about the same thing, grouped, with their competing answers.

    The linking stage makes questions and editors merge or split them; ``key`` is what
    the linking stage recognises a question by from one run to the next.
    """

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    label: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))  # "numeric" or "categorical"
    created_by: Mapped[str] = mapped_column(String(20), default="machine")  # "machine" or "editor"
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]

    alternatives: Mapped[list[Alternative]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="Alternative.id"
    )


class Alternative(Base):
    """One competing answer to a question; numeric ones carry their range (``high`` null: open)."""

    __tablename__ = "alternatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(Text)
    low: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    # Set by an editor who has established this answer: the assessment then takes it as
    # known, and every source's accuracy is learnt against it.
    settled: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    question: Mapped[Question] = relationship(back_populates="alternatives")
    claims: Mapped[list[Claim]] = relationship(secondary="claim_alternatives", order_by="Claim.id")


class ClaimAlternative(Base):
    """A claim backing an alternative: the claim's speaker votes for that answer."""

    __tablename__ = "claim_alternatives"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    alternative_id: Mapped[int] = mapped_column(ForeignKey("alternatives.id", ondelete="CASCADE"), primary_key=True)


class QuestionClaim(Base):
    """A claim's place in a question: an answer it backs, a part of a count it refines, or a word about it.

    Membership is kept apart from ``claim_alternatives`` because not every claim in a question
    votes: "ten police among the dead" refines a death toll without being one, and "the scale is
    much smaller than reported" disputes the figures without giving its own.
    """

    __tablename__ = "question_claims"

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))  # "answer", "part" or "about"
    # The stable key editor decisions are stored against: report fingerprint and sentence offsets.
    claim_key: Mapped[str] = mapped_column(String(100))


class ClaimRelation(Base):
    """How one claim of a question stands to another: supports, contradicts or refines, with the reason.

    Rebuilt on every linking run; ``specific`` says which side ("a" or "b") is the narrower one of a refinement.
    """

    __tablename__ = "claim_relations"
    __table_args__ = (UniqueConstraint("claim_a_id", "claim_b_id", name="uq_claim_relation_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    claim_a_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    claim_b_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(20))  # supports, contradicts, refines
    reason: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    specific: Mapped[str | None] = mapped_column(String(1))


class QuestionSuggestion(Base):
    """Two questions the linker would join only with an editor's say-so (a score between the two thresholds)."""

    __tablename__ = "question_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_a_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    question_b_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(default=list)  # what the two share, in words
    made_at: Mapped[datetime]


class QuestionDecision(Base):
    """An editor's merge, split or rejected suggestion, replayed on every linking run.

    Claim ids change when extraction runs again, so the decision names claims by their stable
    keys (``QuestionClaim.claim_key``): ``groups`` is a list of lists of keys: the questions
    merged, the claims split off, or the two sides of a rejected suggestion.
    """

    __tablename__ = "question_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(20))  # "merge", "split" or "reject"
    groups: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text)  # the questions as the editor saw them, in words
    made_by: Mapped[str] = mapped_column(String(200))
    made_at: Mapped[datetime]


class EstimateVersion(Base):
    """One reconciliation of a numeric question under one preset; every linking run adds one.

    ``question_key`` outlives the question row (a question merged away keeps its history), so
    "what did we know then" stays answerable; ``trace`` is the rule trace as JSON.
    """

    __tablename__ = "estimate_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"), index=True)
    question_key: Mapped[str] = mapped_column(String(200), index=True)
    label: Mapped[str] = mapped_column(Text)  # the question's label when the estimate was made
    preset: Mapped[str] = mapped_column(String(20))  # "ucdp" or "acled"
    low: Mapped[float | None] = mapped_column(Float)
    best: Mapped[float | None] = mapped_column(Float)
    high: Mapped[float | None] = mapped_column(Float)
    trace: Mapped[dict[str, Any]] = mapped_column(default=dict)
    made_at: Mapped[datetime]


class AssessmentRun(Base):
    """One fit of the assessment stage; earlier runs stay, so what was believed when can be shown."""

    __tablename__ = "assessment_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    estimator: Mapped[str] = mapped_column(String(80))
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AlternativeAssessment(Base):
    """How credible one alternative came out in one run, and how many independent voices back it."""

    __tablename__ = "alternative_assessments"

    run_id: Mapped[int] = mapped_column(ForeignKey("assessment_runs.id", ondelete="CASCADE"), primary_key=True)
    alternative_id: Mapped[int] = mapped_column(ForeignKey("alternatives.id", ondelete="CASCADE"), primary_key=True)
    probability: Mapped[float] = mapped_column(Float)
    supporters: Mapped[int] = mapped_column(Integer)  # sources backing it
    independent_support: Mapped[float] = mapped_column(Float)  # supporters left once copied votes are discounted
    chosen: Mapped[bool] = mapped_column(Boolean)


class SourceAssessment(Base):
    """A source's estimated accuracy in one run, over the questions it spoke to."""

    __tablename__ = "source_assessments"

    run_id: Mapped[int] = mapped_column(ForeignKey("assessment_runs.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    accuracy: Mapped[float] = mapped_column(Float)
    questions: Mapped[int] = mapped_column(Integer)


class SourceDependence(Base):
    """A source pair the copy detector examined in one run: how likely one repeats the other."""

    __tablename__ = "source_dependences"

    run_id: Mapped[int] = mapped_column(ForeignKey("assessment_runs.id", ondelete="CASCADE"), primary_key=True)
    source_a_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    source_b_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    probability: Mapped[float] = mapped_column(Float)
    copier_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    shared_questions: Mapped[int] = mapped_column(Integer)
    shared_answers: Mapped[int] = mapped_column(Integer)


class CustodyEntry(Base):
    """One line of the append-only custody log; each carries the hash of the one before."""

    __tablename__ = "custody_log"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC, kept as text so it hashes exactly
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class User(Base):
    """Someone who may sign in to the web board: a viewer reads, an editor also rules and edits."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))  # argon2id, never the password
    role: Mapped[str] = mapped_column(String(20))  # "viewer" or "editor"
    created_at: Mapped[datetime]


class WebSession(Base):
    """A signed-in browser: ``id`` is the SHA-256 of the cookie's token, so a stolen database opens no session.

    ``user_id`` is null for the local editor of a loopback board without accounts; ``csrf_token``
    must come back with every form posted in this session.
    """

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class StatusRuling(Base):
    """An editor's ruling on a question or one of its alternatives: confirmed, refuted, contested, or withdrawn.

    Question and alternative rows are rebuilt by every linking run, so a ruling names its target
    by stable keys: the question's key, the alternative's key (its first claim's key) and the
    claim keys it covered when the editor ruled, to find it again if keys move. Rows are never
    edited; the newest ruling for a target is the one in force.
    """

    __tablename__ = "status_rulings"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_key: Mapped[str] = mapped_column(String(200), index=True)
    alternative_key: Mapped[str | None] = mapped_column(String(100))  # null: the ruling is on the whole question
    claim_keys: Mapped[list[Any]] = mapped_column(default=list)
    label: Mapped[str] = mapped_column(Text)  # what the editor ruled on, as it read then
    status: Mapped[str] = mapped_column(String(20))  # "confirmed", "refuted", "contested" or "withdrawn"
    note: Mapped[str] = mapped_column(Text)
    made_by: Mapped[str] = mapped_column(String(200))
    made_at: Mapped[datetime]


class ProvenanceRun(Base):
    """One run of the provenance stage: when, which edge types merged origins, and what it found.

    Edges are rebuilt on every run (they follow from the stored reports), so only the newest
    run's edges are kept; the runs themselves stay as the history of what was found when.
    """

    __tablename__ = "provenance_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    made_at: Mapped[datetime]
    merge: Mapped[list[Any]] = mapped_column(default=list)  # edge kinds that merged origins in this run
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DependenceEdge(Base):
    """Evidence that two reports or sources are not independent: reuse, citation, informant, owner, party.

    An edge joins reports (``report_a``/``report_b``), sources, or a report to a source; a
    directed edge points from the original or the cited (``a``) to the copy or the citer (``b``).
    ``evidence`` holds what a reader needs to check it: the shared passages with their offsets,
    the matching clip segments, the citing phrase, the common owner.
    """

    __tablename__ = "dependence_edges"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("provenance_runs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of provenance.graph.EDGE_KINDS
    report_a_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    report_b_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    source_a_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    source_b_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    confidence: Mapped[float] = mapped_column(Float)
    directed: Mapped[bool] = mapped_column(Boolean)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)


class CachedFingerprint(Base):
    """Perceptual hashes of one archived image or clip, kept so a re-run decodes only new media.

    ``method`` names the hashing method and its version; a fingerprint of another method is
    computed again. ``error`` says why a file could not be fingerprinted (corrupt, not media).
    """

    __tablename__ = "media_fingerprints"

    sha256: Mapped[str] = mapped_column(ForeignKey("items.sha256", ondelete="CASCADE"), primary_key=True)
    method: Mapped[str] = mapped_column(String(60))
    fingerprint: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    made_at: Mapped[datetime]

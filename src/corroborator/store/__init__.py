"""Persistence: the only place that talks to the database."""

from corroborator.store.database import Database, open_database
from corroborator.store.schema import (
    Alternative,
    AlternativeAssessment,
    AssessmentRun,
    Claim,
    ClaimAlternative,
    CustodyEntry,
    Item,
    Media,
    Question,
    Report,
    ReportExtractionState,
    Source,
    SourceAlias,
    SourceAssessment,
    SourceDependence,
)

__all__ = [
    "Database",
    "open_database",
    "Alternative",
    "AlternativeAssessment",
    "AssessmentRun",
    "Claim",
    "ClaimAlternative",
    "CustodyEntry",
    "Item",
    "Media",
    "Question",
    "Report",
    "ReportExtractionState",
    "Source",
    "SourceAlias",
    "SourceAssessment",
    "SourceDependence",
]

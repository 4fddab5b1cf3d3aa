"""Persistence: the only place that talks to the database."""

from corroborator.store.database import Database, open_database
from corroborator.store.schema import (
    Claim,
    CustodyEntry,
    Item,
    Media,
    Report,
    ReportExtractionState,
    Source,
    SourceAlias,
)

__all__ = [
    "Database",
    "open_database",
    "Claim",
    "CustodyEntry",
    "Item",
    "Media",
    "Report",
    "ReportExtractionState",
    "Source",
    "SourceAlias",
]

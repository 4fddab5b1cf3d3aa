"""Persistence: the only place that talks to the database."""

from corroborator.store.database import Database, open_database
from corroborator.store.schema import CustodyEntry, Item, Media, Report, Source, SourceAlias

__all__ = ["Database", "open_database", "CustodyEntry", "Item", "Media", "Report", "Source", "SourceAlias"]

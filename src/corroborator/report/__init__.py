"""Stage 6, review and publish: the verification board and its exports.

``build_board`` reads the store into one JSON-ready dict (format in
``docs/board-format.md``); ``write_board`` turns that dict into JSON, CSV,
Markdown or HTML without touching the database again.
"""

from corroborator.report.board import BOARD_VERSION, build_board
from corroborator.report.export import EXPORT_FORMATS, write_board

__all__ = ["BOARD_VERSION", "EXPORT_FORMATS", "build_board", "write_board"]

"""Corroborator: a verification desk for conflicting reports in a fast-moving crisis.

The pipeline stages are packages: ``ingest`` (receive and preserve), then the
analysis stages, and ``report`` (the board). They talk only through the data
model in ``store``.
"""

__version__ = "0.1.0"

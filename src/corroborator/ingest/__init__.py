"""Ingest and preserve: reports arrive in many formats and are stored exactly as received.

``formats`` turns bytes into report drafts, ``fetch`` brings URLs in safely, and
``pipeline`` archives, de-duplicates, attributes and quarantines.
"""

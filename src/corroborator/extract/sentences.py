"""Sentences and quotations of a report, found by rules before any model runs.

Splitting by rule, not with spaCy's parser, lets the cheap check-worthiness filter run before
the expensive pipeline, and lets quotations that run over several sentences be tracked across
the whole report (the parser sees one sentence at a time). Reports come as saved web pages
(one paragraph per line), hard-wrapped plain text and Markdown transcripts; the rules below
tell a wrapped line from a headline and strip list and speaker markup from sentence starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt maj cpl pte adm rev st mt ft no nos vol art para fig
    jan feb mar apr jun jul aug sep sept oct nov dec approx est dept govt inc ltd co corp jr sr vs
    etc al univ""".split()
)
_END = re.compile(r"(?:\.{3}|…|[.!?])[\"”’')\]]*(?=\s+[\"“‘(\[*]*[A-Z0-9À-Ý])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
# Leading list bullets, Markdown headings and emphasis, transcript speaker labels ("**ANCHOR:**").
_LEAD = re.compile(
    r"^(?:[-*•–]\s+|\d+[.)]\s+|#+\s+|>\s*|\*\*[^*\n]{1,60}\*\*\s*(?:\*\([^)\n]*\):?\*\s*)?:?\s*|\*(?!\*)|_)+"
)
# Wire datelines: "RAVEL CITY, March 4 (Northwire) - ", "MOSCOW, January 6. /TASS/. ", "ALMATY, 6 January - RIA
# Novosti. ". They name where the story was filed, not where the event was, so they are not part of a sentence.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]{1,40}(?:,\s+[A-Z][\w .'’-]{1,30})?,\s+(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})\.?"
    r"(?:\s*\([^)\n]{1,40}\)|\s*/[^/\n]{1,40}/\.?)?\s*(?:[-–—:]\s*(?:[A-Z][\w/]*(?:\s+[A-Z][\w/]*){0,3}\.\s+(?=[A-Z]))?|\.\s+)"
)
_TRAIL = re.compile(r"(?:\s|\*|_|#\w+)+$")
_BULLET = re.compile(r"^\s*(?:[-*•–]\s|\d+[.)]\s|#|>|\*\*|\*\[)")
_TERMINAL = re.compile(r"[.!?:\"”’)\]]\s*$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    block: int  # paragraph number: quotations and pronouns rarely cross more than a few


def _hard_breaks(text: str) -> list[tuple[int, int]]:
    """Paragraph blocks as (start, end): blank lines always break; a single newline breaks
    after a headline-like line or before a bullet, and is a soft wrap inside wrapped prose."""
    lines = text.split("\n")
    lengths = [len(line.rstrip()) for line in lines if line.strip()]
    wrapped_width = max(lengths) if len(lengths) >= 3 and max(lengths) <= 120 else None
    blocks: list[tuple[int, int]] = []
    start = pos = 0
    for i, line in enumerate(lines):
        end = pos + len(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        stripped = line.rstrip()
        if nxt is None:
            breaks = True
        elif not stripped or not nxt.strip() or _BULLET.match(nxt):
            breaks = True
        elif nxt.lstrip()[:1].islower():
            breaks = False
        elif _TERMINAL.search(stripped):
            breaks = True
        else:  # no closing punctuation, next line capitalised: a wrap only in wrapped prose
            breaks = wrapped_width is None or len(stripped) < wrapped_width - 25
        if breaks:
            if text[start:end].strip():
                blocks.append((start, end))
            start = end + 1
        pos = end + 1
    return blocks


def _is_abbreviation(text: str, dot: int) -> bool:
    match = _WORD_BEFORE.search(text, 0, dot)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return True
    if "." in word and len(word.replace(".", "")) <= 3:  # "U.S", "U.N"
        return True
    return word.lower() in _ABBREVIATIONS


def split_sentences(text: str) -> list[Sentence]:
    """Split a report into sentences with their character offsets in ``text``."""
    sentences: list[Sentence] = []
    for number, (b_start, b_end) in enumerate(_hard_breaks(text)):
        dateline = _DATELINE.match(text, b_start, b_end)
        if dateline:
            b_start = dateline.end()
        cut = b_start
        pieces: list[tuple[int, int]] = []
        for match in _END.finditer(text, b_start, b_end):
            if text[match.start()] == "." and _is_abbreviation(text, match.start()):
                continue
            pieces.append((cut, match.end()))
            cut = match.end()
        pieces.append((cut, b_end))
        for start, end in pieces:
            chunk = text[start:end]
            lead = _LEAD.match(chunk)
            if lead:
                start += lead.end()
            trail = _TRAIL.search(text[start:end])
            if trail:
                end = start + trail.start()
            while start < end and text[start].isspace():
                start += 1
            if any(c.isalnum() for c in text[start:end]):
                sentences.append(Sentence(start, end, text[start:end].replace("\n", " "), number))
    return sentences


def quotations(text: str) -> list[tuple[int, int]]:
    """Spans of double-quoted text (with the marks). Curly quotes pair up; straight ones
    alternate within a paragraph, and one left open closes at the paragraph's end."""
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _hard_breaks(text):
        opened: int | None = None
        for i in range(b_start, b_end):
            c = text[i]
            if c == "“" or (c == '"' and opened is None):
                opened = i
            elif (c == "”" or c == '"') and opened is not None:
                spans.append((opened, i + 1))
                opened = None
        if opened is not None:
            spans.append((opened, b_end))
    return spans


def quoted_share(sentence: Sentence, quotes: list[tuple[int, int]]) -> float:
    """How much of the sentence lies inside the quotations (0..1)."""
    inside = sum(max(0, min(sentence.end, e) - max(sentence.start, s)) for s, e in quotes)
    return inside / max(1, sentence.end - sentence.start)

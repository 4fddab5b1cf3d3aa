"""Places a sentence names, as written: countries, cities, squares, streets, buildings.

spaCy's GPE, LOC and FAC entities find most of them; the small model misses many
street-level names ("Republic Square", "Zheltoksan Street"), so a rule adds capitalised
names ending in a place word. Names are given without articles or possessive endings, and
"Almaty's Republic Square" is two places.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_WORDS = (
    r"Square|Street|St\.|Avenue|Ave\.|Prospect|Boulevard|Road|Lane|Bridge|Park|Airport|Station|Palace|Market|"
    r"Stadium|Embassy|Hospital|Mosque|Cathedral|Church|District|Province|Region|Valley|River|Port|Harbour|Harbor|"
    r"Highway|Motorway|Quarter|Gate|Plaza|Camp|Base|Hill|Heights|Mountains|Island|Islands|Border|Crossing"
)
_NAMED_PLACE = re.compile(rf"\b(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{_PLACE_WORDS})(?!\w)")
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
_NOT_PLACE_START = frozenset({"The", "A", "An", "In", "At", "On", "Near", "From", "To", "By", "Of", "And"})


def _clean(name: str) -> str:
    name = _LEADING.sub("", name.strip(" ,.;:\"“”'’()"))
    return _POSSESSIVE.sub("", name).strip()


def find_places(doc: Doc, speakers: tuple[str, ...] = ()) -> list[str]:
    """Places named in one sentence, each once, in order of appearance; names of the
    ``speakers`` (outlets the model takes for places, "RT", "Meduza") are left out."""
    not_places = {_clean(s).lower() for s in speakers}
    spans: list[tuple[int, str]] = []
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            for part in re.split(r"['’]s\s+", ent.text):
                spans.append((ent.start_char + ent.text.find(part), part))
    for m in _NAMED_PLACE.finditer(doc.text):
        words = m.group(0).split()
        while words and words[0] in _NOT_PLACE_START:
            words.pop(0)
        text = " ".join(words)
        for part in re.split(r"['’]s\s+", text):
            spans.append((m.end() - len(text) + text.find(part), part))
    places: list[str] = []
    seen: set[str] = set()
    for _, name in sorted(spans):
        name = _clean(name)
        key = name.lower()
        if not name or key in seen or key in not_places or any(key in other.lower() for other in places):
            continue
        places = [p for p in places if p.lower() not in key]
        seen.add(key)
        places.append(name)
    return places

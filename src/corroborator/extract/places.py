"""Places a sentence names, as written: countries, cities, villages, squares, rivers, dams.

By rule, on the tagger's proper nouns, not with spaCy's entity recogniser: crisis news is full
of places the small model has never seen ("Halsk", "Zheltoksan Street") and it labels most of
them ORG or PERSON, while running it doubled the cost of extraction (docs/benchmarks.md). The
rules: capitalised names ending in a place word ("Unity Square", "Ostra Dam", "Ravel valley"),
proper nouns after a preposition of place ("in Velno", "the village of Pell"), owners of what
places own ("Velno's mayor", "Keldara's Defence Ministry"), names shaped like a country
("Corvenia", "Kazakhstan"), the names listed with a place ("Halsk, Velno and Dunmere"), and
every mention of a name found anywhere in the same report. Names are given without articles or
possessive endings, and "Almaty's Republic Square" is two places.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from corroborator.extract.nlp import token_at

_PLACE_WORDS = (
    r"Square|Street|St\.|Avenue|Ave\.|Prospect|Boulevard|Road|Lane|Bridge|Park|Airport|Station|Palace|Market|"
    r"Stadium|Embassy|Hospital|Mosque|Cathedral|Church|District|Province|Region|Valley|River|Port|Harbour|Harbor|"
    r"Highway|Motorway|Quarter|Gate|Plaza|Camp|Base|Hill|Heights|Mountains|Island|Islands|Crossing|Dam|Lake|"
    r"Reservoir|Canal|Bay|Strait|Pass|Gorge|Forest|Desert|Plain|Oblast|County|Municipality|City"
)
_GEO_NOUNS = r"valley|delta|basin|gorge|plateau"  # part of a name; "the Saro district" is Saro
# Sites named by a name and a common noun: "the Karsa mine", "the Lenz market". The noun belongs to the place.
_SITE_NOUNS = r"mine|pit|colliery|quarry|market|bazaar|bridge|dam|reservoir|airport|airfield|harbour|harbor|port|camp"
# Areas a name is given in: "the Orvan region" is Orvan.
# What a named place has ("Selvan's central market"), so that its owner is a place.
_OWNED_SITES = frozenset(
    """market square street district hospital mosque church cathedral school station port harbour harbor bridge
    suburbs outskirts centre center quarter neighbourhood neighborhood airport stadium park""".split()
)
_AREA_NOUNS = frozenset({"region", "district", "province", "county", "oblast", "municipality", "area"})
# A name ending in a place word is a place's, not a person's ("Ravel City", "Vesh Pass").
PLACE_NAME = re.compile(rf"\b(?:{_PLACE_WORDS})$")
# Place words that come before the name: "Lake Lenna", "Mount Aral", "the Gulf of Sirte".
_PLACE_WORDS_FIRST = r"Lake|Mount|Mt\.|Cape|Fort|Gulf\s+of|Isle\s+of|Bay\s+of|Sea\s+of"
_NAMED_PLACE = re.compile(
    rf"\b(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{_PLACE_WORDS})(?!\w)|\b[A-Z][\w'’-]*\s+(?:{_GEO_NOUNS})\b(?![\w-])|"
    rf"\b(?:{_PLACE_WORDS_FIRST})\s+[A-Z][\w'’-]*[\w](?:\s+(?:{_PLACE_WORDS}))?(?![\w'’-])|"
    rf"\b[A-Z][\w'’-]*(?<!ian)(?<!ese)(?<!ish)\s+(?:{_SITE_NOUNS})\b(?![\w-])"
)
_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
_NOT_PLACE_START = frozenset({"The", "A", "An", "In", "At", "On", "Near", "From", "To", "By", "Of", "And", "Our"})
# Prepositions after which a proper noun is usually a place ("in Velno", "below Pell").
_PLACE_PREPOSITIONS = frozenset(
    """in near at to from outside around across into towards toward through below above over downstream upstream
    inside beyond along between off past beside behind via""".split()
)
# Words between such a preposition and the name: "in central Orlessa", "outside northern Halsk".
_REGION_ADJECTIVES = frozenset(
    """central northern southern eastern western north south east west rural coastal downtown neighbouring
    neighboring""".split()
)
# Nouns after which "of X" names a place ("the town of Halsk", "residents of Halsk").
_OF_PLACE = frozenset(
    """town village city region province district outskirts centre center streets suburbs residents people
    north south east west edge mayor governor capital port valley evacuation bank banks shore shores coast eastern
    towns villages cities regions districts provinces
    western northern southern upper lower old main""".split()
)
_NOT_NAMES = frozenset(
    """January February March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday I We He She They It""".split()
)
_ORG_WORDS = re.compile(
    r"\b(?:Ministry|Agency|Office|Alliance|Relief|Press|News|Television|TV|Company|Bank|Council|Party|Group|"
    r"Organi[sz]ation|Corporation|Service|Services|Department|Court|Police|Army|University|Committee|Hydro|Inc|Ltd|"
    r"Union|Association|Foundation|Fund|Institute|Commission|Authority|Guard|Forces|Media|Radio|Times|Post|"
    r"Inspectorate|Directorate|Prosecutor|Administration|Secretariat|Bureau|Board|Federation|Chemicals|Industries|"
    r"Holdings|Works|Energy|Mining|Airlines|Network|Coalition|Movement|Front)\b"
)
_TITLES = re.compile(r"\b(?:Minister|President|General|Governor|Mayor|Mr|Mrs|Ms|Dr|Father)\b")
_STATE_WORDS = frozenset(
    """ministry government army forces police president ambassador embassy foreign defence defense interior border
    military parliament authorities officials troops navy capital prime coastguard""".split()
)
_BRAND = re.compile(r"^[A-Z][a-z]+[A-Z]")  # "VoxLine", "NetWatch": a service's name, not a place's
_COUNTRY_ENDING = re.compile(r"\w{2,}(?:ia|stan|land)$")
_DEMONYM = re.compile(r"(?:an|ian|ese|ish)$")
# Countries that end like a nationality adjective.
_COUNTRY_IN_AN = re.compile(r"(?:stan|^Iran|^Japan|^Sudan|^Oman|^Taiwan|^Bhutan|^Azerbaijan|^Jordan|^Vatican)$")


def _clean(name: str) -> str:
    name = _LEADING.sub("", name.strip(" ,.;:\"“”'’()"))
    return _POSSESSIVE.sub("", name).strip()


def _proper_run(doc: Doc, start: int) -> tuple[int, int] | None:
    """The run of proper-noun tokens starting at ``start`` (skipping "the") that can be a
    place. The small model calls most unknown one-word names ORG or PERSON, so only longer
    person names, dates and names with an organisation word rule a run out."""
    i = start
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    j = i
    while (
        j < len(doc) and doc[j].tag_ in {"NNP", "NNPS"} and doc[j].text[:1].isupper() and doc[j].text not in _NOT_NAMES
    ):
        j += 1
    if j == i:
        return None
    run = doc[i:j]
    if _ORG_WORDS.search(run.text):
        return None
    if len(run) == 1 and _nationality(doc, i):
        return None
    if j < len(doc) and (
        doc[j].like_num or (doc[j].text in {"'s", "’s", "'", "’"} and j > i + 1 and _org_after(doc, j + 1))
    ):
        return None  # "Shaft 2" names a thing; "the Orvan Regional Prosecutor's Office" an office
    if any(_BRAND.search(t.text) for t in run):
        return None
    return i, j


def _org_after(doc: Doc, i: int) -> bool:
    return i < len(doc) and bool(_ORG_WORDS.match(doc[i].text))


def _nationality(doc: Doc, i: int) -> bool:
    """ "Keldaran troops": a word shaped like a nationality used as one; "the Orvan region" and
    "governor of Orvan," are names."""
    word = doc[i].text
    if not _DEMONYM.search(word) or _COUNTRY_IN_AN.search(word):
        return False
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if nxt is None or nxt.lower_ in _AREA_NOUNS:
        return False
    if nxt.lower_ in {"and", "or", ","} and i + 2 < len(doc):  # "Keldaran and Osmian forces"
        return bool(_DEMONYM.search(doc[i + 2].text))
    return nxt.tag_ in {"NN", "NNS", "NNP", "NNPS", "JJ", "VBN", "VBG"}


def _place_owned(tok: Token) -> bool:
    """What a place can own: "Velno's mayor", "Keldara's Defence Ministry", "Ravel City's Unity Square"."""
    if tok.lower_ in _OF_PLACE or tok.lower_ in _STATE_WORDS or (tok.is_title and tok.tag_ in {"NNP", "NNPS"}):
        return True
    doc = tok.doc
    i = tok.i
    while i < len(doc) and doc[i].tag_ in {"JJ", "JJS", "VBN", "HYPH"}:
        i += 1  # "Selvan's central market", "Dolvik's main square"
    return i < len(doc) and i > tok.i and doc[i].lower_ in _OWNED_SITES


def _owns_non_place(doc: Doc, end: int) -> bool:
    """ "at Tokayev's request": a possessive before a common noun that is not a place's."""
    if end + 1 >= len(doc) or doc[end].text not in {"'s", "’s"}:
        return False
    nxt = doc[end + 1]
    return not nxt.is_title and nxt.lower_ not in _OF_PLACE


def _by_preposition(doc: Doc) -> list[tuple[int, str]]:
    """Proper nouns after a preposition of place, after "the town of", and before "'s mayor".

    Not in headlines written in title case, where every word looks like a name.
    """
    found: list[tuple[int, str]] = []
    words = [t for t in doc if t.is_alpha]
    if words and sum(t.is_title for t in words) > 0.6 * len(words):
        return found
    for tok in doc:
        if tok.text in {"'s", "’s"} and tok.i + 1 < len(doc) and _place_owned(doc[tok.i + 1]):
            start = tok.i
            while start > 0 and doc[start - 1].tag_ in {"NNP", "NNPS"}:
                start -= 1
            run = _proper_run(doc, start) if start < tok.i else None
            if run and run[1] == tok.i:
                found.append((doc[run[0]].idx, doc[run[0] : run[1]].text))
        if (tok.lower_ in _PLACE_PREPOSITIONS and not (tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "of")) or (
            tok.lower_ == "of" and tok.i > 0 and doc[tok.i - 1].lower_ in _OF_PLACE | _PLACE_PREPOSITIONS
        ):
            after = tok.i + 1
            if after < len(doc) and doc[after].lower_ in _REGION_ADJECTIVES and doc[after].text.islower():
                after += 1
            run = _proper_run(doc, after)
            if run and not _owns_non_place(doc, run[1]):
                found.append((doc[run[0]].idx, doc[run[0] : run[1]].text))
    return found


def _before_area_noun(doc: Doc) -> list[tuple[int, str]]:
    """ "Darvenia's Orvan region", "the Saro district": a name given to an area is a place."""
    found = []
    for tok in doc:
        if tok.lower_ in _AREA_NOUNS and tok.text.islower() and tok.i > 0 and doc[tok.i - 1].tag_ in {"NNP", "NNPS"}:
            start = tok.i - 1
            while start > 0 and doc[start - 1].tag_ in {"NNP", "NNPS"} and doc[start - 1].text[:1].isupper():
                start -= 1
            run = _proper_run(doc, start)
            if run and run[1] == tok.i:
                found.append((doc[run[0]].idx, doc[run[0] : run[1]].text))
    return found


def _country_shaped(doc: Doc) -> list[tuple[int, str]]:
    """A lone proper noun ending like a country's name ("Corvenia", "Kazakhstan", "Finland")."""
    found = []
    for tok in doc:
        if (
            tok.tag_ == "NNP"
            and _COUNTRY_ENDING.search(tok.text)
            and tok.text[:1].isupper()
            and not (tok.i and doc[tok.i - 1].tag_ in {"NNP", "NNPS"})
            and not (tok.i + 1 < len(doc) and doc[tok.i + 1].tag_ in {"NNP", "NNPS"})
        ):
            found.append((tok.idx, tok.text))
    return found


def _listed_with(doc: Doc, places: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Proper nouns coordinated with a place found: "Halsk, Velno and Dunmere"."""
    found: list[tuple[int, str]] = []
    for start in sorted({start for start, _ in places}):
        j = token_at(doc, start)
        if j >= len(doc) or doc[j].idx != start:
            continue
        while j < len(doc) and doc[j].tag_ in {"NNP", "NNPS"}:
            j += 1
        while j + 1 < len(doc) and doc[j].text in {",", "and", "or"}:
            k = j + 1 if doc[j + 1].text not in {"and", "or"} else j + 2
            run = _proper_run(doc, k)
            if not run:
                break
            found.append((doc[run[0]].idx, doc[run[0] : run[1]].text))
            j = run[1]
    return found


def _known(doc: Doc, known: set[str]) -> list[tuple[int, str]]:
    if not known:
        return []
    found = []
    for name in known:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", doc.text):
            found.append((m.start(), name))
    return found


def _adjective(doc: Doc, start: int, name: str) -> bool:
    """ "Keldaran troops", "Keldaran and Osmian forces": a nationality adjective, not a place."""
    if " " in name or not _DEMONYM.search(name) or _COUNTRY_IN_AN.search(name):
        return False
    i = token_at(doc, start)
    if i >= len(doc):
        return False
    return doc[i].tag_ == "JJ" or _nationality(doc, i)


def _candidates(doc: Doc) -> list[tuple[int, str]]:
    """Every (offset, name) the rules propose; kept on the doc, since a report's sentences are
    read twice (once to learn its places, once for the claims)."""
    cached = doc.user_data.get("place_candidates")
    if cached is not None:
        return cached
    spans: list[tuple[int, str]] = []
    for m in _NAMED_PLACE.finditer(doc.text):
        words = m.group(0).split()
        while words and words[0] in _NOT_PLACE_START:
            words.pop(0)
        text = " ".join(words)
        if not text or not text[0].isupper() or _ORG_WORDS.search(text):
            continue  # "The market" is no name: convention 10
        for part in re.split(r"['’]s\s+", text):
            if part[:1].isupper():  # "Marovo's market" is Marovo: a common noun left over is no name
                spans.append((m.end() - len(text) + text.find(part), part))
    spans += _before_area_noun(doc)
    spans += _by_preposition(doc)
    spans += _country_shaped(doc)
    spans += _listed_with(doc, spans)
    doc.user_data["place_candidates"] = spans
    return spans


def find_places(doc: Doc, not_places: set[str] = frozenset(), known: set[str] | None = None) -> list[str]:
    """Places named in one sentence, each once, in order of appearance.

    ``not_places`` are lower-cased names the model may take for places but that are not
    (outlets like "RT", people); ``known`` holds the places found earlier in the report and
    gains the new ones.
    """
    spans = _candidates(doc) + _known(doc, known or set())
    kept: list[tuple[int, int]] = []
    places: list[str] = []
    for start, name in sorted(spans, key=lambda s: (s[0], -len(s[1]))):
        end = start + len(name)
        if any(start < e and s < end for s, e in kept):
            continue  # part of a longer name found at the same place: "Ravel" in "Ravel valley"
        kept.append((start, end))
        name = _clean(name)
        if (
            name
            and name.lower() not in not_places
            and name.lower() not in (p.lower() for p in places)
            and not _adjective(doc, start, name)
            and not (_TITLES.search(name) and not PLACE_NAME.search(name))  # "Kallport General Hospital"
        ):
            places.append(name)
    if known is not None:
        known.update(places)
    return places

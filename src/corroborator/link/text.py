"""Small text helpers shared by the relation rules and the lexical similarity.

Claims arrive as whole sentences with their attribution ("..., the ministry said."). Two claims
by different speakers share nothing in that tail and two by the same speaker share everything,
so every comparison of what is claimed starts by cutting it off.
"""

from __future__ import annotations

import re

_SAY = (
    r"(?:said|says|say|reported|reports|told|added|claimed|claims|confirmed|announced|stated|"
    r"wrote|insisted|alleged|according)"
)
# ", the ministry said, citing firefighters." / ", according to the union." / ", a guard told the Courier."
_TAIL = re.compile(
    rf"[,;]\s*(?:(?:[^,;]{{0,90}}?\s)?{_SAY}\b[^,;]*|according to [^,;]+)(?:,\s*(?:citing|quoting|on)\b[^,;]*)*"
    rf"\s*[.!?\"']*\s*$",
    re.IGNORECASE,
)
# "The ministry said that ..." / "Cellwatch says ..."
_HEAD = re.compile(rf"^[^,;]{{0,80}}?\b{_SAY}\s+(?:that\s+)?(?=\S)", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

STOPWORDS = frozenset(
    """a an the and or but of in on at to for from by with into onto over under as is are was were be been being
    has have had do does did it its this that these those there their they them he she his her we our us you
    your i my me who whom which what when where while than then so such also still now just very more most
    some any each every all both either neither about after before during since until up down out off again
    further once here why how own same other another would could should may might will shall can""".split()
)


def claim_text(sentence: str) -> str:
    """The sentence without its attribution, so comparisons read what is claimed, not who says it."""
    text = _TAIL.sub("", sentence.strip())
    if text == sentence.strip():
        text = _HEAD.sub("", text)
    return text.strip().rstrip(".!?\"'” ").strip() or sentence.strip()


def words(text: str) -> list[str]:
    """Lower-case word tokens, possessives dropped."""
    return [w.split("'")[0].split("’")[0] for w in _WORD.findall(text.lower())]


# Words crisis reports use for the same thing, folded to one stem so that wording alone does not
# hide a paraphrase ("the blaze began" / "the fire started"). General news vocabulary, not any
# one crisis's names.
_SYNONYMS = {
    "fire": ("blaze", "flames", "inferno"),
    "start": ("begin", "began", "begun", "erupt", "broke"),
    "kill": ("die", "died", "dead", "death", "deaths", "live", "lives", "fatal", "perish", "toll"),
    "injur": ("wound", "hurt", "injury", "injuries"),
    "arrest": ("detain", "custody", "held"),
    "inmat": ("prisoner", "convict"),
    "soldier": ("troop", "army", "military"),
    "polic": ("officer", "policeman", "policemen"),
    "protest": ("demonstrat", "rally", "march", "protester", "demonstrator"),
    "shut": ("close", "closed", "halt", "suspend", "stop", "stopped"),
    "plant": ("work", "works", "factory", "site"),
    "evacuat": ("evacuee",),
    "hous": ("home", "building", "flat"),
    "riot": ("unrest", "uprising", "disturbance", "rioter"),
    "hostag": ("captive",),
    "free": ("freed", "release", "rescu"),
    "blast": ("explosion", "explod"),
    "storm": ("raid", "retak", "retook"),
    "company": ("firm",),
    "child": ("children", "kid"),
    "town": ("city",),
    "job": ("post",),
    "warn": ("alert",),
    "investigat": ("probe", "inquiry"),
    "accident": ("mishap",),
    "foreign": ("abroad",),
}
_FOLD = {variant: canonical for canonical, variants in _SYNONYMS.items() for variant in variants}


def stem(word: str) -> str:
    """A crude suffix stripper with synonyms folded: "killed"/"died" and "blaze"/"fire" meet."""
    for form in (word, word[:-1] if word.endswith("s") else word):
        if form in _FOLD:
            return _FOLD[form]
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return _FOLD.get(word, word)


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (no stopwords)."""
    return {stem(w) for w in words(text) if w not in STOPWORDS}

"""Speaker resolution: which registered source each phrase that names a speaker means.

The extractor only says how a report names its speakers ("President Kassym-Jomart
Tokayev", "the head of state", "an activist"); this module decides who that is, in
the order an editor would try:

1. anonymous origins ("a source in law enforcement") stay unresolved;
2. the registry: names and aliases, ignoring case, leading articles and possessives;
3. the report's own source: its staff ("RFE/RL's Kazakh Service", "Meduza's correspondent")
   and self-reference ("we", "our correspondent");
4. co-reference within the report: once a report names someone with a title or in full
   ("President Kassym-Jomart Tokayev"), later "Tokayev", "the president", "the Kazakh
   president" and "the head of state" in that report mean the same source; pronouns
   ("she", "he") mean the last person quoted before them;
5. a title before a name is dropped ("Interior Minister Erlan Turgumbayev"), and a bare
   surname matches a registered person whose name or alias ends in it, when only one does;
6. a role tied to a country ("the Kazakh president") matches a registry alias of the form
   "President of Kazakhstan";
7. a description that this report gives one named source ("Alan Whitcombe, a consultant";
   a registry name "Dana (activist)" mentioned in it) means that source, in the headline too;
8. any other generic phrase ("a nurse", "the activist", "residents") becomes a source of its own,
   scoped to the report's source ("the activist (RFE/RL)"), so that two outlets' unnamed
   activists are never merged; within one outlet they are one source;
9. any other name becomes a new source of kind "unknown", logged in custody like the
   names ingest adds.

Each decision is returned with the rule that made it, and stored with the claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corroborator.extract.claims import Speaker
from corroborator.registry import Registry, SourceRecord
from corroborator.store.schema import Source

# Bumped whenever these rules change what a phrase resolves to, so stored claims are redone.
RULES_VERSION = 2

ARTICLES = ("the", "a", "an")
# A phrase starting with one of these is a description, never a name.
INDEFINITE = {"a", "an", "one", "some", "several", "two", "three", "many", "other", "another", "unnamed", "local"}
PRONOUNS = {"he", "she", "they", "him", "her", "them", "who"}
# First words by which a report speaks of itself; "US" in capitals is a country, not "us".
SELF_WORDS = {"we", "We", "us", "our", "Our"}
# Words after "<outlet>'s" that mean the outlet's own people: "RFE/RL's Kazakh Service".
STAFF_WORDS = {
    "correspondent",
    "correspondents",
    "reporter",
    "reporters",
    "journalist",
    "journalists",
    "service",
    "desk",
    "editor",
    "editors",
    "newsroom",
    "bureau",
    "team",
    "staff",
    "crew",
}
# Words that end a title written before a name ("Interior Minister Erlan Turgumbayev"); the title
# is a role a later description can refer back to ("the minister").
TITLE_HEADS = {
    "president",
    "minister",
    "premier",
    "chancellor",
    "king",
    "queen",
    "governor",
    "mayor",
    "akim",
    "general",
    "gen",
    "colonel",
    "col",
    "major",
    "captain",
    "lieutenant",
    "sergeant",
    "commander",
    "chief",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "secretary",
    "ambassador",
    "senator",
    "mp",
    "dr",
    "mr",
    "mrs",
    "ms",
    "professor",
    "prof",
    "judge",
    "director",
    "chairman",
    "chairwoman",
    "officer",
    "correspondent",
    "reporter",
    "journalist",
    "activist",
    "analyst",
    "consultant",
    "expert",
}
# Words that may stand inside a title before its head.
TITLE_MODIFIERS = {
    "vice",
    "prime",
    "deputy",
    "foreign",
    "interior",
    "defence",
    "defense",
    "health",
    "former",
    "acting",
    "senior",
    "of",
    "state",
}
# Words of a title that say nothing about the role, so a later "the minister" ignores them.
HONORIFICS = {"mr", "mrs", "ms", "dr", "prof", "former", "acting", "senior"}
# Different words for one role.
ROLE_SYNONYMS = {
    "head of state": "president",
    "premier": "prime minister",
    "head of government": "prime minister",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "gen": "general",
    "col": "colonel",
    "prof": "professor",
}
# Common nouns that describe a speaker even when capitalised (at the start of a sentence, in a headline).
GENERIC_NOUNS = {
    "resident",
    "witness",
    "eyewitness",
    "official",
    "source",
    "nurse",
    "doctor",
    "medic",
    "protester",
    "demonstrator",
    "soldier",
    "officer",
    "driver",
    "woman",
    "man",
    "student",
    "local",
    "survivor",
    "relative",
    "volunteer",
    "observer",
    "residents",
    "witnesses",
    "eyewitnesses",
    "officials",
    "police",
    "authorities",
    "protesters",
    "demonstrators",
    "activists",
    "doctors",
    "medics",
    "nurses",
    "sources",
    "observers",
    "analysts",
    "experts",
    "journalists",
    "reporters",
    "locals",
    "soldiers",
    "troops",
    "people",
    "critics",
    "organisers",
    "organizers",
    "survivors",
    "relatives",
    "volunteers",
}
# Words that make a name an organisation's, so its last word is no surname.
ORG_WORDS = {
    "news",
    "agency",
    "ministry",
    "department",
    "office",
    "service",
    "radio",
    "television",
    "tv",
    "english",
    "international",
    "corporation",
    "organization",
    "organisation",
    "broadcasting",
    "press",
    "times",
    "post",
    "daily",
    "channel",
    "media",
    "government",
    "council",
    "committee",
    "army",
    "forces",
    "police",
    "embassy",
    "university",
    "institute",
    "group",
    "network",
    "bureau",
    "treaty",
    "union",
    "party",
    "republic",
    "state",
    "affairs",
    "of",
    "the",
    "and",
}
# Where a description's head noun ends: "a woman whose windows face Republic Square" has head "woman".
_HEAD_STOP = {"who", "whose", "which", "that", "of", "at", "in", "on", "from", "with", "near", "for", "by", "living"}
_PUNCTUATION = " \t\n\"'“”‘’«»()[],.;:!?"
_WORD = r"[A-Z][\w'’-]*"
_ABBREVIATION = r"(?:Gen|Dr|Mr|Mrs|Ms|Col|Prof|Lt|Sgt|Capt|Maj|Gov|Sen)\."
# A run of capitalised words, perhaps joined by "of", perhaps after abbreviated titles: where names are.
_CAPITALISED_RUN = re.compile(rf"(?:{_ABBREVIATION}\s+)*{_WORD}(?:\s+(?:of\s+|{_ABBREVIATION}\s+)?{_WORD})*")
_INITIAL_DOT = re.compile(r"(?<=\b[A-Za-z])\.(?=[A-Za-z]\b|\s|$)")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")
_MIN_SHARED_PREFIX = 5  # "Kazakh" and "Kazakhstan", "Russian" and "Russia"
_MAX_NAME = 300
_MAX_GENERIC = 150
# A role given in apposition after a name: ", a Toronto-based political-risk consultant," gives "consultant".
_APPOSITION = re.compile(
    r"^\s*,\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,4}?([a-z]+)"
    r"(?=\s*(?:[,.;)]|who\b|with\b|at\b|in\b|from\b|for\b|of\b))"
)
_MAX_APPOSITION = 120


def speaker_key(phrase: str) -> str:
    """The form names are compared in: casefolded, spaced once, without a leading article, a possessive,
    or the dots of an initialism ("U.S." is "us")."""
    text = _INITIAL_DOT.sub("", " ".join(phrase.replace("’", "'").split())).strip(_PUNCTUATION).casefold()
    words = text.split(" ")
    if len(words) > 1 and words[0] in ARTICLES:
        text = " ".join(words[1:])
    text = text.removesuffix("'s").removesuffix("'")
    return text.strip(_PUNCTUATION)


def _possessive(phrase: str) -> tuple[str, str]:
    """ "Meduza's correspondent" as ("Meduza", "correspondent"); ("", "") when no possessive joins two parts."""
    owner, separator, rest = phrase.replace("’", "'").partition("'s ")
    return (owner, rest) if separator else ("", "")


def _bare(word: str) -> str:
    return word.strip(_PUNCTUATION).replace("’", "'").casefold().removesuffix("'s").removesuffix(".")


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _person_surname(name: str) -> str | None:
    """The surname of a name that reads as a person's ("Kassym-Jomart Tokayev"), else None."""
    words = _PARENTHESIS.sub("", name).split()
    if not 2 <= len(words) <= 4:
        return None
    if not all(_is_capitalised(word) and word.replace("-", "").replace("'", "").isalpha() for word in words):
        return None
    if any(_bare(word) in ORG_WORDS for word in words):
        return None
    return _bare(words[-1])


def _role(words: list[str]) -> str | None:
    """The role a run of title words names ("Interior Minister" -> "interior minister"), honorifics aside."""
    kept = [_bare(word) for word in words if _bare(word) not in HONORIFICS and not _is_demonym(word)]
    if not kept:
        return None
    role = " ".join(kept)
    return ROLE_SYNONYMS.get(role, role)


def _is_demonym(word: str) -> bool:
    """A capitalised modifier before a title ("Kazakh President"): not part of the role."""
    return _is_capitalised(word) and _bare(word) not in TITLE_HEADS | TITLE_MODIFIERS


def split_title(phrase: str) -> tuple[list[str], list[str]]:
    """Split "Kazakh President Kassym-Jomart Tokayev" into its title words and the name after them.

    The title is the longest run of leading words that are title words or capitalised modifiers
    and ends in a title head ("Secretary of State" ends in "State" after "of"); the name is what
    follows, when it is all capitalised and not an organisation's ("Prosecutor General's Office").
    Without a title, the title is empty and the name is the whole phrase.
    """
    words = phrase.strip(_PUNCTUATION).split()
    if words and _bare(words[0]) in ARTICLES:
        words = words[1:]
    end = 0
    for index, word in enumerate(words):
        bare = _bare(word)
        possessive = word.replace("’", "'").endswith("'s")
        if not possessive and (bare in TITLE_HEADS or (bare == "state" and index and _bare(words[index - 1]) == "of")):
            end = index + 1
        elif possessive or not (_is_capitalised(word) or bare in TITLE_MODIFIERS):
            break
    name = words[end:]
    if (
        end == 0
        or not name
        or not all(_is_capitalised(word) for word in name)
        or any(_bare(word) in ORG_WORDS for word in name)
    ):
        return [], words
    return words[:end], name


def role_phrase(phrase: str) -> str | None:
    """The role a description refers back to: "the Kazakh president" and "the Head of State" give "president"."""
    key = speaker_key(phrase)
    if key in _KNOWN_ROLES or key in ROLE_SYNONYMS:
        return ROLE_SYNONYMS.get(key, key)
    words = phrase.strip(_PUNCTUATION).split()
    if words and _bare(words[0]) in ARTICLES:
        words = words[1:]
    while words and (words[0].replace("’", "'").endswith("'s") or _is_demonym(words[0])):
        words = words[1:]  # "Kazakhstan's president", "the country's president", "Kazakh president"
    if not words or any(_is_capitalised(word) and _is_demonym(word) for word in words):
        return None
    role = " ".join(_bare(word) for word in words)
    return ROLE_SYNONYMS.get(role, role)


def _modifier(phrase: str) -> str | None:
    """The country word of a role description: "Kazakh" in "the Kazakh president", "Kazakhstan" in "Kazakhstan's"."""
    words = phrase.strip(_PUNCTUATION).split()
    if words and _bare(words[0]) in ARTICLES:
        words = words[1:]
    if words and _is_demonym(words[0]):
        return _bare(words[0])
    return None


def _same_country(modifier: str, place: str) -> bool:
    if modifier == place:
        return True
    shared = 0
    for left, right in zip(modifier, place, strict=False):
        if left != right:
            break
        shared += 1
    return shared >= _MIN_SHARED_PREFIX


def _described_words(phrase: str) -> list[str]:
    """The words of a description up to its head noun, leading article dropped: "the activist who was
    there" gives ["activist"], "a woman whose windows face the square" ["woman"]."""
    words = phrase.strip(_PUNCTUATION).split()
    if words and _bare(words[0]) in ARTICLES:
        words = words[1:]
    kept: list[str] = []
    for word in words:
        if _bare(word) in _HEAD_STOP:
            break
        kept.append(word)
        if word.endswith(","):
            break
    return kept


def _is_generic(phrase: str) -> bool:
    """A description rather than a name: "a nurse", "the activist", "Kazakh officials", "Residents".

    Decided by the head noun (the last word before "who", "of", a comma...): lowercase, or a common
    group noun capitalised only because it starts the sentence.
    """
    words = phrase.strip(_PUNCTUATION).split()
    if words and _bare(words[0]) in INDEFINITE:
        return True
    described = _described_words(phrase)
    if not described:
        return False
    head = described[-1]
    return not _is_capitalised(head) or _bare(head) in GENERIC_NOUNS | TITLE_HEADS or role_phrase(phrase) is not None


@dataclass(frozen=True)
class Resolution:
    """Which source a phrase means, and the rule that decided it (stored with the claim)."""

    source_id: int | None
    rule: str


@dataclass
class SourceIndex:
    """The registry held in memory for one transaction: name and alias keys, surnames, roles tied to a country."""

    keys: dict[str, int] = field(default_factory=dict)
    short_keys: dict[str, set[int]] = field(default_factory=dict)  # "ministry of internal affairs" (of Kazakhstan)
    surnames: dict[str, set[int]] = field(default_factory=dict)
    country_roles: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    sources: dict[int, Source] = field(default_factory=dict)

    @classmethod
    def of(cls, sources: list[Source]) -> SourceIndex:
        index = cls()
        for source in sources:
            index.add(source)
        return index

    def add(self, source: Source) -> None:
        self.sources[source.id] = source
        names = [source.name, *(alias.alias for alias in source.aliases)]
        for name in names:
            self.keys.setdefault(speaker_key(name), source.id)
            bare = _PARENTHESIS.sub("", name)
            if bare != name and bare.strip() and not _is_generic(bare):
                self.keys.setdefault(speaker_key(bare), source.id)  # "Dana (activist)" is also "Dana"
            body, separator, place = name.rpartition(" of ")
            if separator and " " in body and place[:1].isupper() and " " not in place.strip():
                if any(_bare(word) in ORG_WORDS - {"of", "the", "and"} for word in body.split()):
                    self.short_keys.setdefault(speaker_key(body), set()).add(source.id)
            surname = _person_surname(name)
            if surname:
                self.surnames.setdefault(surname, set()).add(source.id)
            role, separator, place = speaker_key(name).partition(" of ")
            if separator and role in _KNOWN_ROLES:
                self.country_roles.setdefault(ROLE_SYNONYMS.get(role, role), []).append((place, source.id))

    def find(self, key: str) -> int | None:
        """A source by name or alias key; else by a name without its closing "of <Country>", when only one has it."""
        found = self.keys.get(key)
        if found is not None:
            return found
        short = self.short_keys.get(key, set())
        return next(iter(short)) if len(short) == 1 else None

    def surname(self, word: str) -> int | None:
        found = self.surnames.get(_bare(word), set())
        return next(iter(found)) if len(found) == 1 else None

    def country_role(self, role: str, modifier: str) -> int | None:
        found = {source_id for place, source_id in self.country_roles.get(role, []) if _same_country(modifier, place)}
        return next(iter(found)) if len(found) == 1 else None


_KNOWN_ROLES = (TITLE_HEADS - HONORIFICS) | {
    "prime minister",
    "foreign minister",
    "interior minister",
    "defence minister",
    "defense minister",
    "health minister",
    "head of state",
    "head of government",
}


# Singular role nouns a report may describe one named person by ("the activist", "a consultant").
_ROLE_NOUNS = TITLE_HEADS | {word for word in GENERIC_NOUNS if not word.endswith("s") or word.endswith("ss")} - {
    "police",
    "people",
}


class SpeakerResolver:
    """Resolves the speakers of the reports in one transaction, adding sources for names it does not know."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.index = SourceIndex.of(registry.all())
        self.added = 0

    def for_report(self, report_id: int, source: Source | None, text: str) -> ReportSpeakers:
        return ReportSpeakers(self, report_id, source, text)

    def add(self, name: str, phrase: str, report_id: int, report_source: Source | None) -> int:
        """A new source of kind "unknown" for a name, recorded in custody by the registry."""
        name = name[:_MAX_NAME]
        existing = self.index.find(speaker_key(name))
        if existing is not None:
            return existing
        where = f"report #{report_id}" + (f" ({report_source.name})" if report_source else "")
        notes = f"Added by extraction: named as {phrase!r} in {where}."
        source, _ = self.registry.upsert(SourceRecord(name=name, kind="unknown", notes=notes))
        source.details = {**source.details, "added_by": "extract", "report_id": report_id, "phrase": phrase}
        self.index.add(source)
        self.added += 1
        return source.id


@dataclass
class _Binding:
    position: int
    key: str
    source_id: int


class ReportSpeakers:
    """Resolution inside one report: what it has named so far, for titles, surnames and pronouns to refer back to."""

    def __init__(self, resolver: SpeakerResolver, report_id: int, source: Source | None, text: str) -> None:
        self.resolver = resolver
        self.index = resolver.index
        self.report_id = report_id
        self.source = source
        self.bindings: list[_Binding] = []
        self.people: list[tuple[int, int]] = []  # (position, source id) of speakers pronouns may mean
        self.described: dict[str, set[int]] = {}  # role noun -> the named sources the report describes by it
        self._scan(text)

    # -- what the report names ------------------------------------------------------------------

    def _scan(self, text: str) -> None:
        """Bind every titled or full name of a registered source that the text mentions, where it mentions it."""
        for match in _CAPITALISED_RUN.finditer(text):
            run = match.group(0)
            source_id = self.index.find(speaker_key(run))
            if source_id is None:
                title, name = split_title(run)
                if not title:
                    continue
                source_id = self._named(" ".join(name), match.start())
                if source_id is None:
                    continue
            self._bind(run, source_id, match.start())
            self._describe(source_id, text[match.end() : match.end() + _MAX_APPOSITION])

    def _describe(self, source_id: int, after: str) -> None:
        """Note the role a named source is described by: the role its registry name carries ("Dana (activist)")
        and one given in apposition right after the name ("Alan Whitcombe, a Toronto-based consultant")."""
        roles = set()
        carried = _PARENTHESIS.search(self.index.sources[source_id].name)
        if carried:
            roles.add(_bare(carried.group(0)))
        apposition = _APPOSITION.match(after)
        if apposition:
            roles.add(_bare(apposition.group(1)))
        for role in roles & _ROLE_NOUNS:
            self.described.setdefault(role, set()).add(source_id)

    def _bind(self, phrase: str, source_id: int, position: int) -> None:
        """Remember the roles and surname a naming phrase gives, from ``position`` on."""
        title, name = split_title(phrase)
        keys: set[str] = set()
        role, separator, _place = speaker_key(phrase).partition(" of ")
        if separator and role in _KNOWN_ROLES:
            keys.add("role:" + ROLE_SYNONYMS.get(role, role))
        role = _role(title) if title else None
        if role:
            keys.update({"role:" + role, "role:" + role.split()[-1]})
        # A lone word is a surname only after a title ("President Tokayev"); "Akorda" is not one.
        surname = _person_surname(" ".join(name)) if len(name) > 1 else (_bare(name[0]) if title else None)
        if surname:
            keys.add("name:" + surname)
        self.bindings.extend(_Binding(position, key, source_id) for key in keys)

    def _bound(self, key: str, position: int) -> int | None:
        found = [binding for binding in self.bindings if binding.key == key and binding.position <= position]
        return found[-1].source_id if found else None

    def _named(self, name: str, position: int) -> int | None:
        """A name without its title: by registry key, a surname named earlier here, or a unique registered surname."""
        source_id = self.index.find(speaker_key(name))
        if source_id is not None:
            return source_id
        words = name.split()
        if len(words) == 1:
            return self._bound("name:" + _bare(words[0]), position) or self.index.surname(words[0])
        return None

    # -- resolving one speaker ------------------------------------------------------------------

    def resolve(self, speaker: Speaker, position: int) -> Resolution:
        """Decide which source ``speaker`` is, for a claim whose sentence starts at ``position``."""
        resolution = self._resolve(speaker, position)
        own = self.source.id if self.source is not None else None
        if resolution.source_id is not None and resolution.source_id != own:
            self.people.append((position, resolution.source_id))
        return resolution

    def _resolve(self, speaker: Speaker, position: int) -> Resolution:
        phrase = " ".join(speaker.name.split()).strip(_PUNCTUATION)
        if speaker.anonymous:
            return Resolution(None, "anonymous")
        if not phrase:
            return Resolution(self.source.id if self.source else None, "report source")
        key = speaker_key(phrase)
        words = key.split()
        if key in PRONOUNS:
            before = [source_id for at, source_id in self.people if at <= position]
            return Resolution(before[-1], "pronoun") if before else Resolution(None, "unresolved pronoun")
        if phrase.split()[0] in SELF_WORDS:
            return Resolution(self.source.id if self.source else None, "report source")
        source_id = self.index.find(key)
        if source_id is not None:
            self._bind(phrase, source_id, position)
            return Resolution(source_id, "registry")
        staff = self._staff(phrase)
        if staff is not None:
            return Resolution(staff, "staff of a source")
        national = self._national_body(phrase)
        if national is not None:
            self._bind(phrase, national, position)
            return Resolution(national, "a country's body")
        title, name = split_title(phrase)
        if title:
            source_id = self._named(" ".join(name), position)
            if source_id is not None:
                self._bind(phrase, source_id, position)
                return Resolution(source_id, "title and name")
        elif len(words) == 1 and _is_capitalised(phrase):
            source_id = self._bound("name:" + words[0], position)
            if source_id is not None:
                return Resolution(source_id, "named earlier in the report")
            source_id = self.index.surname(words[0])
            if source_id is not None:
                return Resolution(source_id, "surname")
        role = role_phrase(phrase)
        if role is not None:
            source_id = self._bound("role:" + role, position)
            if source_id is not None:
                return Resolution(source_id, "named earlier in the report")
            modifier = _modifier(phrase)
            source_id = self.index.country_role(role, modifier) if modifier else None
            if source_id is not None:
                return Resolution(source_id, "role of a country")
        if _is_generic(phrase):
            described = self._described(phrase)
            if described is not None:
                return Resolution(described, "described so in the report")
            return Resolution(self._generic(phrase), "description scoped to the report's source")
        new_name = " ".join(name)  # without its title or article: "the Kremlin" is "Kremlin"
        source_id = self.resolver.add(new_name, phrase, self.report_id, self.source)
        self._bind(phrase, source_id, position)
        return Resolution(source_id, "new source")

    def _described(self, phrase: str) -> int | None:
        """ "The activist", "an activist" or a headline's "Activist": the one named source this report
        describes by that role, anywhere in it (a headline speaks of her before the text names her)."""
        head = _described_words(phrase)
        if len(head) != 1:
            return None
        found = self.described.get(_bare(head[0]), set())
        return next(iter(found)) if len(found) == 1 else None

    def _national_body(self, phrase: str) -> int | None:
        """ "Qadria's health ministry": the registry's body of that name, when it belongs to that country."""
        owner, rest = _possessive(phrase)
        if not rest or not owner.split() or not _is_capitalised(owner.split()[-1]):
            return None
        source_id = self.index.find(speaker_key(rest))
        country = self.index.sources[source_id].country if source_id is not None else None
        if country and _same_country(_bare(owner), country.casefold()):
            return source_id
        return None

    def _staff(self, phrase: str) -> int | None:
        """ "RFE/RL's Kazakh Service" or "Meduza's correspondent": the outlet itself."""
        owner, rest = _possessive(phrase)
        if not rest.split():
            return None
        if _bare(rest.split()[-1]) not in STAFF_WORDS:
            return None
        if owner.strip() in SELF_WORDS:
            return self.source.id if self.source else None
        return self.index.find(speaker_key(owner))

    def _generic(self, phrase: str) -> int:
        """The source for a description, named after it and scoped to the report's source."""
        words = phrase.split()
        first = _bare(words[0])
        article = first in ARTICLES or first in {"one", "another"}
        if article or first in {"some", "several", "many", "other"}:
            words = words[1:] or words
        if _bare(words[0]) in GENERIC_NOUNS | TITLE_HEADS:
            words[0] = words[0].lower()  # "Activist" in a headline is "the activist" in the text
            article = article or not words[0].endswith("s")
        core = " ".join(words)[:_MAX_GENERIC]
        scope = self.source.name if self.source is not None else f"report #{self.report_id}"
        return self.resolver.add(f"{'the ' if article else ''}{core} ({scope})", phrase, self.report_id, self.source)

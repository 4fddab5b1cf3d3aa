"""Who asserts a sentence, and through whom it reached the report.

Attribution is read from the dependency parse: verbs of saying with their subjects ("X
said", "said X"), addressees ("X told Y"), passives ("X was quoted by Y as saying", "we are
told"), "according to X", and "Y reported, citing X". A frame inside the reported clause of
another is nested inside it ("RT reports that the ministry said ..."). Speakers are returned
as the report names them; pronouns and bare descriptions ("she", "the ministry") are resolved
against the speakers named earlier in the same report (``Mentions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from corroborator.extract.claims import Speaker

SPEECH_VERBS = frozenset(
    """say says said saying tell tells told telling report reports reported reporting claim claims claimed claiming
    state states stated announce announces announced add adds added confirm confirms confirmed deny denies denied
    denying insist insists insisted write writes wrote post posts posted explain explains explained allege alleges
    alleged warn warns warned acknowledge acknowledged admit admits admitted note notes noted quote quotes quoted
    cite cites cited citing assert asserts asserted declare declares declared estimate estimated testify testified
    recount recounted recall recalled describe describes described blame blames blamed accuse accuses accused
    question questions questioned maintain maintains maintained argue argues argued tweet tweeted""".split()
)
# Verbs whose object is the speaker cited ("citing X", "quoting X").
_CITING = frozenset({"citing", "cite", "cites", "cited", "quoting"})
_ANONYMOUS_HEADS = frozenset(
    """source sources insider insiders official officials someone somebody people person persons media
    diplomat diplomats""".split()
)
_BODY_LABELS = frozenset({"ORG", "PERSON", "GPE"})
_GENERIC_ADDRESSEES = frozenset(
    """reporters journalists us me him her them you press correspondents media television audience crowd
    listeners viewers supporters parliament""".split()
)
_ROLE_WORDS = frozenset(
    """spokesman spokeswoman spokesperson secretariat service office representative representatives press
    statement""".split()
)
_HUMAN_NOUNS = frozenset(
    """activist activists woman women man men nurse doctor driver resident residents witness witnesses student
    students teacher protester protesters spokesman spokeswoman spokesperson correspondent journalist consultant
    analyst expert official officer soldier survivor mother father president minister governor mayor commander
    medic paramedic farmer shopkeeper owner worker""".split()
)
_SUBORDINATE = frozenset({"as", "after", "before", "when", "while", "since", "because", "until", "if"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass
class Mentions:
    """Speakers and people named so far in one report, newest last, for resolving references."""

    names: list[tuple[str, bool]] = field(default_factory=list)  # (phrase, is a person)

    def add(self, phrase: str, person: bool) -> None:
        self.names.append((phrase, person))

    def last_person(self) -> str | None:
        return next((name for name, person in reversed(self.names) if person), None)

    def last_body(self) -> str | None:
        return next((name for name, person in reversed(self.names) if not person), None)

    def containing(self, noun: str) -> str | None:
        pattern = re.compile(rf"\b{re.escape(noun)}\b", re.IGNORECASE)
        for name, _ in reversed(self.names):
            if pattern.search(name) and _ARTICLE.sub("", name).lower() != noun.lower():
                return name
        return None


@dataclass(frozen=True)
class Attribution:
    chain: list[Speaker]  # origin first, report source last
    claimant: Speaker
    quote: str | None  # "direct", "indirect" or None


@dataclass(frozen=True)
class _Frame:
    verb: Token
    speakers: list[Speaker]  # origin first, the frame's own outer links after


def _phrase(head: Token) -> Span:
    """The noun phrase of a speaker without relative clauses, appositions and trailing modifiers."""
    drop = {"relcl", "appos", "acl", "punct", "cc", "conj", "advcl", "prep", "case"}
    keep = [head]
    stack = list(head.children)
    while stack:
        tok = stack.pop()
        if tok.dep_ in drop and not (tok.dep_ == "prep" and tok.lower_ == "of" and tok.head == head):
            continue
        keep.append(tok)
        stack.extend(tok.children)
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    return head.doc[start:end]


def _name_of(head: Token) -> tuple[str, bool, bool]:
    """(naming phrase, anonymous, is a person) for the speaker headed by ``head``."""
    span = _phrase(head)
    doc = head.doc
    persons = [e for e in doc.ents if e.label_ == "PERSON" and e.start >= span.start and e.end <= span.end]
    if persons:
        return persons[-1].text, False, True
    bodies = [e for e in doc.ents if e.label_ in {"ORG", "GPE"} and e.start >= span.start and e.end <= span.end]
    head_word = head.lower_
    if bodies and head_word in _ROLE_WORDS | _ANONYMOUS_HEADS and head_word not in {"media", "people"}:
        orgs = [e for e in bodies if e.label_ == "ORG"]
        if orgs:
            return _clean(orgs[0].text), False, False
    text = _clean(span.text)
    if head_word in _ANONYMOUS_HEADS and not (bodies and head_word in {"official", "officials"}):
        return text, True, False
    return text, False, head_word in _HUMAN_NOUNS or head.ent_type_ == "PERSON"


def _clean(text: str) -> str:
    text = text.strip(" ,;:\"“”'’()")
    text = _POSSESSIVE.sub("", text)
    return _ARTICLE.sub(lambda m: m.group(0).lower(), text)


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def _speaker_head(verb: Token) -> Token | None:
    for dep in ("nsubj", "nsubjpass"):
        for child in verb.children:
            if child.dep_ == dep:
                return _closest_apposition(child, verb)
    # "saying", "adding": the subject is the governing verb's
    if verb.dep_ in {"advcl", "xcomp", "conj", "acl"} and verb.head != verb:
        return _speaker_head(verb.head)
    return None


def _closest_apposition(subject: Token, verb: Token) -> Token:
    """In "A, among them B, a source told RT" the parser often makes B the subject and the
    source its apposition; the phrase right before the verb after a comma is the speaker."""
    doc = subject.doc
    appositions = [c for c in subject.children if c.dep_ == "appos" and subject.i < c.i < verb.i]
    after_content = subject.left_edge.i > 0 and doc[subject.left_edge.i - 1].text == ","
    if appositions and after_content and doc[appositions[-1].left_edge.i - 1].text == ",":
        return appositions[-1]
    return subject


def _children(verb: Token, *deps: str) -> list[Token]:
    return [c for c in verb.children if c.dep_ in deps]


class Attributor:
    """Attribution of sentences of one report; keeps the report's mentions between sentences."""

    def __init__(self, source: str, aliases: tuple[str, ...] = ()) -> None:
        self.source = source
        self._own = {n.lower() for n in (source, *aliases) if n}
        self.mentions = Mentions()

    def _is_source(self, name: str) -> bool:
        low = _ARTICLE.sub("", name).lower()
        return any(low == own or low.startswith(own + "'") or low.startswith(own + "’") for own in self._own)

    def _speaker(self, head: Token) -> Speaker:
        """A speaker with pronouns and bare descriptions resolved against earlier mentions."""
        word = head.lower_
        if word in _PRONOUNS:
            if word in {"we", "i"}:
                return Speaker(self.source)
            if word == "it":
                return Speaker(self.mentions.last_body() or self.source)
            if word == "they":
                return Speaker(self.mentions.last_body() or self.mentions.last_person() or self.source)
            return Speaker(self.mentions.last_person() or self.source)
        name, anonymous, person = _name_of(head)
        if anonymous:
            return Speaker(name, anonymous=True)
        bare = _ARTICLE.sub("", name)
        if name.lower().startswith("the ") and len(bare.split()) == 1:
            earlier = self.mentions.containing(bare)
            if earlier:
                return Speaker(earlier)
            if any(re.search(rf"\b{re.escape(bare)}\b", own) for own in self._own):
                return Speaker(self.source)
        self.mentions.add(name, person)
        return Speaker(name)

    def _frame(self, verb: Token) -> _Frame | None:
        low = verb.lower_
        if low in _CITING:
            objs = _children(verb, "dobj", "pobj")
            if not objs:
                return None
            cited = self._speaker(objs[0])
            head = verb.head if verb.dep_ in {"advcl", "xcomp", "conj"} else None
            outer = _speaker_head(head) if head is not None else None
            return _Frame(verb, [cited] + ([self._speaker(outer)] if outer is not None else []))
        if low.startswith("quot") and _is_passive(verb):  # "X was quoted by Y as saying"
            subj = _children(verb, "nsubjpass")
            agents = [p for c in _children(verb, "agent") for p in _children(c, "pobj")]
            links = [self._speaker(s) for s in subj[:1]] + [self._speaker(a) for a in agents[:1]]
            return _Frame(verb, links) if links else None
        if low.startswith("quot"):  # "Y quoted X as saying"
            objs = _children(verb, "dobj")
            subj = _speaker_head(verb)
            links = [self._speaker(o) for o in objs[:1]] + ([self._speaker(subj)] if subj is not None else [])
            return _Frame(verb, links) if links else None
        if _is_passive(verb):  # "we are told", "it was reported"
            subj = _children(verb, "nsubjpass")
            agents = [p for c in _children(verb, "agent") for p in _children(c, "pobj")]
            if agents:
                return _Frame(verb, [self._speaker(agents[0])])
            if subj and subj[0].lower_ in {"we", "it"}:
                return _Frame(verb, [Speaker("anonymous", anonymous=True)])
            return None
        head = _speaker_head(verb)
        if head is None:
            return None
        links = [self._speaker(head)]
        if low.startswith("tel") or low == "told":
            for addressee in _children(verb, "dative", "dobj", "iobj"):
                if addressee.lower_ not in _GENERIC_ADDRESSEES and addressee.pos_ in {"PROPN", "NOUN"}:
                    links.append(self._speaker(addressee))
                    break
        return _Frame(verb, links)

    def _according(self, doc: Doc) -> list[_Frame]:
        frames = []
        for tok in doc:
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                objs = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"] or [
                    c for c in tok.children if c.dep_ == "pobj"
                ]
                if objs:
                    frames.append(_Frame(tok, [self._speaker(objs[0])]))
        return frames

    def frames(self, doc: Doc) -> list[_Frame]:
        """Speech frames of a sentence that govern its main content, outermost first."""
        found = self._according(doc)
        for tok in doc:
            if tok.lower_ not in SPEECH_VERBS or tok.pos_ not in {"VERB", "AUX"}:
                continue
            if tok.dep_ in {"relcl", "amod", "acl", "pcomp", "nsubj", "nsubjpass", "dobj", "pobj", "compound"} and (
                tok.lower_ not in _CITING
            ):
                continue  # "the figure reported by RT": describes a noun, is not this sentence's frame
            if any(c.dep_ == "mark" and c.lower_ in _SUBORDINATE for c in tok.children):
                continue  # "as reported by RT", "after Tokayev blamed": not who asserts the sentence
            frame = self._frame(tok)
            if frame is not None:
                found.append(frame)
        found.sort(key=lambda f: _depth(f.verb))
        return found

    def attribute(self, doc: Doc, inherited: list[Speaker] | None = None, quoted: bool = False) -> Attribution:
        """Chain and claimant of one sentence.

        ``inherited`` is the chain of the frame of a quotation this sentence is part of,
        when the sentence names no speaker itself.
        """
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                self.mentions.add(ent.text, True)
        frames = self.frames(doc)
        quote: str | None = None
        if frames:
            outer = frames[0]
            chain = list(outer.speakers)
            for inner in frames[1:]:
                if _inside(inner.verb, outer.verb):
                    chain = list(inner.speakers) + chain
                    outer = inner
            quote = "direct" if quoted else "indirect"
        elif inherited:
            chain = list(inherited)
            quote = "direct"
        else:
            chain = []
        return self._finish(chain, quote)

    def _finish(self, chain: list[Speaker], quote: str | None) -> Attribution:
        links: list[Speaker] = []
        for speaker in chain:
            if self._is_source(speaker.name):
                continue
            if links and links[-1].name.lower() == speaker.name.lower():
                continue
            links.append(speaker)
        links.append(Speaker(self.source))
        claimant = next((s for s in links if not s.anonymous), links[-1])
        return Attribution(links, claimant, quote)


def _depth(token: Token) -> int:
    depth = 0
    while token.head != token:
        token = token.head
        depth += 1
    return depth


def _inside(inner: Token, outer: Token) -> bool:
    """True when ``inner`` lies in the clause ``outer`` governs (its reported content)."""
    token = inner
    while token.head != token:
        if token.head == outer:
            return True
        token = token.head
    return False

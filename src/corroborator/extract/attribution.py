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
from corroborator.extract.nlp import NOUNS, PROPER_NOUNS, VERBS
from corroborator.extract.places import PLACE_NAME

SPEECH_VERBS = frozenset(
    """say says said saying tell tells told telling report reports reported reporting claim claims claimed claiming
    state states stated announce announces announced add adds added confirm confirms confirmed deny denies denied
    denying insist insists insisted write writes wrote post posts posted explain explains explained allege alleges
    alleged warn warns warned acknowledge acknowledged admit admits admitted note notes noted quote quotes quoted
    cite cites cited citing assert asserts asserted declare declares declared estimate estimated testify testified
    recount recounted recall recalled describe describes described blame blames blamed accuse accuses accused
    question questions questioned maintain maintains maintained argue argues argued tweet tweeted reject rejects
    rejected dismiss dismisses dismissed learned learnt call calls called quoting speak speaks spoke spoken
    caution cautions cautioned stress stresses stressed concede concedes conceded complain complains complained
    emphasise emphasised emphasize emphasized repeat repeats repeated reiterate reiterates reiterated""".split()
)
# Verbs whose object is the speaker cited ("citing X", "quoting X").
_ANONYMITY = re.compile(
    r"condition\s+of\s+anonymity|not\s+authori[sz]ed\s+to\s+speak|"
    r"(?:asked|asking|declined|declining|refused|refusing|did\s+not\s+want|not\s+wishing)\s+(?:not\s+)?to\s+be\s+"
    r"(?:named|identified)",
    re.IGNORECASE,
)
_NEVER_NAMED = frozenset(
    """source sources insider insiders official officials investigator investigators prosecutor prosecutors""".split()
)
_CITING = frozenset({"citing", "cite", "cites", "cited", "quoting"})
_ANONYMOUS_HEADS = frozenset(
    """source sources insider insiders official officials someone somebody people person persons media
    diplomat diplomats investigators""".split()
)
_GENERIC_ADDRESSEES = frozenset(
    """reporters journalists us me him her them you press correspondents audience crowd
    listeners viewers supporters parliament news programme program broadcast bulletin session meeting conference
    briefing cabinet lawmakers deputies""".split()
)
_STATEMENT_WORDS = frozenset(
    """statement statements communique release report reports announcement tally count figures data list lists
    records register rumours rumors document documents copy note memo letter manifest assessment estimate
    estimates log logs logbook findings survey information""".split()
)
# Statement words that, with nobody behind them, are nobody accountable: "according to unconfirmed reports".
_HEARSAY = frozenset({"report", "reports", "rumours", "rumors"})
# Staff of the report's own source: "our correspondent", "the agency's correspondent", "this channel".
_OUTLET_NOUNS = r"agency|channel|newspaper|paper|site|station|broadcaster|outlet"
_OWN_STAFF = re.compile(
    rf"^(?:our|this|we)\b|^(?:the\s+)?(?:{_OUTLET_NOUNS})(?:['’]s)?\b"
    r"(?:\s+(?:own\s+)?(?:correspondents?|reporters?|journalists?|staff|team|sources?))?$",
    re.IGNORECASE,
)
_BARE_OUTLET = re.compile(rf"^(?:the\s+)?({_OUTLET_NOUNS})$", re.IGNORECASE)
# Nouns that name a body, not a person: "the authority said" points back to a body named before.
_BODY_NOUNS = frozenset(
    """agency ministry authority office cooperative union company council service department commission committee
    government army police court prosecutor's institute association federation centre center league network
    observatory mission""".split()
)
_OWN_STAFF_BEFORE = re.compile(
    r"\b(?:our|this\s+(?:agency|channel|newspaper|paper|site|station)['’]s)\s+(?:own\s+)?(?:\w+\s+)?"
    r"(?:correspondents?|reporters?|journalists?|photographers?|cameraman|camerawoman|stringer)\s*,?\s*$",
    re.IGNORECASE,
)
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "appos", "ROOT"})
_STAFF = frozenset(
    """correspondent correspondents reporter reporters journalist journalists photographer staff team crew
    tally count""".split()
)
_NEGATIVE_SUBJECTS = frozenset({"nobody", "none", "no-one", "nothing", "noone"})
# Findings are nobody's word: "tests confirmed", "forensic examinations showed" are told by who reports them.
_FINDINGS = frozenset(
    """test tests examination examinations analysis analyses result results autopsy autopsies post-mortem
    post-mortems sample samples""".split()
)
# Verbs of saying whose direct object is what is said or characterised ("denied reports", "reported dozens
# of deaths", "described the engineers as saboteurs"); the others need a reported clause.
_OBJECT_SPEECH = frozenset(
    """report reports reported deny denies denied reject rejects rejected dismiss dismisses dismissed describe
    describes described call calls called claim claims claimed confirm confirms confirmed blame blames blamed
    accuse accuses accused estimate estimated question questioned""".split()
)
# "puts the death toll at", "raised its death toll to": a figure announced is a figure claimed.
_FIGURE_VERBS = frozenset({"put", "puts", "putting", "raised", "raises", "revised", "lowered", "updated", "gave"})
_FIGURES = frozenset(
    {"toll", "number", "figure", "count", "tally", "estimate", "figures", "numbers", "statistics", "records"}
)
# Verbs by which an outlet publishes ("aired what it called a confession"), with the outlet as subject.
_PUBLISHING = frozenset({"aired", "airs", "broadcast", "broadcasts", "published", "publishes", "showed", "shows"})
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
# The plain verbs of saying, whose reported clause the parser most often hangs somewhere else.
_SAY_TELL = frozenset({"tell", "tells", "told", "say", "says", "said"})
# Relatives and friends a witness speaks of ("my cousin"): people a later "he" or "she" may be.
_KIN = frozenset(
    """husband wife brother sister cousin son daughter father mother uncle aunt nephew niece friend neighbour
    neighbor colleague""".split()
)
_NOT_FRAME_DEPS = frozenset({"relcl", "amod", "acl", "pcomp", "nsubj", "nsubjpass", "dobj", "pobj", "compound"})
_CLAUSE_BREAKS = frozenset({"while", "whereas", "but"})
_TITLES = frozenset(
    """president prime minister premier chancellor king queen governor mayor general gen. colonel col. commander
    chief head state leader spokesman spokeswoman spokesperson senator ambassador secretary captain lieutenant
    sergeant inspector superintendent professor judge""".split()
)
# A title before capitalised words names a person: "President Kassym-Jomart Tokayev".
_TITLED_NAME = re.compile(
    r"\b(?:President|Prime\s+Minister|Premier|Minister|Chancellor|King|Queen|Governor|Mayor|General|Gen\.|"
    r"Colonel|Col\.|Commander|Captain|Capt\.|Lieutenant|Lt\.|Major|Sergeant|Sgt\.|Inspector|Superintendent|"
    r"Professor|Prof\.|Judge|Senator|Ambassador|Secretary|Spokesman|Spokeswoman|Spokesperson|Dr\.?|Mr\.?|Mrs\.?|"
    r"Ms\.?)\s+(?P<name>(?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+)"
)
_GIVEN_NAME = re.compile(
    r"\b(?:gave|giving|gives|identified)\s+(?:(?:his|her|their)\s+(?:first\s+)?name\s+|(?:him|her)self\s+)"
    r"(?:only\s+)?as\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)
# "members of the hospital staff", "one of the officials": the speakers are those of the of-phrase.
_PART_OF_GROUP = frozenset(
    """member members one some many most several all two three four five six seven eight nine ten dozens
    scores hundreds group""".split()
)
# An unnamed spokesperson or officer is an unnamed official (conventions 2 and 13): "a coastguard spokesman",
# "the officer at the gate" are nobody accountable.
_UNNAMED_OFFICIALS = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative", "officer", "inspector"})
_OUTLET_WORDS = frozenset(
    {"television", "tv", "channel", "agency", "radio", "newspaper", "site", "media", "broadcaster"}
)
# Verbs of saying that, inside what someone else reports, are the reported deed itself: in "Holt said
# her group had warned the company" the claim is Holt's, and that it warned is its content.
_DEEDS = frozenset(
    """warn warns warned accuse accuses accused blame blames blamed describe describes described call calls called
    question questions questioned recall recalled recount recounted explain explains explained testify testified
    admit admits admitted acknowledge acknowledged write writes wrote""".split()
)
# A frame under one of these speaks of the future or of what may be, not of what was said.
_MODALS = frozenset({"will", "would", "shall", "'ll", "may", "might", "should", "must"})
_CLOSING_QUOTES = frozenset({"”", "''", '"'})
_HOMOGRAPHS = frozenset({"claims", "reports", "states", "notes", "quotes", "estimates", "calls"})
_REJECTING = frozenset({"reject", "rejects", "rejected", "dismiss", "dismisses", "dismissed"})
_ORGANISATION = re.compile(
    r"\b(?:Ministry|Agency|Office|Alliance|Relief|Press|News|Television|TV|Company|Council|Party|Group|Service|"
    r"Department|Court|Police|Army|Committee|Mission|Organi[sz]ation|Union|Association|Fund|Institute|Commission|"
    r"Authority|Guard|Forces|Media|Radio|Government|Staff|Hydro|Wire|Dispatch|Telegraph)\b"
)
_SUBORDINATE = frozenset({"as", "after", "before", "when", "since", "because", "until", "if"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
# "Its statement said", "their figures show": the owner pointed back to, as the pronoun would be.
_POSSESSIVE_PRONOUNS = {"its": "it", "their": "they", "his": "he", "her": "she", "our": "we", "my": "i"}
# Words whose owner speaks through them, and nouns that can name an owner who answers for a statement.
_OWNED_WORDS = _STATEMENT_WORDS | _FIGURES
_ACCOUNTABLE_NOUNS = _BODY_NOUNS | _HUMAN_NOUNS | _OUTLET_WORDS | _KIN
_NOT_SPEAKERS = _NEGATIVE_SUBJECTS | _FINDINGS
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass
class Mentions:
    """Speakers and people named so far in one report, newest last, for resolving references."""

    # (name, is a person, the words around the name when first seen: "kazakh president kassym-jomart tokayev")
    names: list[tuple[str, bool, str]] = field(default_factory=list)

    def add(self, name: str, person: bool, context: str = "") -> None:
        self.names.append((name, person, (context or name).lower()))

    def last_person(self) -> str | None:
        return next((name for name, person, _ in reversed(self.names) if person), None)

    def last_body(self) -> str | None:
        return next((name for name, person, _ in reversed(self.names) if not person), None)

    def containing(
        self, noun: str, unnamed: frozenset[str] = frozenset(), required: tuple[str, ...] = ()
    ) -> str | None:
        """The newest fuller name whose wording includes ``noun`` ("ministry", "president"), or the
        newest of the ``unnamed`` speakers that does ("the doctor" after "a doctor who asked not to be named").

        A body ("the authority") is first looked for among the bodies named, so that a spokeswoman
        introduced as "Disaster Management Authority spokeswoman Hester Brandvold" does not stand in
        for her authority. Every word of ``required`` must be in the name's wording too."""
        pattern = re.compile(rf"\b{re.escape(noun)}\b", re.IGNORECASE)
        names = [(n, p, c) for n, p, c in reversed(self.names) if all(w in c.split() for w in required)]
        if noun.lower() in _BODY_NOUNS:
            for name, person, _ in names:
                if not person and pattern.search(name) and _ARTICLE.sub("", name).lower() != noun.lower():
                    return name
        for name, _, context in names:
            if pattern.search(context) and (name in unnamed or _ARTICLE.sub("", name).lower() != noun.lower()):
                return name
        return None

    def full_name(self, surname: str) -> str | None:
        """The person named in full earlier whose name ends in ``surname`` ("Tokayev")."""
        for name, person, _ in reversed(self.names):
            if person and name != surname and name.split()[-1] == surname:
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


# Titles that are nothing without their "of": "the head of state", "the chief of staff".
_HEAD_OF = frozenset({"head", "heads", "chief", "chiefs"})
_TIME_NOUNS = frozenset(
    {"morning", "afternoon", "evening", "night", "day", "week", "month", "year", "today", "yesterday", "tonight"}
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)


def _phrase(head: Token) -> Span:
    """The noun phrase of a speaker without relative clauses, appositions and trailing modifiers."""
    drop = {"relcl", "appos", "acl", "punct", "cc", "conj", "advcl", "prep", "case"}
    keep = [head]
    stack = list(head.children)
    while stack:
        tok = stack.pop()
        if (
            tok.dep_ in drop
            and not (
                tok.dep_ == "prep"
                and tok.lower_ == "of"
                and tok.head == head
                and (
                    (_proper_of(tok) and not _personal_name(head.doc[head.left_edge.i : head.i + 1]))
                    or head.tag_ == "CD"
                    or head.lower_ in _HEAD_OF
                )
            )
            and not (tok.dep_ == "prep" and tok.lower_ == "to" and tok.head.lower_ in {"next", "close"})
        ) or (tok.dep_ == "poss" and tok.head == head and tok.tag_ in PROPER_NOUNS and _named_person(head)):
            # keeps "Ministry of Emergency Situations", "two of his colleagues", "a man next to me";
            # drops the body a person is "of" ("Lise Amundsen of Open Hands Medical")
            continue
        keep.append(tok)
        stack.extend(tok.children)
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    return head.doc[start:end]


def _named_person(head: Token) -> bool:
    """ "Lise Amundsen" in "Open Hands Medical's Lise Amundsen": a person's name, whose body is dropped."""
    first = [c for c in head.children if c.dep_ == "compound" and c.tag_ in PROPER_NOUNS and c.i == head.i - 1]
    return bool(first) and _personal_name(head.doc[first[0].i : head.i + 1])


def _proper_of(prep: Token) -> bool:
    """ "Ministry of Emergency Situations", "residents of Halsk": an "of" that belongs to a name."""
    return any(c.dep_ == "pobj" and c.tag_ in PROPER_NOUNS for c in prep.children)


def _apposed_name(head: Token) -> Token | None:
    """The proper name set beside a description: "the regional governor, Ilse Marr," and "the aid
    group Bridgewell Relief"."""
    if head.tag_ == "NNS":
        return None  # "Lawyers for the engineer, Pavel Mirek,": the name is the engineer's
    for child in head.children:
        if child.dep_ == "appos" and child.tag_ in PROPER_NOUNS:
            return child
    for prep in head.children:  # "the mayor of Selvan, Rena Ost,": the parser hangs the name on the place
        for place in (c for c in prep.children if prep.lower_ == "of" and c.dep_ == "pobj"):
            for child in place.children:
                if child.dep_ == "appos" and child.tag_ in PROPER_NOUNS and _personal_name(_phrase(child)):
                    return child
    if head.tag_ not in PROPER_NOUNS and head.i + 1 < len(head.doc):
        nxt = head.doc[head.i + 1]
        if nxt.tag_ in PROPER_NOUNS and nxt.head.i > head.i and nxt.text[:1].isupper():
            return nxt.head if nxt.head.tag_ in PROPER_NOUNS else nxt
    return None


def _group_behind(head: Token) -> Token:
    """ "Members of the hospital staff", "one of the officials": the group the speakers belong to."""
    if head.lower_ not in _PART_OF_GROUP:
        return head
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
        group = next((c for c in prep.children if c.dep_ == "pobj" and c.tag_ in NOUNS), None)
        if group is not None:
            return group
    return head


def _unnamed_spokesperson(head: Token) -> bool:
    """ "A coastguard spokesman", "a spokeswoman for the ministry", "a police officer": an official with no name given.

    Only with the indefinite article: "the spokesman" usually points back to one named before.
    """
    return (
        head.lower_ in _UNNAMED_OFFICIALS
        and any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in head.children)
        and _apposed_name(head) is None
        and not _GIVEN_NAME.search(head.doc[head.i : head.right_edge.i + 1].text)
    )


def _described(head: Token) -> str:
    """What the sentence says of a speaker: its own phrase and, for the subject of a verb of saying,
    the clauses hung on that verb ("a doctor told Halyard, asking not to be named")."""
    doc = head.doc
    parts = [doc[head.left_edge.i : head.right_edge.i + 1].text]
    if head.dep_ in ("nsubj", "nsubjpass"):
        parts += [doc[c.left_edge.i : c.right_edge.i + 1].text for c in head.head.children if c.dep_ == "advcl"]
    return " ".join(parts)


def _name_of(head: Token) -> tuple[str, bool, bool]:
    """(naming phrase, anonymous, is a person) for the speaker headed by ``head``."""
    doc = head.doc
    one = head if head.lower_ == "one" else None
    head = _group_behind(head)
    if _unnamed_spokesperson(head):
        return _clean(_phrase(head).text), True, True
    if (
        one is not None
        and head is not one
        and head.tag_ in NOUNS
        and head.lower_ not in _ANONYMOUS_HEADS | _NEVER_NAMED
    ):
        return _clean(_phrase(one).text), False, True  # "one of the staff said": one of them, not all
    if head.lower_ in _STATEMENT_WORDS:  # "according to a ministry statement": the ministry
        owner = _statement_owner(head)
        if owner is not None:
            head = _group_behind(owner)
            if _unnamed_spokesperson(head):  # "a note signed by a police officer"
                return _clean(_phrase(head).text), True, True
        elif head.lower_ in _HEARSAY:
            return _clean(_phrase(head).text), True, False
    apposed = _apposed_name(head) if head.lower_ not in _ANONYMOUS_HEADS else None
    if apposed is not None:
        head = apposed
    span = _phrase(head)
    given = _GIVEN_NAME.search(doc[head.i : head.right_edge.i + 1].text)
    if given:  # "a woman who gave her name only as Mira"
        return given.group("name"), False, True
    titled = _TITLED_NAME.search(span.text)
    if titled and not _ORGANISATION.search(titled.group(0)):  # "the General Staff" is not a general
        return titled.group("name"), False, True
    head_word = head.lower_
    if head_word in _NEVER_NAMED or _ANONYMITY.search(_described(head)):
        # "Free Voice's sources", "officials", "sources in the ministry": nobody accountable
        return _clean(span.text), True, False
    body = _organisation_in(span)
    if body and head_word in _ROLE_WORDS:  # "the CSTO secretariat", "the ministry's press service"
        return body, False, False
    if head.tag_ in PROPER_NOUNS:  # "the opposition Civic Alliance": the name, not its description
        run = next((r for r in _proper_runs(span) if r.start <= head.i < r.end), None)
        if run is not None:
            start = run.start
            while start > span.start and doc[start - 1].text[:1].isupper():
                start -= 1  # "Osmian Foreign Ministry", "Kazakh President": capitalised words belong to it
            before = [t for t in doc[span.start : start] if t.lower_ not in {"the", "a", "an"}]
            # "the opposition Civic Alliance", "Hospital director Anton Vey": a lower-case word before the name
            if before and (not any(t.text[:1].isupper() for t in before) or before[-1].text.islower()):
                name = doc[start : run.end]
                return _clean(name.text), False, _personal_name(name)
    text = _clean(span.text)
    if head_word in _ANONYMOUS_HEADS:
        return text, True, False
    return text, False, head_word in _HUMAN_NOUNS or _personal_name(span)


def _statement_owner(statement: Token) -> Token | None:
    """Who stands behind a statement, list or report: "a ministry statement", "the army's figures",
    "a list compiled by the families", "reports from the governor's office"."""
    for child in statement.children:
        if child.dep_ == "poss" and child.tag_ in NOUNS:
            return child
    for child in statement.children:
        if child.dep_ == "acl":  # "compiled by", "issued by"
            agents = [p for a in child.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
            if agents:
                return agents[0]
        if child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            objects = [p for p in child.children if p.dep_ == "pobj"]
            if objects:
                return objects[0]
    for child in statement.children:  # "a ministry statement"; after "by": "a village-by-village count by X"
        if child.dep_ in {"compound", "nmod"} and child.tag_ in NOUNS and _accountable(child):
            return child  # "satellite data" is nobody's word
    return None


def _accountable(noun: Token) -> bool:
    """Whether a noun can name someone who answers for a statement: a name, a body or a person."""
    return noun.tag_ in PROPER_NOUNS or noun.lower_ in _ACCOUNTABLE_NOUNS


def _interviewer(verb: Token) -> Token | None:
    """Who a speaker spoke to: "in an interview with X", "speaking to X" (not reporters in general)."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            for talk in (c for c in child.children if c.dep_ == "pobj" and c.lower_ in {"interview", "conversation"}):
                for prep in (c for c in talk.children if c.dep_ == "prep" and c.lower_ == "with"):
                    return next((p for p in prep.children if p.dep_ == "pobj"), None)
        if child.dep_ == "advcl" and child.lower_ == "speaking":
            for prep in (c for c in child.children if c.dep_ == "prep" and c.lower_ == "to"):
                heard = next((p for p in prep.children if p.dep_ == "pobj"), None)
                if heard is not None and heard.lower_ not in _GENERIC_ADDRESSEES:
                    return heard
    return None


def _relayed_by(speaker: Token) -> Token | None:
    """ "witnesses quoted by X", "residents cited by X": the outlet that relayed the speaker."""
    for child in speaker.children:
        if child.dep_ == "acl" and child.lower_ in {"quoted", "cited", "interviewed"}:
            for agent in (c for c in child.children if c.dep_ == "agent"):
                return next((p for p in agent.children if p.dep_ == "pobj"), None)
    return None


def _ownerless_figures(head: Token) -> bool:
    """ "according to preliminary data": figures nobody is named for are the report's own."""
    return (
        head.lower_ in _STATEMENT_WORDS - _HEARSAY
        and _statement_owner(head) is None
        and not any(c.dep_ == "poss" for c in head.children)
    )


def _proper_runs(span: Span | Doc) -> list[Span]:
    """Runs of capitalised proper nouns, joined by "of" inside a name ("Ministry of Emergency Situations")."""
    runs: list[Span] = []
    doc = span.doc if isinstance(span, Span) else span
    offset = span.start if isinstance(span, Span) else 0
    i, end = offset, offset + len(span)
    while i < end:
        if doc[i].tag_ in PROPER_NOUNS and doc[i].text[:1].isupper():
            j = i + 1
            while j < end and (
                (doc[j].tag_ in PROPER_NOUNS and doc[j].text[:1].isupper())
                or (doc[j].lower_ == "of" and j + 1 < end and doc[j + 1].tag_ in PROPER_NOUNS)
                or (doc[j].text in {"/", "-", "&"} and not doc[j - 1].whitespace_ and j + 1 < end)  # "RFE/RL"
                or (doc[j].text in {"'s", "’s"} and j + 1 < end and doc[j + 1].tag_ in PROPER_NOUNS)
            ):
                j += 1
            runs.append(doc[i:j])
            i = j
        else:
            i += 1
    return runs


def _organisation_in(span: Span) -> str | None:
    """The organisation a phrase names, if any: a proper-noun run with an organisation word, or an
    acronym ("CSTO")."""
    for run in _proper_runs(span):
        if _ORGANISATION.search(run.text) or (len(run) == 1 and run.text.isupper() and len(run.text) > 1):
            return _clean(run.text)
    return None


def _personal_name(span: Span) -> bool:
    """ "Helga Norvik": two or three capitalised proper nouns, no organisation or place word."""
    words = [t for t in span if not t.is_punct and t.lower_ not in {"the", "a", "an"}]
    return (
        1 < len(words) <= 3
        and all(t.tag_ in PROPER_NOUNS and t.text[:1].isupper() for t in words)
        and not _ORGANISATION.search(span.text)
        and not PLACE_NAME.search(span.text)
    )


def _clean(text: str) -> str:
    text = text.strip(" ,;:\"“”'’()")
    text = _POSSESSIVE.sub("", text)
    return _ARTICLE.sub(lambda m: m.group(0).lower(), text)


def _reports_content(verb: Token) -> bool:
    """A verb of saying attributes this sentence only when it reports something: a clause
    ("said that ..."), an object it characterises ("denied the reports"), or the sentence's
    main clause it is set beside ("..., the ministry said")."""
    for child in verb.children:
        if child.dep_ in {"ccomp", "parataxis"} and (
            child.tag_ != "VBG" or any(c.dep_ in {"nsubj", "nsubjpass", "aux", "mark", "expl"} for c in child.children)
        ):
            return True  # a clause, not a bare gerund ("admitted opening the gates")
        if child.dep_ in {"dobj", "oprd", "xcomp", "ccomp"} and verb.lower_ in _OBJECT_SPEECH:
            if verb.lower_.startswith("call") and not any(c.dep_ in {"oprd", "ccomp"} for c in verb.children):
                return False  # "Meduza called residents": telephoned, not characterised
            return True
        if child.dep_ == "prep" and (
            verb.lower_ in _REJECTING or (verb.lower_.startswith(("spo", "speak")) and child.lower_ in {"of", "about"})
        ):
            return True  # "rejected as ...", "spoke of four dead"
    if verb.lower_ in _REJECTING and any(c.dep_ == "dobj" for c in verb.children):
        return True
    if verb.lower_ in _SAY_TELL and any(c.dep_ in {"dobj", "npadvmod", "attr"} and c.like_num for c in verb.children):
        # "The ministry still says 21": a figure is what a body or person says, not a thermometer
        speaker = speaker_head(verb)
        return speaker is not None and (
            speaker.tag_ in PROPER_NOUNS or speaker.lower_ in _BODY_NOUNS | _HUMAN_NOUNS | _PRONOUNS
        )
    if verb.lower_ in _SAY_TELL and any(t.dep_ == "mark" and t.lower_ == "that" and t.i > verb.i for t in verb.subtree):
        return True  # "told us at the gates that ...": the clause hung on a noun by the parser
    if verb.lower_ in _SAY_TELL and any(
        c.dep_ == "npadvmod" and any(r.dep_ == "relcl" and r.i > c.i for r in c.children) for c in verb.children
    ):
        return True  # "told parliament the same day that ...": the clause taken for one describing the day
    if verb.dep_ == "ROOT" and _content_before_subject(verb):
        return True  # "Most of those held face charges, while 23 are suspects, he said": content hung as "dep"
    if verb.dep_ == "parataxis" and verb.head.tag_ in VERBS and _between_commas(verb):
        return True  # "The toll, the spokesman said, had risen to 12"
    if verb.dep_ in {"parataxis", "ccomp", "advcl", "conj"} and verb.head.tag_ in VERBS and verb.head.i < verb.i:
        if verb.dep_ != "conj" or verb.head.lower_ in SPEECH_VERBS:
            return True
        subject = speaker_head(verb)  # "A happened and B followed, the minister told TV": misparsed as "and told"
        return (
            subject is not None
            and subject.left_edge.i > 0
            and verb.doc[subject.left_edge.i - 1].text in _CLOSING_QUOTES | {","}
        )
    return False


def _content_before_subject(verb: Token) -> bool:
    """A sentence closing on "..., he said": words before a comma or closing quote that ends
    just before the speaker, all hung on the verb of saying."""
    doc = verb.doc
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if subject is None or subject.left_edge.i < 2 or doc[subject.left_edge.i - 1].text not in {",", *_CLOSING_QUOTES}:
        return False
    return any(c.i < subject.left_edge.i - 1 and not c.is_punct for c in verb.children)


def _comma_between(mark: Token, verb: Token) -> bool:
    """ "...long before any coastguard vessel, fishermen told our reporter": a conjunction the parser
    hung on a verb of saying from across a comma does not make the saying subordinate."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and mark.i < c.i < verb.i), None)
    end = subject.left_edge.i if subject is not None else verb.i
    return any(t.text == "," for t in verb.doc[mark.i + 1 : end])


def _between_commas(verb: Token) -> bool:
    """A speech verb set into the sentence it reports: a comma on each side of its clause."""
    doc = verb.doc
    words = [t.i for t in verb.subtree if not t.is_punct]
    left, right = min(words), max(words)
    return left > 0 and right + 1 < len(doc) and doc[left - 1].text == "," and doc[right + 1].text == ","


def _is_noun_use(verb: Token) -> bool:
    """ "Keldaran claims that ...", "the reports": a plural noun the tagger took for a verb."""
    if verb.lower_ not in _HOMOGRAPHS or verb.i == 0:
        return False
    before = verb.doc[verb.i - 1]
    return before.tag_ in {"DT", "JJ", "PRP$", "POS"} or bool(re.search(r"(?:an|ian|ese|ish)$", before.text))


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def speaker_head(verb: Token) -> Token | None:
    """The head word of who speaks through ``verb``: its subject, or its governing verb's."""
    for dep in ("nsubj", "nsubjpass"):
        subjects = [c for c in verb.children if c.dep_ == dep]
        if subjects:  # "The blast, the company said, killed four": the subject next to the verb speaks
            # "A taxi driver who drove past that evening said": a time parsed as a second subject does not speak
            timed = [c for c in subjects if c.lower_ in _TIME_NOUNS]
            subjects = [c for c in subjects if c not in timed] or timed
            before = [c for c in subjects if c.i < verb.i]
            subject = before[-1] if before else subjects[0]
            inner = [c for c in subject.children if c.dep_ == "nsubj"] if subject.tag_ in VERBS else []
            if inner:  # "The coastguard rejects claims that ...", parsed as if "rejects" said "claims"
                return _closest_apposition(inner[0], subject)
            return _closest_apposition(subject, verb)
    # "saying", "adding", "... and said": the subject is the governing verb's, if that one speaks too
    if verb.dep_ in {"advcl", "xcomp", "acl"} and verb.head != verb:
        return speaker_head(verb.head)
    if verb.dep_ == "conj" and verb.head.lower_ in SPEECH_VERBS | _FIGURE_VERBS:
        return speaker_head(verb.head)
    if verb.dep_ == "conj" and verb.head.dep_ == "relcl" and verb.doc[verb.i - 1].text == ",":
        return verb.head.head  # "The union, whose chairman spent the day there, puts the number at ...": the union
    return _noun_before(verb)


_QUESTIONED = frozenset({"asked", "questioned", "pressed", "quizzed", "challenged"})


def _noun_before(verb: Token) -> Token | None:
    """ "“...,” the union's chairman, Viktor Halan, told X", "In Saro, a shopkeeper, Vera Ilic, told X":
    the parser often hangs the speaker on the quotation or the opening phrase; the noun phrase just
    before a verb of saying that has no subject is its speaker."""
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and doc[k].is_punct:
        k -= 1
    if k < 0 or doc[k].tag_ not in NOUNS | {"PRP"}:
        return None
    token = doc[k]
    while token.dep_ == "compound" and token.i < token.head.i < verb.i:
        token = token.head
    asked = token
    while asked.dep_ in {"pobj", "prep", "dobj"} and asked.head != asked:
        asked = asked.head
    if asked.lower_ in _QUESTIONED and asked.i < token.i:  # "A spokesman, asked about the gap, said": the spokesman
        subjects = [c for c in asked.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < asked.i]
        if subjects:
            return subjects[0]
    return token


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
        self._own = {_ARTICLE.sub("", n).lower() for n in (source, *aliases) if n}  # "the Herald" is "Herald"
        self.mentions = Mentions()
        self._anonymous: set[str] = set()  # people who spoke without a name: "he" after them is still nobody named

    def _is_source(self, name: str) -> bool:
        low = _ARTICLE.sub("", name).lower()
        if _OWN_STAFF.match(name):
            return True
        words = low.split()
        for own in self._own:
            if low == own or low.startswith(own + "'") or low.startswith(own + "’"):
                return True
            if len(words) > 1 and words[-1] in _STAFF and own.split()[0] == words[0]:
                return True  # "a Meridian correspondent" in Meridian Wire's report
        return False

    def _earlier_namesake(self, name: str) -> str | None:
        """ "according to the agency" after "the Civil Protection Agency said": the other agency named
        before in the report, not the report's own source, which "the agency" otherwise means."""
        bare = _BARE_OUTLET.match(name)
        if bare is None:
            return None
        earlier = self.mentions.containing(bare.group(1).lower())
        return earlier if earlier is not None and not self._is_source(earlier) else None

    def _pronoun(self, word: str) -> Speaker:
        if word in {"we", "i"}:
            return Speaker(self.source)
        if word == "it":
            return Speaker(self.mentions.last_body() or self.source)
        if word == "they":
            return Speaker(self.mentions.last_body() or self.mentions.last_person() or self.source)
        person = self.mentions.last_person()
        return Speaker(person, anonymous=True) if person in self._anonymous else Speaker(person or self.source)

    def _speaker(self, head: Token) -> Speaker:
        """A speaker, with pronouns, surnames and bare descriptions ("the ministry", "the head
        of state") resolved to the fuller name used earlier in the report, if there is one."""
        if head.lower_ in _PRONOUNS:
            return self._pronoun(head.lower_)
        if head.dep_ == "poss" and head.lower_ in _POSSESSIVE_PRONOUNS:  # "its toll", "their figures"
            return self._pronoun(_POSSESSIVE_PRONOUNS[head.lower_])
        if head.lower_ in _OWNED_WORDS:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None and owner.lower_ in _POSSESSIVE_PRONOUNS:
                return self._speaker(owner)  # "Its statement said"
            bare = [c.lower_ for c in head.children if c.dep_ not in {"punct"}] == ["the"]
            if bare and head.lower_ not in _HEARSAY and self.mentions.last_body():
                return Speaker(self.mentions.last_body())  # "the statement said": the body that issued it
        name, anonymous, person = _name_of(head)
        if _OWN_STAFF.match(name):
            return Speaker(self._earlier_namesake(name) or self.source)
        if anonymous:
            if head.tag_ == "NN":  # "a foreman, who spoke on condition of anonymity" is the "he" that follows
                self.mentions.add(name, True)
                self._anonymous.add(name)
            return Speaker(name, anonymous=True)
        bare = _ARTICLE.sub("", name)
        words = bare.lower().split()
        if name[:1].isupper() and len(words) == 1:  # "Tokayev"
            full = self.mentions.full_name(bare)
            if full:
                return Speaker(full)
        described = name.lower().startswith("the ") or (words and words[-1] in _TITLES and len(words) <= 3)
        if described and len(words) <= 3:
            # "the ministry", "the Kazakh president", "the Defence Ministry": the fuller name used before.
            # A capitalised head ("the Keldaran Foreign Ministry") is a name: only its whole wording matches.
            head_is_name = bare.split()[-1][:1].isupper() and "head of state" not in bare.lower()
            role = "head of state" if "head of state" in bare.lower() else words[-1]
            nouns = (
                [bare]
                if head_is_name
                else [bare, role] + (["president"] if role in {"head of state", "leader"} else [])
            )
            # "the foreign ministry" is not the Interior Ministry named before: the role alone is looked
            # for only among names that also carry the description's lower-case words
            modifiers = tuple(w for w in words[:-1] if w in bare.split())
            for noun in nouns:
                required = modifiers if noun == role and noun != bare.lower() else ()
                earlier = self.mentions.containing(noun, frozenset(self._anonymous), required)
                if earlier:
                    return Speaker(earlier, anonymous=earlier in self._anonymous)
            if not head_is_name and any(re.search(rf"\b{re.escape(role)}\b", own) for own in self._own):
                return Speaker(self.source)
            if not head_is_name and role in _UNNAMED_OFFICIALS:  # "the officer said", no officer named before
                self.mentions.add(name, True)
                self._anonymous.add(name)
                return Speaker(name, anonymous=True)
        # "Captain Ivo Brandt, the duty officer,": the description set beside a name is how it is pointed back to
        described_as = [_phrase(c).text for c in head.children if c.dep_ == "appos" and c.tag_ not in PROPER_NOUNS]
        self.mentions.add(name, person, " ".join([_context(_phrase(head)), *described_as]))
        return Speaker(name)

    def _frame(self, verb: Token) -> _Frame | None:
        low = verb.lower_
        if low in _CITING:
            objs = _children(verb, "dobj", "pobj")
            if not objs:
                return None
            cited = self._speaker(objs[0])
            if verb.dep_ == "acl":  # "the site Free Voice, quoting rescue workers, put ..."
                outer: Token | None = verb.head
            else:  # "TV reported, citing the ministry, that ...": whoever speaks in the verbs above
                # the outermost: "TV reported, citing X, that the men had admitted ..." is TV's report
                speaking = next(
                    (t for t in reversed(list(verb.ancestors)) if t.lower_ in SPEECH_VERBS | _FIGURE_VERBS), None
                )
                outer = speaker_head(speaking) if speaking is not None else None
            return _Frame(verb, [cited] + ([self._speaker(outer)] if outer is not None else []))
        if low.startswith("quot") and _is_passive(verb):  # "X was quoted by Y as saying"
            subj = _children(verb, "nsubjpass")
            agents = [p for c in _children(verb, "agent") for p in _children(c, "pobj")]
            links = [self._speaker(s) for s in subj[:1]] + [self._speaker(a) for a in agents[:1]]
            return _Frame(verb, links) if links else None
        if low.startswith("quot"):  # "Y quoted X as saying"
            objs = _children(verb, "dobj")
            subj = speaker_head(verb)
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
        head = speaker_head(verb)
        if head is None or head.lower_ in _NOT_SPEAKERS or not _reports_content(verb):
            return None  # "laboratory tests have confirmed": what was found, told by whoever reports the tests
        if head.lower_ == "they" and verb.tag_ == "VBP" and not self.mentions.names:
            links = [Speaker("anonymous", anonymous=True)]  # "they say the bosses knew": hearsay, nobody named
        else:
            links = [self._speaker(head)]
        for prep in _children(verb, "prep"):  # "Free Voice has learned from relatives"
            if prep.lower_ == "from" and low in {"learned", "learnt", "heard"}:
                links = [self._speaker(p) for p in _children(prep, "pobj")[:1]] + links
        if (low.startswith("tel") or low == "told") and head.lower_ not in {"i", "we"}:
            # "I told the dispatcher what we saw": the report's own author telling, not a link to the report
            for addressee in _children(verb, "dative", "dobj", "iobj"):
                if addressee.lower_ not in _GENERIC_ADDRESSEES and addressee.tag_ in NOUNS:
                    links.append(self._speaker(addressee))
                    break
        elif (interviewer := _interviewer(verb)) is not None:
            links.append(self._speaker(interviewer))  # "in an interview with X, the governor said"
        return _Frame(verb, links)

    def _figure_frame(self, verb: Token) -> _Frame | None:
        """ "X puts the toll at N", "X raised its death toll to N", "X aired what it called ..."."""
        low = verb.lower_
        head = speaker_head(verb)
        if head is None or head.lower_ in _PRONOUNS - {"it"}:
            return None
        objects = _children(verb, "dobj")
        if low in _FIGURE_VERBS and any(o.lower_ in _FIGURES for o in objects):
            return _Frame(verb, [self._speaker(head)])
        objects += _children(verb, "ccomp")
        if low in _PUBLISHING and objects and head.tag_ in NOUNS and head.head == verb:
            if head.lower_ in _OUTLET_WORDS or _organisation_in(_phrase(head)):
                return _Frame(verb, [self._speaker(head)])
        return None

    def _owned_figure(self, doc: Doc) -> list[_Frame]:
        """ "The government's toll stood at 38": the owner of a figure claims it."""
        frames = []
        for tok in doc:
            if tok.lower_ in _FIGURES and tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.dep_ == "ROOT":
                owners = [c for c in tok.children if c.dep_ == "poss"]
                if owners:
                    frames.append(_Frame(tok.head, [self._speaker(owners[0])]))
        return frames

    def _according(self, doc: Doc | Span) -> list[_Frame]:
        frames = []
        for tok in doc:
            if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
                if any(t.dep_ == "relcl" for t in tok.ancestors):
                    continue  # "Mirek, who according to colleagues had warned": about Mirek, not the sentence
                objs = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"] or [
                    c for c in tok.children if c.dep_ == "pobj"
                ]
                if objs and not _ownerless_figures(objs[0]):
                    links = [self._speaker(objs[0])]
                    relaying = _relayed_by(objs[0])  # "according to witnesses quoted by X"
                    frames.append(_Frame(tok, links + ([self._speaker(relaying)] if relaying is not None else [])))
        return frames

    def frames(self, doc: Doc) -> list[_Frame]:
        """Speech frames of a sentence that govern its main content, outermost first."""
        low = doc.text.lower()
        found = self._according(doc) if "according" in low else []
        if any(word in low for word in _FIGURES):
            found += self._owned_figure(doc)
        for tok in doc:
            if tok.tag_ in VERBS and (tok.lower_ in _FIGURE_VERBS or tok.lower_ in _PUBLISHING):
                frame = self._figure_frame(tok)
                if frame is not None:
                    found.append(frame)
                continue
            if tok.lower_ not in SPEECH_VERBS or tok.tag_ not in VERBS or _is_noun_use(tok):
                continue
            if tok.dep_ in _NOT_FRAME_DEPS and tok.lower_ not in _CITING:
                continue  # "the figure reported by RT": describes a noun, is not this sentence's frame
            if any(c.dep_ == "mark" and c.lower_ in _SUBORDINATE and not _comma_between(c, tok) for c in tok.children):
                continue  # "as reported by RT", "after Tokayev blamed": not who asserts the sentence
            if any((c.dep_ == "aux" and c.lower_ in _MODALS) or c.dep_ == "neg" for c in tok.children):
                continue  # "a commission would report", "I cannot say whether": nothing is asserted through it
            frame = self._frame(tok)
            if frame is not None:
                found.append(frame)
        found.sort(key=lambda f: _depth(f.verb))
        return found

    def attribute(self, doc: Doc, quoted: bool = False) -> list[tuple[Attribution, int, int]]:
        """Chains and claimants of one sentence, each with the token range it covers.

        Usually one covering the whole sentence; two when the sentence joins two reported
        claims by different speakers ("X said A; Y said B", "A, X said, while Y said B"), and
        one more for a claim relayed in a relative clause ("Tokayev, who has blamed the unrest
        on terrorist gangs", "Mirek, who according to colleagues had warned the board").
        """
        return self._attribute(doc, quoted) + self._relayed(doc)

    def _relayed(self, doc: Doc) -> list[tuple[Attribution, int, int]]:
        found = []
        for tok in doc:
            if tok.dep_ != "relcl" or tok.head.tag_ not in NOUNS:
                continue
            according = [
                p
                for t in tok.subtree
                if t.lower_ == "according" and t.i + 1 < len(doc)
                for p in doc[t.i + 1].children
                if p.dep_ == "pobj"
            ]
            if according:
                speaker = self._speaker(according[0])
            elif (
                tok.lower_ in SPEECH_VERBS
                and tok.tag_ in VERBS
                and _reports_content(tok)
                and any(c.dep_ == "nsubj" and c.lower_ in {"who", "that"} for c in tok.children)
                and (tok.head.lower_ in _HUMAN_NOUNS or tok.head.tag_ in PROPER_NOUNS)
                and not PLACE_NAME.search(tok.head.text)
            ):
                speaker = self._speaker(tok.head)  # the antecedent of "who"
            else:
                continue
            found.append((self._finish([speaker], "indirect"), tok.left_edge.i, tok.right_edge.i + 1))
        return found

    def _attribute(self, doc: Doc, quoted: bool) -> list[tuple[Attribution, int, int]]:
        for run in _proper_runs(doc):
            if _ORGANISATION.search(run.text):
                self.mentions.add(_clean(run.text), False)
            elif _personal_name(run) and (run.root.dep_ in _SUBJECT_DEPS or not doc[0].dep_):
                # people the sentence is about, not ones merely mentioned ("men held by Keldara")
                self.mentions.add(run.text, True, _context(run))
                if _OWN_STAFF_BEFORE.search(doc.text[: run.start_char]):
                    self._own.add(run.text.lower())  # "our reporter Arina Sholt" speaks as the outlet
        for tok in doc:  # "My husband works on the lake, and he says ...": the "he" to come
            if (
                tok.dep_ in {"nsubj", "nsubjpass"}
                and tok.lower_ in _KIN
                and any(c.lower_ == "my" for c in tok.children)
            ):
                self.mentions.add(_clean(_phrase(tok).text), True)
        text = doc.text
        for titled in _TITLED_NAME.finditer(text):
            if _ORGANISATION.search(titled.group(0)):
                continue  # "the General Staff"
            before = text[max(0, titled.start() - 30) : titled.start()].split()[-2:]
            self.mentions.add(titled.group("name"), True, " ".join([*before, titled.group(0)]))
        frames = self.frames(doc)
        if not frames:
            return [(self._finish([], None), 0, len(doc))]
        parts = _split(doc, frames)
        quote = "direct" if quoted else "indirect"
        return [(self._finish(self._chain(group), quote), start, end) for group, start, end in parts]

    @staticmethod
    def _chain(frames: list[_Frame]) -> list[Speaker]:
        outer = frames[0]
        chain = list(outer.speakers)
        for inner in frames[1:]:
            if _nested(inner.verb, outer.verb) and inner.verb.lower_ not in _DEEDS:
                chain = list(inner.speakers) + chain
                outer = inner
        return chain

    def inherit(self, attribution: Attribution) -> Attribution:
        """The attribution of a sentence inside a quotation whose speaker is named elsewhere."""
        return Attribution(list(attribution.chain), attribution.claimant, "direct")

    def _finish(self, chain: list[Speaker], quote: str | None) -> Attribution:
        links: list[Speaker] = []
        for speaker in chain:
            if self._is_source(speaker.name) and not speaker.anonymous:
                continue  # "Free Voice's sources" are not Free Voice speaking
            if links and links[-1].name.lower() == speaker.name.lower():
                continue
            links.append(speaker)
        links.append(Speaker(self.source))
        claimant = next((s for s in links if not s.anonymous), links[-1])
        return Attribution(links, claimant, quote)


def _context(name: Span) -> str:
    """A name with the title words before it ("Kazakh President Kassym-Jomart Tokayev")."""
    doc = name.doc
    left = name.start
    while left > 0 and left > name.start - 4 and (doc[left - 1].is_title or doc[left - 1].lower_ in _TITLES):
        left -= 1
    return doc[left : name.end].text


def _split(doc: Doc, frames: list[_Frame]) -> list[tuple[list[_Frame], int, int]]:
    """Group frames into claims: frames nested in another go with it; two top-level frames
    with different speakers, parted by ";" or "while"/"whereas"/"but", make two claims."""
    top = [f for f in frames if not any(_nested(f.verb, g.verb) for g in frames if g is not f)]
    top.sort(key=lambda f: f.verb.i)
    cuts: list[int] = []
    for first, second in zip(top, top[1:], strict=False):
        if [s.name for s in first.speakers] == [s.name for s in second.speakers]:
            continue
        subject = speaker_head(second.verb)
        limit = min(second.verb.i, subject.left_edge.i if subject is not None else second.verb.i)
        separators = [t.i for t in doc[first.verb.i : limit] if t.text == ";" or t.lower_ in _CLAUSE_BREAKS]
        if separators:
            cuts.append(separators[-1])
    if not cuts:
        return [(frames, 0, len(doc))]
    bounds = [0, *cuts, len(doc)]
    parts = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        group = [f for f in frames if start <= f.verb.i < end]
        parts.append((group, start, end))
    return [p for p in parts if p[0]] or [(frames, 0, len(doc))]


def _nested(inner: Token, outer: Token) -> bool:
    """``inner`` reports inside ``outer``'s clause; a ";" between them means the parser
    wrongly hung one independent clause under the other ("A reported X; B said Y")."""
    if not _inside(inner, outer):
        return False
    if inner.dep_ == "conj" and inner.head == outer:
        return False  # "X said A, but Y said B": coordinated speakers, neither reports the other
    if any(c.dep_ == "mark" and c.lower_ in _CLAUSE_BREAKS for c in inner.children):
        return False  # "A said X, while B says Y": B answers A, it does not report A
    low, high = sorted((inner.i, outer.i))
    return not any(t.text == ";" for t in inner.doc[low:high])


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

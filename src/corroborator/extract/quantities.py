"""Numbers about people and things, as ranges, with what is counted.

The ranges follow the table in docs/extraction-gold.md exactly: a number word is found by
pattern (digits, number words, vague words with their multipliers), the modifier before it
("about", "at least", "between ... and") turns it into a range, and the counted thing comes
from the words around it: the noun it counts gives the group, the nearest event word in its
own stretch of the sentence the subject ("killed", "injured", ...), and "including", "among
them", "of whom" make it part of the number before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from spacy.tokens import Doc, Token

from corroborator.extract.attribution import SPEECH_VERBS, speaker_head
from corroborator.extract.claims import Quantity
from corroborator.extract.nlp import NOUNS, PUNCTUATION, VERBS, token_at

_STOP_TAGS = frozenset({"IN", "CC", "CD", "TO"})  # a preposition, conjunction or number ends the counted phrase

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

_WORD = r"(?:" + "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True)) + r")"
_WORD_NUMBER = rf"{_WORD}(?:-{_WORD})?(?:\s+(?:hundred|thousand|million)(?:\s+(?:and\s+)?{_WORD}(?:-{_WORD})?)?)?"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+(?:thousand|million))?"
_NUM = rf"(?:{_DIGITS}|{_WORD_NUMBER}|an?\s+(?:hundred|thousand))"

# Vague words, longest first; each maps to its range before modifiers.
_VAGUE: dict[str, tuple[int, int]] = {
    "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999),
    "a couple of hundred": (200, 200),
    "a couple hundred": (200, 200),
    "a couple of thousand": (2000, 2000),
    "a few hundred": (200, 400),
    "a few thousand": (2000, 4000),
    "a few dozen": (24, 48),
    "several hundred": (300, 900),
    "several thousand": (3000, 9000),
    "several dozen": (36, 108),
    "a handful of": (2, 5),
    "a handful": (2, 5),
    "a couple of": (2, 2),
    "a few": (2, 4),
    "several": (3, 9),
    "a dozen": (12, 12),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
}
_VAGUE_RE = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in _VAGUE)

_APPROX = r"about|around|some|roughly|approximately|an\s+estimated|estimated|approx\.?"
_NEARLY = r"nearly|almost|close\s+to"
_AT_LEAST = r"at\s+least|no\s+fewer\s+than|no\s+less\s+than"
_MORE = r"more\s+than|over|upwards\s+of|in\s+excess\s+of"
_UP_TO = r"up\s+to|as\s+many\s+as|no\s+more\s+than|at\s+most"
_FEWER = r"fewer\s+than|less\s+than|under"
_MODIFIER = rf"(?P<mod>{_APPROX}|{_NEARLY}|{_AT_LEAST}|{_MORE}|{_UP_TO}|{_FEWER})\s+"

_EXPRESSION = re.compile(
    rf"(?<![\w$€£./:-])(?:{_MODIFIER})?(?:"
    rf"between\s+(?P<b1>{_NUM})\s+and\s+(?P<b2>{_NUM})"
    rf"|(?P<r1>{_NUM})\s*(?:-|–|to|or)\s*(?P<r2>{_NUM})"
    rf"|(?P<dozen>{_NUM})\s+dozen"
    rf"|(?P<vague>{_VAGUE_RE})"
    rf"|(?P<num>{_NUM})"
    rf")(?P<plus>\s+or\s+more)?(?![\w%$€£]|\.\d|:\d|-year)",
    re.IGNORECASE,
)

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?"
)
# What follows a number that is not a count of people or things: dates, times, durations, money,
# areas and temperatures, rates ("15 a day").
_NOT_AFTER = re.compile(
    rf"^\s*(?:(?:{_MONTHS})\b|(?:(?:more|extra|further|other)\s+)?(?:years?|decades?|centur(?:y|ies)|months?|weeks?|days?|"
    r"hours?|minutes?|seconds?|"
    r"nights?|times|percent|per\s+cent|o'clock|a\.m\.|p\.m\.|am\b|pm\b|in\s+the\s+(?:morning|afternoon|evening)|"
    r"tonight|this\s+(?:morning|afternoon|evening)|(?:more|fewer|less)\s+than\b|"
    r"km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|blocks?|streets?\s+away|dollars|euros|tenge|roubles|rubles|"
    r"pounds|yuan|crowns|francs|marks|dinars|pesos|rupees|shillings|kroner|kronor|zloty|"
    r"hectares?|acres?|degrees?|square\s+(?:kilomet(?:re|er)s?|met(?:re|er)s?|miles?)|sq\s*km|"
    r"tonnes?|tons?|litres?|liters?|gallons?|barrels?|kilos?|kilogra(?:m|mme)s?|kg\b|cubic\s+met(?:re|er)s?|"
    r"summers?|winters?|seasons?|generations?|"
    r"(?:a|an|per|each)\s+(?:day|week|hour|night|year|month)\b|daily\b|"
    r"%|st\b|nd\b|rd\b|th\b|years?-old|-(?:year|month|week|day|hour|minute|storey|story|floor|metre|meter|km|"
    r"kilomet(?:re|er)|mile|tonne|ton|kg)|floors?|storeys?))",
    re.IGNORECASE,
)
_NOT_BEFORE = re.compile(
    rf"(?:\b(?:{_MONTHS})\.?|\barticle|\bsection|\bno\.|(?<!\bnow\s)\bnumber|\bparagraph|\bchapter|\bresolution|\bpoint|"
    r"\baged|\bage|\bage\s+of|\baged\s+\w+\s+(?:and|or)|\buntil|\bpast|\bsince|[$€£]|"
    # an age ("a man of 58") and a figure the count is compared with ("down from nine")
    r"\b(?:man|woman|boy|girl|mother|father|pensioner)\s+of|\b(?:down|up)\s+from|"
    # sums in a currency the lists do not know: "paid 200 lindars each", "a fine of 500"
    r"\b(?:paid|fined|worth|costs?|costing|earned|earns|(?:salary|price|sum|fine|bribe|bribes)\s+of)\s*$"
    r")\s*$",
    re.IGNORECASE,
)
# Numbers that name one thing: "bed 9", "platform 2", "flight 417", "carriage 4"; not when people follow
# ("in our block 14 people have died": the block is unnamed, the 14 are counted).
_NAMES_ONE = re.compile(
    r"\b(?:bed|room|ward|platform|gate|route|flight|bus|coach|carriage|car|train|line|bay|cell|block|unit|"
    r"kilometre|kilometer|km|mile|highway|road|exit|pier|berth|dock|reactor|shaft|level)s?\s*$",
    re.IGNORECASE,
)
_NAMED_NUMBER = re.compile(r"\b([A-Z][\w-]*)\s+$")
_WEEKDAYS = frozenset({"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
_AT_CLOCK = re.compile(r"\bat\s+$", re.IGNORECASE)
_CLOCK_AFTER = re.compile(
    r"\s*(?:on\b|in\s+the\b|this\b|that\b|yesterday|today|tonight|last\b|o['’]clock|[ap]\.?m\b|[,;.])",
    re.IGNORECASE,
)
_FIGURE_AT = re.compile(r"\b(?:toll|number|figure|count|tally|stood|stands|put|puts|estimated)\b[^.;]{0,130}$")
_SET_ASIDE = re.compile(r"(?:,|\bbut)\s+not\s+$", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}$|^(?:19|20)\d\d$")

_COUNTED_NEXT = re.compile(r"\s+(?!(?:had|have|has|were|was|are|is|did|who|of|and|or)\b)[A-Za-z]+")
_REJECTED = re.compile(
    r"^(?:[^.;:]*?\b(?:said|says|told\s+\w+|added|insisted|stated)\s+(?:that\s+)?)?"  # "X said the figure of ..."
    r"((?:the\s+)?(?:[\w'’]+\s+){0,3}?(?:reports?|claims?|figures?|allegations?|rumou?rs?|toll|count|tally)\b.*?)\s+"
    r"(?:is|are|was|were)\s+[“\"]?"
    r"(?:not\s+true|untrue|false|fabricat\w+|lies|(?:a\s+)?(?:deliberate\s+|blatant\s+|outright\s+)?lie|"
    r"(?:pure\s+)?invention|baseless|groundless)",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(
    r"[;:]|,\s+(?:a|the|an)\s+\w+\s+(?:said|told)|\b(?:who|which)\s+(?:say|says|said|told|claim)\b|"
    r"\b(?:because|while|whereas|but|although|when)\b"
)
# "40 men are dead, maybe more": the number is a lower bound.
_AND_MORE = re.compile(
    r"[^.;:!?]{0,40}?,\s+(?:and|or|maybe|perhaps|possibly|probably|if\s+not)\s+(?:even\s+|many\s+)?more"
    r"(?=\s*[,.;:!?”\"')]|\s*$)",
    re.IGNORECASE,
)
_NOT_ONE = re.compile(r"\bnot\s+(?:a\s+single\s+)?$", re.IGNORECASE)
# "Of the 112 men on the shift, 60 ...": a sentence that opens on the whole it then divides.
_WHOLE_FIRST = re.compile(r"^\W*(?:out\s+)?of\s+(?:the|these|those|its|their|our)?\s*$", re.IGNORECASE)
_COORDINATED = re.compile(r"^[\w\s'’-]{0,40}?(?:,|\band\b|\bor\b)\s*$")
_FORCES = frozenset(
    """soldiers police troops peacekeepers rescuers firefighters guards personnel reservists servicemen units
    paratroopers marines officers""".split()
)
# Nouns that say what is counted whatever the verb: "12 flood victims", "hundreds of mourners followed".
_NOUN_SUBJECTS = {
    "victims": "killed", "bodies": "killed", "corpses": "killed", "dead": "killed",
    "deaths": "killed", "fatalities": "killed", "wounded": "injured", "casualties": "injured",
    "detainees": "detained", "prisoners": "detained", "refugees": "displaced", "mourners": "gathered",
    "arrests": "arrested", "detentions": "detained", "injuries": "injured", "martyrs": "killed",
    "death": "killed", "body": "killed",
}  # fmt: skip
# Nouns that say it only when nothing else does: "hundreds of protesters" gathered, unless they were
# killed; "38 patients remain in our care" are injured (convention 14).
_WEAK_NOUN_SUBJECTS = {
    "demonstrators": "gathered", "protesters": "gathered", "marchers": "gathered", "patients": "injured",
}  # fmt: skip
# What is fired and what it leaves: counted, never "damaged" (docs/extraction-gold.md, convention 8).
_MUNITIONS = frozenset(
    """shells rockets missiles mortars bombs grenades explosions blasts strikes drones craters rounds bullets
    graves coffins shots bursts""".split()
)
# Things, not people: they can be damaged or merely counted, never killed, evacuated or sent as troops.
_THINGS = frozenset(
    """houses homes buildings bridges cars vehicles boats ambulances shops shelters schools hospitals tanks trucks
    lorries buses flats apartments roads villages towns helicopters aircraft planes drones missiles rockets shells
    vessels ships ferries centres centers camps halls tents beds blankets
    weapons guns tons tonnes litres kilometres hectares metres documents cameras checkpoints stalls markets
    factories churches mosques offices stations trains phones laptops computers doses vaccines samples""".split()
)
_PART_CUE = re.compile(
    r"\b(?:including|includes|included|among\s+(?:them|whom|those|these|the\s+\w+)(?:\s+(?:are|were|is|was))?|"
    r"of\s+(?:whom|them|those|which)|of\s+these)\W*$",
    re.IGNORECASE,
)
_AMONG_THE = re.compile(r"\bamong\s+the\s+(\w+)", re.IGNORECASE)
_PART_AFTER = re.compile(r"^\s*(?:of\s+(?:whom|them|those|which|these))\b", re.IGNORECASE)

# Event words that name what is counted, from docs/extraction-gold.md's fixed list.
_SUBJECT_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (subject, re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE))
    for subject, pattern in (
        (
            "killed",
            r"killed|kill|kills|killing|dead|died|die|dies|deaths?|bodies|fatalit(?:y|ies)|slain|murdered|"
            r"executed|beheaded|eliminated|perished|lost\s+their\s+lives|toll|shot\s+dead|lives|drowned|buried|"
            r"corpses|victims|martyrs|martyred|liquidated|massacred|gunned\s+down|succumbed|"
            r"did\s+not\s+survive|fatally|lost\s+(?:her|his|their|my|our)\s+(?:\w+\s+){0,2}?(?:husbands?|wives|wife|sons?|"
            r"daughters?|boys|girls|children|grandchildren|brothers?|sisters?|mother|father|parents|relatives|babies|baby)",
        ),
        (
            "injured",
            r"injured|injuring|injur(?:y|ies)|wounded|wounds|wounding|hurt|hospitali[sz]ed|beaten|admitted|"
            r"in\s+hospitals?|intensive\s+care|(?:medical|hospital)\s+(?:help|attention|care|treatment)|treated|casualties|"
            r"on\s+(?:the|our|their|its)\s+wards?|(?:critical|serious|grave)\s+condition|burns|"
            r"(?:receiving|under|undergoing|needed|needing|received)\s+treatment|being\s+treated|blinded|left\s+blind|"
            r"lost\s+(?:their|his|her)\s+(?:sight|eyesight|hearing|limbs?|legs?|arms?|hands?)",
        ),
        ("arrested", r"arrested|arrests?|caught|captured|recaptured|re-?arrested|under\s+arrest"),
        (
            "detained",
            r"detained|detentions?|detainees|taken\s+into\s+custody|in\s+custody|held|holding|rounded\s+up|seized|"
            r"(?:pushed|bundled|dragged|thrown)\s+into\s+(?:police\s+)?(?:buses|vans|cars|trucks)",
        ),
        (
            "missing",
            r"missing|unaccounted|disappeared|not\s+been\s+heard\s+from|trapped|trapping|underground|hostages?|"
            r"(?:holding|hold|held|holds)\s+(?:\w+\s+){0,3}?hostage|in\s+the\s+hands\s+of|"
            r"(?:under|beneath)\s+(?:the\s+)?(?:rubble|ruins|debris)|search\s+(?:continues|goes\s+on|is\s+on)\s+for|not\s+(?:yet\s+)?(?:been\s+)?found|abducted|kidnapped|snatched|"
            r"taken\s+(?:away|captive)|were\s+taken(?=\s*[,.;])|whereabouts|not\s+been\s+seen|fate|"
            r"(?:not|never)\s+(?:yet\s+)?(?:returned|came\s+back|come\s+back)|(?:cannot|can't|could\s+not)\s+find",
        ),
        (
            "displaced",
            r"displaced|fled(?:\s+their\s+homes)?|flee|fleeing|homeless|refugees|without\s+shelter|sheltering|sheltered|"
            r"housed|shelters?|sleep(?:s|ing)?\s+(?:in|on|rough)|slept\s+(?:in|on|rough)|crossed\s+into|left\s+for|"
            r"left\s+their\s+homes?|lost\s+their\s+homes?|without\s+(?:a\s+)?(?:homes?|roof)|accommodated|tent\s+camps?|"
            r"reception\s+cent(?:re|er)s?|crossed\s+(?:\w+\s+){0,3}?into|spent\s+(?:\w+\s+){0,3}?nights?\s+in|"
            r"uprooted|forced\s+from\s+their\s+homes?|living\s+in\s+(?:\w+\s+){0,2}?(?:tents?|camps?|shelters?|gyms?|sports\s+halls?)|(?:cannot|can\s+not|unable\s+to)\s+(?:safely\s+)?return",
        ),
        (
            "evacuated",
            r"evacuated|evacuations?|transferred|(?:ordered|told)\s+to\s+leave|rescued|brought\s+out|airlifted|"
            r"admitted\s+to\s+(?:the\s+|a\s+)?(?:\w+\s+)?hospitals?|"
            r"(?:moved|taken|carried|bussed|relocated)\s+(?:\w+\s+){0,3}?(?:to|out)|"
            r"brought\s+(?:\w+\s+){0,3}?(?:up|out|to|alive)|brought\s+(?:in|there|here)\b|pulled\s+(?:\w+\s+){0,3}?(?:out|from|alive)|freed|"
            r"(?:recovered|dug)\s+(?:\w+\s+){0,3}?alive|took\s+off|"
            r"lifted\s+out|saved|took\s+(?:\w+\s+){0,3}?out\s+of\s+the\s+(?:water|rubble|sea|river|lake)",
        ),
        (
            "gathered",
            r"gathered|gathering|crowds?|rall(?:y|ies|ied)|marched|protested|demonstrated|demonstrators|queued|queuing|"
            r"took\s+to\s+the\s+streets|assembled|attended|mourners|lined|turned\s+out|packed|vigil|"
            r"walked\s+(?:in\s+silence|behind|from|through)|joined\s+the\s+(?:funeral|march|procession|protest|rally)|"
            r"took\s+part\s+in\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:event|march|rally|protest|demonstration|"
            r"gathering|procession)",
        ),
        (
            "deployed",
            r"deployed|deployment|sent|dispatched|number\s+of\s+(?:troops|soldiers|police|peacekeepers|personnel)|arrived|arriving|landed|stationed|mobili[sz]ed|reinforcements|"
            r"contingents?|joined|working|operating|patrolling|massed|on\s+the\s+ground|ordered|involved|on\s+site|"
            r"taking\s+part|took\s+part|take\s+part|battling",
        ),
        (
            "damaged",
            r"damaged|destroyed|burned|burnt|burning|torched|set\s+on\s+fire|set\s+alight|looted|vandali[sz]ed|wrecked|"
            r"swept\s+away|washed\s+away|collapsed|gone|razed|flattened|hit",
        ),
        # What undoes or follows an event names no subject of the list: "94 of them have been released".
        (
            "other",
            r"released|discharged|sentenced|convicted|charged|indicted|fined|found\s+alive|returned\s+home|"
            r"(?:taken|fallen|fell|falling|gone|went)\s+ill|infected|sickened|suspected\s+cases|cases|"
            r"went\s+home|sent\s+home|returned\s+to\s+(?:port|harbour|base)",
        ),
    )
)

_GROUPS = {
    "person": "people", "persons": "people", "people": "people", "individuals": "people",
    "officer": "police", "officers": "police", "policeman": "police", "policemen": "police", "police": "police",
    "policewoman": "police", "policewomen": "police",
    "troops": "soldiers", "soldier": "soldiers", "soldiers": "soldiers", "servicemen": "soldiers",
    "man": "men", "woman": "women", "child": "children", "children": "children", "civilian": "civilians",
    "protester": "protesters", "demonstrator": "protesters", "demonstrators": "protesters",
    "attacker": "attackers", "fighter": "fighters", "militant": "militants",
    "death": "people", "deaths": "people", "bodies": "people", "body": "people", "casualties": "people",
}  # fmt: skip
_PERSON_NOUNS = frozenset(_GROUPS) | set(
    """men women residents students journalists members guard patient firefighter volunteer worker nurse doctor
    passenger miner villager prisoner inmate hostage resident rescuer medic""".split()
)
_PEOPLE_GROUPS = frozenset({"people", "police", "soldiers", "men", "women", "children", "civilians", "protesters"})


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    low: int
    high: int | None
    text: str


def _word_number(words: str) -> int:
    total = current = 0
    for part in re.split(r"[\s-]+", words.lower()):
        if part == "and":
            continue
        if part in _UNITS:
            current += _UNITS[part]
        elif part in _TENS:
            current += _TENS[part]
        elif part in _SCALES:
            current = max(current, 1) * _SCALES[part]
            if _SCALES[part] >= 1000:
                total, current = total + current, 0
    return total + current


def parse_number(words: str) -> int:
    """The value of "26", "1,000", "2.5 million", "twenty-five", "three hundred and ten"."""
    words = words.strip()
    if words[0].isdigit():
        head, _, scale = words.partition(" ")
        value = Fraction(head.replace(",", ""))
        if scale:
            value *= _SCALES[scale.strip().lower()]
        return int(value)
    return _word_number(words)


def _half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def _apply(modifier: str | None, low: int, high: int) -> tuple[int, int | None]:
    """Turn a base range into the documented range for its modifier."""
    if not modifier:
        return low, high
    mod = " ".join(modifier.lower().split())
    if re.fullmatch(_APPROX, mod):
        return _half_up(Fraction(9, 10) * low), _half_up(Fraction(11, 10) * high)
    if re.fullmatch(_NEARLY, mod):
        return _half_up(Fraction(9, 10) * low), high
    if re.fullmatch(_AT_LEAST, mod):
        return low, None
    if re.fullmatch(_MORE, mod):
        return low + 1, None
    if re.fullmatch(_UP_TO, mod):
        return 0, high
    return 0, high - 1  # fewer / less than


def find_numbers(text: str, skip: list[tuple[int, int]] = ()) -> list[_Match]:
    """Every count expression in ``text`` with its range; dates, durations and the spans in
    ``skip`` (time expressions found elsewhere) left out."""
    found: list[_Match] = []
    for m in _EXPRESSION.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in skip):
            continue
        if re.search(r"\bthe\s+$", text[: m.start()]) and (
            not re.match(_COUNTED_NEXT, text[m.end() :]) or m.group(0).lower() == "two"
        ):
            continue  # "none of the eleven had", "the two countries": people or things counted before
        if re.search(r"\bthan\s+the\s+$", text[: m.start()], re.IGNORECASE) or (
            re.search(r"\b(?:is|was|am|aged)\s+$", text[: m.start()], re.IGNORECASE)
            and re.match(r"\s*(?:[,.;]|$)", text[m.end() :])
            and not m.group("mod")
            and not _FIGURE_AT.search(text[: m.start()])
        ):
            continue  # "fewer than the 27 announced", "my son is 17,": a comparison, an age
        groups = m.groupdict()
        if groups["b1"]:
            low, high = parse_number(groups["b1"]), parse_number(groups["b2"])
        elif groups["r1"]:
            if re.search(r"\d[-–]\d", m.group(0)) and not re.search(r"\s", m.group(0).strip()) and len(m.group(0)) > 9:
                continue  # a date or code like 2022-01-06
            low, high = parse_number(groups["r1"]), parse_number(groups["r2"])
            if high < low and not groups["r1"][0].isdigit() and re.fullmatch(r"\w+-\w+", m.group(0).split()[-1]):
                low = high = parse_number(m.group(0).split()[-1])  # "Forty-six" is one number, not a range
            elif high < low:
                continue
        elif groups["dozen"]:
            low = high = parse_number(groups["dozen"]) * 12
        elif groups["vague"]:
            vague = " ".join(groups["vague"].lower().split())
            if vague == "scores" and not re.match(
                r"\s+(?:of|were|have|had|are|more|dead|killed|injured)\b", text[m.end() :]
            ):
                continue
            low, high = _VAGUE[vague]
        else:
            raw = groups["num"]
            if _DATE_LIKE.match(raw) or re.fullmatch(r"\d+\.\d+", raw):
                continue  # a date, or a measure ("a magnitude of 6.9"): people come in whole numbers
            if raw.lower() == "one" and not _next_is_person(text[m.end() :]):
                continue
            low = high = parse_number(raw)
        if _NOT_AFTER.match(text[m.end() :]) or _NOT_BEFORE.search(text[: m.start()]):
            continue
        if _NAMES_ONE.search(text[: m.start()]) and not _next_is_person(text[m.end() :]):
            continue
        if _is_identifier_or_clock(text, m, low):
            continue
        lo, hi = _apply(groups["mod"], low, high)
        if groups["plus"]:
            hi = None
        found.append(_Match(m.start(), m.end(), lo, hi, m.group(0)))
    return found


def _is_identifier_or_clock(text: str, m: re.Match[str], value: int) -> bool:
    """ "Shaft 2", "Gate 4": digits after a capitalised word name something; "at about five on
    Monday": a clock time; ", not 31": a figure the sentence sets aside."""
    before = text[: m.start()]
    named = _NAMED_NUMBER.search(before)
    if named and named.start() > 0 and m.group(0)[:1].isdigit() and named.group(1) not in _WEEKDAYS:
        return True
    if value <= 24 and _AT_CLOCK.search(before) and _CLOCK_AFTER.match(text[m.end() :]):
        return not _FIGURE_AT.search(before)
    return bool(_SET_ASIDE.search(before))


def _next_is_person(rest: str) -> bool:
    """ "one person", "one elderly man", "one Osmian soldier": "one" counts a person."""
    words = re.match(r"\s+(\w+)(?:\s+(\w+))?", rest)
    if not words or rest.lstrip().startswith("of"):
        return False
    return any(w and w.lower() in _PERSON_NOUNS for w in words.groups())


def _subject_in(segment: str, last: bool = False, forces: bool = True) -> str | None:
    """The subject whose event word comes first in ``segment`` (last, with ``last``); only forces
    are deployed, so for others "working", "sent" are passed over."""
    best: tuple[int, int, str] | None = None
    for subject, pattern in _SUBJECT_CUES:
        if subject == "deployed" and not forces:
            continue
        hits = list(pattern.finditer(segment))
        if not hits:
            continue
        hit = hits[-1] if last else hits[0]
        pos, length = hit.start(), hit.end() - hit.start()
        # the first (last) event word wins; at one place the longer wording ("admitted to hospital")
        if best is None or (pos > best[0] if last else pos < best[0]) or (pos == best[0] and length > best[1]):
            best = (pos, length, subject)
    return best[2] if best else None


def _counted(doc: Doc, end: int) -> Token | None:
    """The noun counted by the number ending at character ``end`` ("ten police officers")."""
    start = token_at(doc, end)
    for t in doc[start : start + 6]:
        if _modifier_word(t):
            continue  # "three burnt-out buses", "two wounded soldiers"
        if (t.tag_ in _STOP_TAGS or t.tag_ in VERBS or t.tag_ in PUNCTUATION) and t.lower_ != "of":
            return None
        if t.lower_ in {"whom", "them", "those", "these", "which"}:
            return None
        if t.tag_ in NOUNS:
            if t.lower_ in {"members", "units", "number", "group", "groups", "crowd"}:
                continue
            while t.i + 1 < len(doc) and doc[t.i + 1].tag_ in NOUNS and t.dep_ == "compound" and t.head.i > t.i:
                t = doc[t.i + 1]  # "police officers", "Black Pass Front members": the compound's last noun
            return t
    return None


def _modifier_word(token: Token) -> bool:
    """A participle or hyphen inside the counted phrase, before its noun: "burnt-out", "wounded"."""
    doc = token.doc
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if token.tag_ == "HYPH" or (token.tag_ == "RP" and token.i and doc[token.i - 1].tag_ == "HYPH"):
        return True
    return token.tag_ in {"VBN", "VBG"} and nxt is not None and (nxt.tag_ == "HYPH" or nxt.tag_ in NOUNS)


_FIGURE_OF = re.compile(r"\b(?:number|toll|count|figure|tally|total)\s+of\s+(?:the\s+)?(?=\w)", re.IGNORECASE)


def _figure_noun(doc: Doc, start: int) -> Token | None:
    """ "put the number of soldiers still held at eleven": a figure given after the noun it counts."""
    before = doc.text[:start]
    if not _FIGURE_REACHED.search(before):
        return None
    figures = list(_FIGURE_OF.finditer(before))
    return _counted(doc, figures[-1].end() - 1) if figures else None


_LABEL = re.compile(r"^\s*([A-Z][\w\s,'’-]{0,60}?):\s*$")


def _label_noun(doc: Doc, start: int) -> Token | None:
    """ "Rescue personnel on site: 1,140": in a tally, the label before the colon names what is counted."""
    label = _LABEL.match(doc.text[:start])
    if label is None:
        return None
    first, last = token_at(doc, label.start(1)), token_at(doc, label.end(1))
    nouns = [t for t in doc[first:last] if t.tag_ in {"NNS", "NNPS"} or t.lower_ in _FORCES]
    return nouns[0] if nouns else None


def _group_of(noun: Token) -> str:
    word = noun.lower_
    return _GROUPS.get(word, word if word.endswith("s") or noun.tag_ == "NNS" else word + "s")


def _speaks(noun: Token) -> bool:
    """The counted noun is who speaks ("two hospital officials told ..."), not what is claimed."""
    head = noun.head
    if noun.dep_ == "nsubj" and head.lower_ in SPEECH_VERBS:
        return speaker_head(head) == noun
    return noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def _is_age(text: str, m: _Match) -> bool:
    return bool(
        m.low == m.high
        and m.low < 120
        and re.search(r"[A-Z][\w'-]+,\s*$", text[: m.start])
        and re.match(r"\s*,", text[m.end :])
    )


def extract_quantities(doc: Doc, skip: list[tuple[int, int]] = (), whole: str | None = None) -> list[Quantity]:
    """Counts in one sentence (``doc`` is the sentence alone, tagged; parsed when it reports speech).

    ``whole`` is the subject of the last count of the report's earlier sentences: a part that
    points back past this sentence ("Eleven of them were fishermen", "Among them are 23
    children") is counted as that whole was. ``part_of`` stays for a whole in the same sentence.

    The numbers of a claim the sentence rejects ("the figure of 20 to 25 wounded ... is not
    true") are not the claimant's, and are left out.
    """
    text = doc.text
    rejected = _REJECTED.match(text)
    matches = [
        m
        for m in find_numbers(text, skip)
        if not _is_age(text, m) and not (rejected and rejected.start(1) <= m.start and m.end <= rejected.end(1))
    ]
    found: list[tuple[_Match, str | None, Token | None, str]] = []  # match, own subject, counted noun, after
    segments: list[tuple[str, bool]] = []  # the stretch each count's event word is looked for in; forces?
    acting: list[bool] = []  # whether each count is the subject of a verb of its own
    for i, m in enumerate(matches):
        next_start = matches[i + 1].start if i + 1 < len(matches) else len(text)
        prev_end = matches[i - 1].end if i else 0
        after = text[m.end : next_start]
        clause_end = _CLAUSE_END.search(after)
        own = after[: clause_end.start()] if clause_end else after
        before = text[max(prev_end, m.start - 45) : m.start]
        before = before[before.rfind(";") + 1 :]  # a new clause after ";" does not take the event of the last
        if _NOT_ONE.search(text[: m.start]):
            continue  # "not one person was shot": nobody, no count
        noun = _counted(doc, m.end)
        figure = None if noun else _figure_noun(doc, m.start)
        label = None if noun or figure else _label_noun(doc, m.start)
        noun = noun or figure or label
        if noun is not None and _speaks(noun):
            continue
        if noun is not None and noun.idx + len(noun) <= m.end + len(own):
            own = own[noun.idx + len(noun) - m.end :]  # the counted noun itself names no event
        word = noun.lower_ if noun is not None else ""
        forces = noun is None or _group_of(noun) in _FORCES
        counted = noun if noun is not None else _number_token(doc, m)
        if counted is not None and _in_rejected_claim(counted):
            continue
        if label is not None:  # "Houses destroyed: 610": the label says what befell them, whatever the parse
            governed = _subject_in(text[: m.start], forces=forces)
        else:
            governed = _governed_subject(doc, counted, forces) if counted is not None else None
        if governed is None and counted is not None and _does_to_object(counted):
            governed = "other"  # "nearly 90 medical workers had signed an open letter": the doers, not the done-to
        named = _NOUN_SUBJECTS.get(word)
        if named and not (named == "injured" and governed == "evacuated"):  # "wounded taken to hospital"
            governed = named
        subject = (
            governed
            or _subject_in(own, forces=forces)
            or _subject_in(before, last=True, forces=forces)
            or (_subject_in(text[: m.start], last=True, forces=forces) if figure is not None else None)
            or (
                _subject_in(text[: m.start], last=True)
                if noun is None and _FIGURE_REACHED.search(text[: m.start])
                else None
            )
            or _WEAK_NOUN_SUBJECTS.get(word)
        )
        # A bare number with nothing counted is a clock time, a page, a score; a tally line ("Escaped: 11.")
        # counts whatever its label says.
        if subject is None and noun is None:
            if not (_LABEL.match(text[: m.start]) or _PART_AFTER.match(after) or _bare_count(doc, m, found, text)):
                continue
        if _AND_MORE.match(after):
            m = _Match(m.start, m.end, m.low, None, m.text)
        found.append((m, subject, noun, after))
        segments.append((own, forces))
        acting.append(counted is not None and _acts(counted))
    # Coordinated counts share their predicate: "three bridges and 600 houses have been damaged",
    # read for each count on its own terms ("1,200 soldiers and 60 boats have been sent").
    subjects = [subject for _, subject, _, _ in found]
    for k in range(len(found) - 2, -1, -1):
        whole_first = _WHOLE_FIRST.match(text[: found[k][0].start])
        if subjects[k] is None and _COORDINATED.match(found[k][3]) and not whole_first:
            subjects[k] = _subject_in(segments[k + 1][0], forces=segments[k][1]) or subjects[k + 1]
    result: list[Quantity] = []
    back: str | None = None  # the subject parts pointing back past this sentence take
    for k, (m, _, noun, after) in enumerate(found):
        subject = subjects[k]
        part_of = None
        prev_end = found[k - 1][0].end if k else 0
        between = text[prev_end : m.start]
        if result and (_PART_CUE.search(between) or _PART_AFTER.match(after)):
            part_of = result[-1].subject
            # "nine of them rescuers" shares the whole's subject; "1,900 of them have returned home" has its own
            subject = subject or (None if acting[k] else part_of)
        elif result and result[-1].part_of and _COORDINATED.match(between):
            part_of = result[-1].part_of  # "among them eight children and five women": both parts
            subject = subject or result[-1].subject
        elif not result and whole and (_PART_CUE.search(between) or _PART_AFTER.match(after)):
            # the whole is counted in an earlier sentence, unless named here: "among the patients are two"
            named_whole = _AMONG_THE.search(between)
            whole_noun = named_whole.group(1).lower() if named_whole else ""
            back = _NOUN_SUBJECTS.get(whole_noun) or _WEAK_NOUN_SUBJECTS.get(whole_noun) or whole
            subject = subject or (None if acting[k] else back)
        elif back and _COORDINATED.match(between):
            subject = subject or back  # "Of these, 14 were patients, six were staff and three relatives"
        group = _group_of(noun) if noun is not None else None
        if group is None:
            follows = result and (_PART_AFTER.match(after) or _COORDINATED.match(text[prev_end : m.start]))
            group = result[-1].group if follows else "people"
        word = noun.lower_ if noun is not None else ""
        if subject == "deployed" and group not in _FORCES:
            subject = "other"  # boats and buses are sent too, but only forces are deployed
        elif word in _MUNITIONS or (word in _THINGS and subject not in {"damaged", "missing", None}):
            subject = "other"  # things are damaged or counted, never killed; shells and craters only counted
        elif subject == "damaged" and word and word not in _THINGS and group in _PEOPLE_GROUPS:
            subject = "other"
        result.append(Quantity(subject or "other", group, m.low, m.high, m.text, part_of))
    return result


# Dependencies that tie a count to the word it counts or the phrase it stands in, climbed on the way
# to the predicate that says what happened to it.
_CLIMB = frozenset({"conj", "appos", "nummod", "quantmod", "compound", "npadvmod", "nmod"})
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "agent"})
# Words of a predicate that carry its meaning: "brought up alive", "remain underground", "are dead".
_PREDICATE_PARTS = frozenset({"prt", "acomp", "advmod", "oprd", "prep", "pobj", "dobj", "xcomp", "attr", "neg"})


def _predicate_words(verb: Token) -> str:
    """A predicate with its particles, complements and first prepositional phrase, in sentence order."""
    words = [verb]
    for child in verb.children:
        if child.dep_ in _PREDICATE_PARTS or (child.dep_ == "advcl" and child.tag_ == "JJ"):  # "found two alive"
            words.append(child)
            words.extend(c for c in child.children if c.dep_ in {"pobj", "amod", "compound", "det", "prt", "poss"})
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i))


def _governed_subject(doc: Doc, counted: Token, forces: bool) -> str | None:
    """What happened to a count, read from the parse: the participle or adjective on the counted noun
    ("miners killed", "dead miners", "men brought up alive"), else the predicate the noun is an
    argument of ("killing at least seven rescuers", "61 remain underground", "arrested ... and two
    supervisors"). Nearer and more general than the nearest event word in the sentence."""
    if not doc.has_annotation("DEP"):
        return None
    described = None
    for child in counted.children:
        if child.dep_ in {"amod", "acl"} and child.i != counted.i:
            described = _subject_in(_predicate_words(child), forces=forces)
            if described:
                break
    predicated = _predicated_subject(counted, forces)
    # "carried 18 injured people to hospital": taken to hospital, the injured are evacuated (convention 9)
    return predicated if predicated == "evacuated" else described or predicated


# Subjects that befall the object of their verb, not its subject: "three gunmen killed five people".
# Objects that say what befell the verb's subject instead: "six officers received injuries".
_SUFFERED = frozenset({"injuries", "injury", "wounds", "burns", "help", "treatment", "attention", "care"})
_BEFALLS = frozenset({"killed", "injured", "arrested", "detained", "damaged"})
_INTRANSITIVE = frozenset({"died", "die", "dies", "perished", "drowned", "succumbed", "disappeared"})


def _predicated_subject(counted: Token, forces: bool) -> str | None:
    """The subject the predicate a count is an argument of gives it."""
    token = counted
    for _ in range(8):
        of_whole = token.dep_ == "pobj" and token.head.lower_ == "of"
        if of_whole and (token.head.i == 0 or (token.head.head.like_num and token is not counted)):
            return None  # "Of the 112 men on the shift, roughly 60 were brought out": the whole, not the part
        if token.dep_ in _CLIMB or (token.dep_ == "pobj" and token.head.lower_ in {"of", "among", "including"}):
            if token.head == token:
                return None
            token = token.head.head if token.dep_ == "pobj" else token.head
            continue
        if token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.head.tag_ in VERBS:
            token = token.head  # "to 18", "among the 52 men": the preposition's verb
        if token.dep_ in _ARGUMENTS or token.dep_ == "prep":
            verb = token.head
            if verb.tag_ in VERBS or verb.tag_.startswith("JJ"):
                found = _subject_in(_predicate_words(verb), forces=forces)
                objects = [c for c in verb.children if c.dep_ == "dobj"]
                own = any(p.dep_ == "poss" and p.tag_ == "PRP$" for o in objects for p in o.children)
                suffered = any(o.lower_ in _SUFFERED for o in objects)  # "received injuries", "sought help"
                intransitive = verb.lower_ in _INTRANSITIVE  # "have died, four of them children": a misparse
                if found in _BEFALLS and token.dep_ == "nsubj" and objects and not (own or suffered or intransitive):
                    return "other"  # "two more hit the fish hall", not "37 lost their lives": the doer is not hit
                return found
        return None
    return None


_REJECTING = frozenset(
    """deny denies denied denying dismiss dismisses dismissed dismissing reject rejects rejected rejecting
    refute refutes refuted""".split()
)


_HEARSAY_NOUNS = frozenset({"reports", "report", "claims", "claim", "rumours", "rumors", "allegations", "stories"})
_DISCREDITED = frozenset({"false", "fake", "unfounded", "baseless", "untrue", "fabricated", "groundless"})


def _in_rejected_claim(token: Token) -> bool:
    """ "dismissed claims that dozens more had died": the numbers of a claim only mentioned to be
    rejected are not the claimant's (docs/extraction-gold.md, convention 7)."""
    if not token.doc.has_annotation("DEP"):
        return False
    for ancestor in token.ancestors:
        if ancestor.lower_ in _REJECTING and ancestor.i < token.i:
            return True
        if ancestor.lower_ in _HEARSAY_NOUNS and any(c.lower_ in _DISCREDITED for c in ancestor.children):
            return True  # "false reports of dozens of deaths"
    return False


def _acted_verb(counted: Token) -> Token | None:
    """The verb other than "be" the count is the subject of, if any: what it did of its own."""
    token = counted
    while token.dep_ in {"nummod", "quantmod", "compound"} and token.head != token:
        token = token.head
    verb = token.head
    return verb if token.dep_ == "nsubj" and verb.tag_ in VERBS and verb.lower_ not in _BE else None


def _acts(counted: Token) -> bool:
    """The count is the subject of a verb other than "be": it did something of its own."""
    return _acted_verb(counted) is not None


def _does_to_object(counted: Token) -> bool:
    """The count is the subject of a verb with a direct object: it acts on something else."""
    verb = _acted_verb(counted)
    return (
        verb is not None
        and verb.lower_ not in SPEECH_VERBS  # a misparse of "among them ten officers, ..., a source told RT"
        and any(c.dep_ == "dobj" and c.lower_ not in _SUFFERED for c in verb.children)
    )


_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "remain", "remains", "remained"})


def _number_token(doc: Doc, m: _Match) -> Token | None:
    """The last token of a number expression ("at least 8": "8")."""
    index = token_at(doc, m.end) - 1
    return doc[index] if 0 <= index < len(doc) else None


# "the toll has risen to 31", "stood at 18": a figure given without the noun it counts.
_FIGURE_REACHED = re.compile(
    r"\b(?:risen|rose|rises|climbed|jumped|increased|reached|grown|grew|stood|stands|put|puts|raised|revised|"
    r"lowered|bringing|brings|taking|takes)\s+(?:\w+\s+){0,8}?(?:to|at)\s+$|"
    r"\b(?:reached|passed|exceeded|topped|numbers?|numbered)\s+$|"
    r"\b(?:toll|number|figure|count|tally)\b[^.;]{0,130}\b(?:is|was|stands|stood)\s+(?:now\s+)?$",
    re.IGNORECASE,
)


def _bare_count(doc: Doc, m: _Match, found: list, text: str) -> bool:
    """A number with no noun that still counts: "fewer than 50 had stayed", "14 craters ... and
    3-4 in the fields"."""
    after = token_at(doc, m.end)
    if after < len(doc) and doc[after].tag_ in VERBS:
        return True
    if _FIGURE_REACHED.search(text[: m.start]):
        return True
    return bool(found) and bool(re.search(r"(?:,|\band)\s*$", text[found[-1][0].end : m.start]))

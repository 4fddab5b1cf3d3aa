"""Text reuse benchmark: generated crisis reports with known reuse, found by corroborator.provenance.text.

    python benchmarks/reuse_text.py                    # 100,000 reports: quality and throughput
    python benchmarks/reuse_text.py --reports 5000     # a quick run

Reports are generated from sentence templates and a vocabulary written here (a crisis in an
invented country: officials, places, figures, times), so every report reads like a wire story and
unrelated reports share their style and many short phrases. A share of them come in pairs:

    verbatim   the whole body reprinted word for word under another headline
    edited     light editing: new headline, first sentence rewritten, one paragraph dropped,
               attribution words changed ("told RT" -> "said"), a few words swapped
    partial    one or two paragraphs of the original reprinted inside a report of its own
    same-event (a hard negative) two independent reports on the same event, with the same facts,
               names and figures and one short shared quote, but no reused passage

Everything else is unrelated. Publication times: the copy is later in 80% of pairs, the time is
missing on one side in 10%, equal in 10% (direction unknown). Recall per kind of reuse: the share
of its pairs found (either way round); precision per kind: of the pairs found for reports of that
kind, the share that are true reuse pairs. ``kind ok`` is the share of found pairs labelled with
their true kind; ``direction ok`` the share of found pairs with a known time where the original
is the earlier one. For partial pairs, passage precision / recall compare the copy's passages,
character by character, with the paragraphs really reprinted.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter
from datetime import datetime, timedelta

from corroborator.provenance.text import TextDoc, TextReuse, find_text_reuse

OUTLETS = ["RT", "TASS", "Reuters", "AFP", "Interfax", "the BBC", "Kazinform", "Azattyq", "Vlast", "CBC", "Fergana"]
OFFICIALS = [
    "the interior ministry",
    "the health ministry",
    "the city prosecutor",
    "the president's office",
    "the national security committee",
    "the mayor of the city",
    "a police spokesman",
    "the defence ministry",
    "the emergency situations ministry",
    "a regional governor",
    "the foreign ministry",
    "the alliance command",
]
WITNESSES = [
    "an activist",
    "a taxi driver",
    "a student",
    "a nurse at the city hospital",
    "a shop owner",
    "a local journalist",
    "a resident of the district",
    "a lawyer",
    "a pensioner",
    "an engineer",
    "a doctor",
    "a volunteer",
]
PLACES = [
    "Republic Square",
    "the old square",
    "the airport",
    "the city administration building",
    "Abai avenue",
    "the central market",
    "the television tower",
    "the railway station",
    "the southern district",
    "the presidential residence",
    "the university campus",
    "Satpayev street",
    "the main police station",
    "the bus station",
    "the eastern highway",
    "the regional hospital",
    "the city park",
    "the northern bridge",
]
CITIES = ["Almaty", "Aktau", "Zhanaozen", "Shymkent", "Taraz", "Kyzylorda", "Aktobe", "Uralsk", "Semey", "Atyrau"]
GROUPS = [
    "protesters",
    "young men",
    "demonstrators",
    "unarmed people",
    "soldiers",
    "police officers",
    "armed men",
    "looters",
    "riot police",
    "peacekeepers",
    "residents",
    "journalists",
]
ACTIONS = [
    "opened fire on",
    "detained",
    "dispersed",
    "surrounded",
    "blocked the road to",
    "set fire to",
    "stormed",
    "cordoned off",
    "marched towards",
    "gathered outside",
    "retreated from",
    "took control of",
]
TIMES = [
    "on Wednesday evening",
    "after sundown",
    "early on Thursday",
    "late at night",
    "on Friday morning",
    "shortly after noon",
    "before dawn",
    "during the curfew",
    "on the second day of the unrest",
    "on Tuesday",
]
HEDGES = [""] * 16 + [" The figure could not be independently verified.", " No evidence was offered."]
ATTRIBUTIONS = [("told {outlet}", "said"), ("said in a statement", "said"), ("according to {outlet}", "reportedly")]
SWAPS = [("killed", "dead"), ("injured", "wounded"), ("people", "persons"), ("city", "town"), ("said", "stated")]

# {a|b|c} is a choice made afresh in every sentence, {name} a fact of the event or a random one;
# fixed runs of words are kept short so that unrelated reports share phrases, not sentences.
TEMPLATES = [
    "{Official} {said|stated|confirmed|announced} {that |}{n} {people|civilians|residents|protesters} {were|had been}"
    " {killed|shot dead|killed} {in clashes|in the violence|during the unrest} {near|at|outside} {place} {time}.",
    "{Witness} {attribution} that {group} {action} {place} {time}{| in {city}| as crowds grew}.",
    "{At least|More than|Nearly|About} {n} {group} were {injured|wounded|hurt}, {official} {said|reported|added},"
    " {and|while} {m} {remain|are still|were kept} in {hospital|intensive care|a serious condition}.",
    "{Footage|Video|Pictures} {shared online|posted on social media|aired by {outlet}} {showed|appeared to show}"
    " {group} {near|at|around} {place}, where {n2} {cars|vehicles|buses} {had been|were} {burned|set alight|torched}.",
    "{Official} {blamed|held responsible} {group} {for the violence|for the unrest|for the riots} and"
    " {promised|vowed|pledged} to {restore order|bring back calm|punish those responsible} in {city}.",
    "The {unrest|protests|demonstrations} {began|started|broke out} in {city2} {after|when} {fuel|gas|food} prices"
    " {doubled|rose sharply|jumped} and {spread|moved} to {city} within {n3} {days|weeks}.",
    "{Internet access|Mobile internet|Phone service} in {city} was {cut|shut down|blocked} {time}, {making it hard|so"
    " it was difficult} to {confirm|verify|check} {what happened|the reports|the accounts} {at|near} {place}.",
    "{Witness} {attribution} {she|he} {saw|counted} {about|around|roughly} {n} {group} {at|near} {place} and"
    " {heard|could hear} {gunfire|shooting|explosions} for {n3} {minutes|hours}.",
    "{Official} {declared|announced|imposed} a {state of emergency|curfew|lockdown} in {city}"
    " {from {n3} pm|until further notice|for {n3} days}{| and closed {place}}.",
    "{Group} {action} {place} {time}, {witness} {attribution}{|, adding that {group2} {fled|ran away|hid}}.",
    "{Hospitals|Clinics|Doctors} in {city} {received|treated|admitted} {n} {wounded|injured|casualties} {time},"
    " {official} {said|reported|confirmed}.",
    "{Official} {said|reported} {m} {officers|policemen|soldiers} {had died|were killed|lost their lives} and {n2}"
    " {were missing|were unaccounted for|had been wounded} {after|following} the {clashes|fighting} {at|near} {place}.",
    "{Residents|People|Families} {of|in} {city} {said|told {outlet}|reported} {shops|banks|pharmacies} {near|around}"
    " {place} {stayed|remained} {closed|shut} and {queues|lines|crowds} {formed|grew} {at cash machines|for bread|"
    "at petrol stations}.",
    "{Troops|Soldiers|Units} of the {alliance|peacekeeping force|foreign contingent} {arrived|were deployed|landed}"
    " {at|near} {place} {in {city}|} {time}, {official} {said|announced|confirmed}.",
    "{It was not possible|{outlet} was unable|Reporters could not} to {verify|confirm|check} the"
    " {claims|figures|account} of {official} about {group} {at|near} {place}.",
    "The {number|toll|count} of {dead|deaths|victims} in {city} {rose|climbed|increased} to {n}, {official}"
    " {said|reported}{|, without giving details|, citing preliminary data}.",
    "{Witness} {attribution} that {group} {fired|shot} {into the air|warning shots|at the crowd} {before|as} {group2}"
    " {ran|fled|moved} {towards|to|away from} {place}.",
    "{Flights|Trains|Buses} to {city} were {suspended|cancelled|halted} {time} and {place} was {closed|sealed off|"
    "cordoned off} {to traffic|by police|by the army}.",
]
QUOTES = [
    '"We are not terrorists, we are ordinary people," {witness} said.',
    '"Order will be restored in {city} at any cost," {official} said.',
    '"There were shots from the roofs near {place}, everyone lay down," {witness} said.',
]


_CHOICE = re.compile(r"\{((?:[^{}|]|\{\w+\})*(?:\|(?:[^{}|]|\{\w+\})*)+)\}")


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


class Writer:
    """Sentences and reports from the templates, reproducible from one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def facts(self) -> dict[str, str]:
        r = self.rng
        return {
            "official": r.choice(OFFICIALS),
            "witness": r.choice(WITNESSES),
            "place": r.choice(PLACES),
            "city": r.choice(CITIES),
            "city2": r.choice(CITIES),
            "group": r.choice(GROUPS),
            "group2": r.choice(GROUPS),
            "action": r.choice(ACTIONS),
            "time": r.choice(TIMES),
            "n": str(r.randint(3, 250)),
            "m": str(r.randint(2, 40)),
            "n2": str(r.randint(2, 60)),
            "n3": str(r.randint(2, 12)),
            "outlet": r.choice(OUTLETS),
        }

    def sentence(self, facts: dict[str, str], template: str | None = None) -> str:
        """One sentence; about half of its slots keep the event's facts, the rest vary."""
        r = self.rng
        values = {key: (value if r.random() < 0.5 else self.facts()[key]) for key, value in facts.items()}
        spoken, _ = r.choice(ATTRIBUTIONS)
        values["attribution"] = spoken.format(outlet=values["outlet"])
        for key in ("official", "witness", "group"):
            values[key.capitalize()] = _cap(values[key])
        text = template or r.choice(TEMPLATES)
        substitutions = 1
        while substitutions:  # innermost choices first, so that a choice may hold another
            text, substitutions = _CHOICE.subn(lambda match: r.choice(match.group(1).split("|")), text)
        return text.format(**values) + r.choice(HEDGES)

    def paragraph(self, facts: dict[str, str]) -> str:
        return " ".join(self.sentence(facts) for _ in range(self.rng.randint(2, 3)))

    def headline(self, facts: dict[str, str]) -> str:
        return _cap(f"{facts['group']} {facts['action']} {facts['place']} in {facts['city']}")

    def report(self, facts: dict[str, str] | None = None, paragraphs: int | None = None) -> tuple[str, list[str]]:
        facts = facts or self.facts()
        body = [self.paragraph(facts) for _ in range(paragraphs or self.rng.randint(3, 6))]
        return self.headline(facts), body


def join(headline: str, paragraphs: list[str]) -> str:
    return headline + "\n\n" + "\n\n".join(paragraphs)


def lightly_edit(writer: Writer, headline: str, paragraphs: list[str]) -> tuple[str, list[str]]:
    """A new headline, the first sentence rewritten, a paragraph dropped, attributions and a few words changed."""
    r = writer.rng
    body = list(paragraphs)
    if len(body) >= 4:
        del body[r.randrange(1, len(body))]
    first, _, rest = body[0].partition(". ")
    body[0] = writer.sentence(writer.facts()) + (" " + rest if rest else "")
    edited = []
    for paragraph in body:
        for outlet in OUTLETS:
            paragraph = paragraph.replace(f"told {outlet}", "said").replace(f"according to {outlet}", "reportedly")
        edited.append(paragraph)
    for _ in range(3):
        old, new = r.choice(SWAPS)
        index = r.randrange(len(edited))
        edited[index] = edited[index].replace(f" {old} ", f" {new} ", 1)
    return "UPDATE: " + headline.lower(), edited


def build(count: int, seed: int) -> tuple[list[TextDoc], dict[frozenset, str], dict[str, tuple[int, int]]]:
    """Reports, the true pairs with their kind, and for partial copies the character span really reprinted."""
    rng = random.Random(seed)
    writer = Writer(rng)
    start = datetime(2022, 1, 5, 6, 0)
    docs: list[TextDoc] = []
    truth: dict[frozenset, str] = {}
    reprinted: dict[str, tuple[int, int]] = {}
    pairs_each = count // 20  # 5% of reports in pairs of each kind, 4 kinds: 40% in pairs, 60% single

    def times() -> tuple[datetime | None, datetime | None]:
        first = start + timedelta(minutes=rng.randint(0, 60 * 72))
        roll = rng.random()
        if roll < 0.8:
            return first, first + timedelta(minutes=rng.randint(5, 600))
        if roll < 0.9:
            return (None, first) if rng.random() < 0.5 else (first, None)
        return first, first

    for kind in ("verbatim", "edited", "partial", "same-event"):
        for number in range(pairs_each):
            original_key, copy_key = f"{kind}-{number}-a", f"{kind}-{number}-b"
            facts = writer.facts()
            headline, body = writer.report(facts, paragraphs=rng.randint(4, 6))
            published_original, published_copy = times()
            if kind == "verbatim":
                copy_text = join(writer.headline(writer.facts()), body)
            elif kind == "edited":
                copy_text = join(*lightly_edit(writer, headline, body))
            elif kind == "partial":
                own_headline, own = writer.report(paragraphs=rng.randint(3, 5))
                taken = rng.randint(1, len(body) - 2)
                chunk = body[taken : taken + rng.randint(1, 2)]
                at = rng.randint(1, len(own))
                before = join(own_headline, own[:at]) + "\n\n"
                copy_text = before + "\n\n".join(chunk + own[at:])
                reprinted[copy_key] = (len(before), len(before) + len("\n\n".join(chunk)))
            else:  # same-event: independent wording of the same facts and one shared quote
                quote = rng.choice(QUOTES).format(**facts)
                body[rng.randrange(len(body))] += " " + quote
                copy_headline, copy_body = writer.report(facts, paragraphs=rng.randint(4, 6))
                copy_body[rng.randrange(len(copy_body))] += " " + quote
                copy_text = join(copy_headline, copy_body)
            docs.append(TextDoc(original_key, join(headline, body), published_original))
            docs.append(TextDoc(copy_key, copy_text, published_copy))
            if kind != "same-event":
                truth[frozenset((original_key, copy_key))] = kind
    for number in range(count - len(docs)):
        headline, body = writer.report()
        docs.append(TextDoc(f"single-{number}", join(headline, body), start + timedelta(minutes=rng.randint(0, 4320))))
    rng.shuffle(docs)
    return docs, truth, reprinted


def passage_scores(found: list[TextReuse], reprinted: dict[str, tuple[int, int]]) -> tuple[float, float]:
    """Character precision and recall of the copy's passages against the paragraphs really reprinted."""
    inside = covered = total_passage = total_true = 0
    for reuse in found:
        for key in (reuse.copy_key, reuse.original_key):
            if key in reprinted:
                true_start, true_end = reprinted[key]
                spans = [
                    (p.copy_start, p.copy_end) if key == reuse.copy_key else (p.original_start, p.original_end)
                    for p in reuse.passages
                ]
                hit = set()
                for span_start, span_end in spans:
                    total_passage += span_end - span_start
                    overlap = range(max(span_start, true_start), min(span_end, true_end))
                    inside += len(overlap)
                    hit.update(overlap)
                covered += len(hit)
                total_true += true_end - true_start
    return inside / max(total_passage, 1), covered / max(total_true, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    started = time.perf_counter()
    docs, truth, reprinted = build(args.reports, args.seed)
    generated = time.perf_counter() - started
    words = sum(len(doc.text.split()) for doc in docs)
    published = {doc.key: doc.published for doc in docs}

    started = time.perf_counter()
    found = find_text_reuse(docs)
    elapsed = time.perf_counter() - started

    kind_of_key = {key: kind for pair, kind in truth.items() for key in pair}
    same_event = {doc.key for doc in docs if doc.key.startswith("same-event")}
    found_pairs = {frozenset((r.original_key, r.copy_key)): r for r in found}
    print(f"{len(docs)} reports, {words / len(docs):.0f} words on average, seed {args.seed}")
    print(f"{'kind':12} {'pairs':>6} {'recall':>7} {'found':>6} {'precision':>9} {'kind ok':>8} {'direction ok':>12}")
    for kind in ("verbatim", "edited", "partial"):
        pairs = [pair for pair, value in truth.items() if value == kind]
        recall = sum(pair in found_pairs for pair in pairs) / max(len(pairs), 1)
        involving = [r for r in found if kind_of_key.get(r.original_key) == kind or kind_of_key.get(r.copy_key) == kind]
        correct = [r for r in involving if frozenset((r.original_key, r.copy_key)) in truth]
        kind_ok = sum(r.kind == kind for r in correct) / max(len(correct), 1)
        directed = [r for r in correct if r.direction_known]
        direction_ok = sum(published[r.original_key] < published[r.copy_key] for r in directed) / max(len(directed), 1)
        precision = len(correct) / max(len(involving), 1)
        print(
            f"{kind:12} {len(pairs):>6} {recall:>7.3f} {len(involving):>6} {precision:>9.3f} {kind_ok:>8.3f} "
            f"{direction_ok:>12.3f}"
        )
    wrong = [r for r in found if frozenset((r.original_key, r.copy_key)) not in truth]
    on_same_event = sum(r.original_key in same_event and r.copy_key in same_event for r in wrong)
    print(
        f"all found pairs: {len(found)}, precision {1 - len(wrong) / max(len(found), 1):.4f}; "
        f"false pairs {len(wrong)} ({on_same_event} between same-event reports)"
    )
    kinds = Counter((truth.get(frozenset((r.original_key, r.copy_key))), r.kind) for r in found)
    print("true kind -> label: " + ", ".join(f"{t}->{p}: {n}" for (t, p), n in sorted(kinds.items(), key=str)))
    precision, recall = passage_scores(
        [r for r in found if r.copy_key in reprinted or r.original_key in reprinted], reprinted
    )
    print(f"partial passages (characters): precision {precision:.3f}, recall {recall:.3f}")
    print(f"generation {generated:.1f} s; text reuse {elapsed:.1f} s ({len(docs) / elapsed:.0f} reports/s)")


if __name__ == "__main__":
    main()

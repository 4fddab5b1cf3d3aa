"""Extraction of attributed claims from report texts: the one entry point of the NLP code.

A report goes through: language check, sentence split, check-worthiness (the cheap filter),
spaCy on the candidate sentences only, then per sentence attribution, quantities, places,
time and markers. Sentences are parsed one by one in batches across reports
(``extract_many``), so spaCy's batching pays off on many short reports as on a few long
ones, and report-level context (who "she" is, which quotation a sentence belongs to, the
last date mentioned) is kept in plain Python between sentences.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice

from spacy.tokens import Doc

from corroborator.extract.attribution import Attribution, Attributor
from corroborator.extract.claims import MARKERS, ExtractedClaim, ReportExtraction, TimeRef
from corroborator.extract.language import detect_language
from corroborator.extract.markers import find_markers
from corroborator.extract.nlp import analyse, load_pipeline
from corroborator.extract.places import find_places
from corroborator.extract.quantities import extract_quantities
from corroborator.extract.sentences import Sentence, quotations, quoted_share, split_sentences
from corroborator.extract.times import find_times, resolve_time
from corroborator.extract.worthiness import THRESHOLD, WorthinessModel, shipped

_SPACE = re.compile(r"\s+")
_BACK_REFERENCE = re.compile(
    r"\b(?:for|to\s+support|backing)\s+(?:the|that|this|his|her|its|their)\s+"
    r"(?:claims?|assertions?|accusations?|allegations?|charges?|statements?)\b|\bfor\s+it\b",
    re.IGNORECASE,
)
_OUTLET = re.compile(r"\b(?:News|Agency|Television|TV|Radio|Press|Wire|Times|Post|Media|Service)\b")


@dataclass(frozen=True)
class ReportInput:
    """What extraction needs to know about one report."""

    text: str
    source: str  # the report's own source as named (registry name or the name the input gave)
    published: datetime | None = None  # relative times resolve against it
    language: str | None = None  # declared language; detected when None
    title: str | None = None  # helps language detection on short posts
    aliases: tuple[str, ...] = ()  # other names of ``source``, so "told RFE/RL" is not a second link


@dataclass
class _Pending:
    report: ReportInput
    result: ReportExtraction
    sentences: list[Sentence]
    scores: list[float]
    candidates: list[int]  # indexes into sentences that go through spaCy


class Extractor:
    """Turns reports into ``ReportExtraction``s; load once, reuse for every report."""

    VERSION = "6"  # bump when output changes, so stored claims can be redone

    def __init__(
        self,
        batch_size: int = 256,
        threshold: float = THRESHOLD,
        processes: int = 1,
        worthiness: WorthinessModel | None = None,
    ) -> None:
        self.nlp = load_pipeline()
        self.batch_size = batch_size
        self.threshold = threshold
        self.worthiness = worthiness or shipped()
        self.processes = processes

    def extract(self, report: ReportInput) -> ReportExtraction:
        return next(self.extract_many([report]))

    def extract_many(self, reports: Iterable[ReportInput], chunk: int = 64) -> Iterator[ReportExtraction]:
        """Extract reports in order, parsing their candidate sentences in shared spaCy batches.

        With ``processes`` > 1 and more than one chunk of reports, chunks go to forked worker
        processes that share the loaded model; only the small result records travel back.
        """
        it = iter(reports)
        chunks = iter(lambda: list(islice(it, chunk)), [])
        if self.processes <= 1:
            for batch in chunks:
                yield from self._extract_chunk(batch)
            return
        head = list(islice(chunks, 2))
        if len(head) < 2:
            for batch in head:
                yield from self._extract_chunk(batch)
            return
        global _WORKER
        _WORKER = self
        context = multiprocessing.get_context("fork")
        with context.Pool(self.processes) as pool:
            for results in pool.imap(_worker_chunk, chain(head, chunks)):
                yield from results

    def _extract_chunk(self, batch: list[ReportInput]) -> list[ReportExtraction]:
        pending = [self._prepare(r) for r in batch]
        texts = [p.sentences[i].text for p in pending for i in p.candidates]
        docs = iter(analyse(self.nlp, texts, self.batch_size))
        return [self._finish(p, [next(docs) for _ in p.candidates]) for p in pending]

    def _prepare(self, report: ReportInput) -> _Pending:
        sample = f"{report.title}\n{report.text}" if report.title else report.text
        verdict = detect_language(sample, report.language)
        result = ReportExtraction(language=verdict.code, supported=verdict.supported)
        if not verdict.supported:
            result.note = f"language not supported: {verdict.code}"
            return _Pending(report, result, [], [], [])
        sentences = split_sentences(report.text)
        quotes = quotations(report.text)
        scores = [self.worthiness.score(s.text, quoted_share(s, quotes) > 0.5) for s in sentences]
        result.sentences = len(sentences)
        candidates = [i for i, score in enumerate(scores) if score >= self.threshold]
        return _Pending(report, result, sentences, scores, candidates)

    def _finish(self, p: _Pending, docs: list[Doc]) -> ReportExtraction:
        report = p.report
        attributor = Attributor(report.source, report.aliases)
        quotes = quotations(report.text)
        parts: list[list[tuple[Attribution, int, int]]] = []
        for i, doc in zip(p.candidates, docs, strict=True):
            parts.append(attributor.attribute(doc, quoted=quoted_share(p.sentences[i], quotes) > 0.3))
        _share_quotations(p, quotes, parts, attributor)
        previous_time: TimeRef | None = None
        whole: str | None = None  # the subject of the report's last count so far, for parts that point back
        # Places found anywhere in the report are places everywhere in it ("Osmia said ..."), so
        # a first pass collects them before the claims are built.
        known_places: set[str] = set()
        for doc in docs:
            find_places(doc, _not_places(report, None, attributor), known_places)
        for i, doc, sentence_parts in zip(p.candidates, docs, parts, strict=True):
            sentence = p.sentences[i]
            for attribution, start, end in sentence_parts:
                part = doc if (start, end) == (0, len(doc)) else doc[start:end].as_doc()
                times = find_times(part.text, report.published)
                time = resolve_time(part.text, report.published, previous_time, times)
                previous_time = time or previous_time
                spans = [(f.start, f.end) for f in times]
                quantities = extract_quantities(part, spans, whole)
                whole = quantities[-1].subject if quantities else whole
                not_places = _not_places(report, attribution, attributor)
                p.result.claims.append(
                    ExtractedClaim(
                        sentence=_SPACE.sub(" ", sentence.text),
                        start=sentence.start,
                        end=sentence.end,
                        check_worthiness=round(p.scores[i], 3),
                        claimant=attribution.claimant,
                        chain=attribution.chain,
                        quantities=quantities,
                        places=find_places(part, not_places, known_places),
                        time=time,
                        markers=find_markers(part),
                        quote=attribution.quote,
                    )
                )
        _carry_back_evidence_markers(p.result.claims, report.source)
        return p.result


_WORKER: Extractor | None = None  # the extractor a forked worker inherits from its parent


def _worker_chunk(batch: list[ReportInput]) -> list[ReportExtraction]:
    assert _WORKER is not None, "worker started without an extractor"
    return _WORKER._extract_chunk(batch)


def _carry_back_evidence_markers(claims: list[ExtractedClaim], source: str) -> None:
    """ "Tokayev presented no evidence for the claim.": the claim meant is Tokayev's in the
    sentence before, which gets the marker too (the sentence keeps its own)."""
    for claim in claims:
        if "no_evidence" not in claim.markers or not _BACK_REFERENCE.search(claim.sentence):
            continue
        before = [c for c in claims if c.end <= claim.start]
        if not before:
            continue
        last = max(c.start for c in before)
        for earlier in (c for c in before if c.start == last):
            name = earlier.claimant.name
            if name != source and re.search(rf"\b{re.escape(name.split()[-1])}\b", claim.sentence):
                if "no_evidence" not in earlier.markers:
                    earlier.markers = [m for m in MARKERS if m in {*earlier.markers, "no_evidence"}]


def _not_places(report: ReportInput, attribution: Attribution | None, attributor: Attributor) -> set[str]:
    """Names the model may take for places that are not: the report's source, outlets in the
    chain ("RT", "TASS"), and people named in the report ("Brask", "Emil")."""
    names = {report.source, *report.aliases}
    if attribution is not None:
        names.update(s.name for s in attribution.chain if s.name.isupper() or _OUTLET.search(s.name))
    for name, person, _ in attributor.mentions.names:
        words = name.split()
        if person and len(words) > 1 and all(w[:1].isupper() for w in words):
            names.add(name)  # a personal name; one-word "people" are often places the model got wrong
            names.update(words)
    return {name.lower() for name in names}


def _share_quotations(
    p: _Pending,
    quotes: list[tuple[int, int]],
    parts: list[list[tuple[Attribution, int, int]]],
    attributor: Attributor,
) -> None:
    """Give every sentence of a multi-sentence quotation the speaker named once for it.

    The speaker comes from a sentence of the same quotation that names one ("...," she
    said), or from the sentence just before it when that one introduces it ("she said:").
    Sentences that name their own speaker keep it.
    """
    positions = {sentence_index: k for k, sentence_index in enumerate(p.candidates)}

    def framed(k: int | None) -> Attribution | None:
        if k is None or len(parts[k]) != 1 or parts[k][0][0].quote is None:
            return None
        return parts[k][0][0]

    for q_start, q_end in quotes:
        members = [i for i, s in enumerate(p.sentences) if s.start < q_end and q_start < s.end]
        if not members:
            continue
        speaker = next((a for i in members if (a := framed(positions.get(i))) is not None), None)
        before = members[0] - 1
        if speaker is None and before >= 0:
            earlier = framed(positions.get(before))
            # introduced ("she said:"), or a quotation going on from the one before it, whose speaker was named
            if p.sentences[before].text.rstrip().endswith(":") or (earlier is not None and earlier.quote == "direct"):
                speaker = earlier
        if speaker is None:
            continue
        for i in members:
            k = positions.get(i)
            if k is not None and framed(k) is None and len(parts[k]) == 1:
                _, start, end = parts[k][0]
                parts[k] = [(attributor.inherit(speaker), start, end)]

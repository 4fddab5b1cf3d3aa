"""Extraction of attributed claims from report texts: the one entry point of the NLP code.

A report goes through: language check, sentence split, check-worthiness (the cheap filter),
spaCy on the candidate sentences only, then per sentence attribution, quantities, places,
time and markers. Sentences are parsed one by one in batches across reports
(``extract_many``), so spaCy's batching pays off on many short reports as on a few long
ones, and report-level context (who "she" is, which quotation a sentence belongs to, the
last date mentioned) is kept in plain Python between sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from spacy.tokens import Doc

from corroborator.extract.attribution import Attribution, Attributor
from corroborator.extract.claims import ExtractedClaim, ReportExtraction, TimeRef
from corroborator.extract.language import detect_language
from corroborator.extract.markers import find_markers
from corroborator.extract.nlp import load_pipeline
from corroborator.extract.places import find_places
from corroborator.extract.quantities import extract_quantities
from corroborator.extract.sentences import Sentence, quotations, split_sentences
from corroborator.extract.times import find_times, resolve_time
from corroborator.extract.worthiness import THRESHOLD, check_worthiness

_SPACE = re.compile(r"\s+")


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

    VERSION = "1"  # bump when output changes, so stored claims can be redone

    def __init__(self, batch_size: int = 256, threshold: float = THRESHOLD) -> None:
        self.nlp = load_pipeline()
        self.batch_size = batch_size
        self.threshold = threshold

    def extract(self, report: ReportInput) -> ReportExtraction:
        return next(self.extract_many([report]))

    def extract_many(self, reports: Iterable[ReportInput], chunk: int = 64) -> Iterator[ReportExtraction]:
        """Extract reports in order, parsing their candidate sentences in shared spaCy batches."""
        it = iter(reports)
        while batch := list(islice(it, chunk)):
            pending = [self._prepare(r) for r in batch]
            texts = [p.sentences[i].text for p in pending for i in p.candidates]
            docs = iter(self.nlp.pipe(texts, batch_size=self.batch_size))
            for p in pending:
                yield self._finish(p, [next(docs) for _ in p.candidates])

    def _prepare(self, report: ReportInput) -> _Pending:
        sample = f"{report.title}\n{report.text}" if report.title else report.text
        verdict = detect_language(sample, report.language)
        result = ReportExtraction(language=verdict.code, supported=verdict.supported)
        if not verdict.supported:
            result.note = f"language not supported: {verdict.code}"
            return _Pending(report, result, [], [], [])
        sentences = split_sentences(report.text)
        scores = [check_worthiness(s.text) for s in sentences]
        result.sentences = len(sentences)
        candidates = [i for i, score in enumerate(scores) if score >= self.threshold]
        return _Pending(report, result, sentences, scores, candidates)

    def _finish(self, p: _Pending, docs: list[Doc]) -> ReportExtraction:
        report = p.report
        attributor = Attributor(report.source, report.aliases)
        quotes = quotations(report.text)
        attributions: list[Attribution] = []
        own_frame: list[bool] = []
        for i, doc in zip(p.candidates, docs, strict=True):
            sentence = p.sentences[i]
            quoted = _quoted_share(sentence, quotes) > 0.3
            attribution = attributor.attribute(doc, quoted=quoted)
            attributions.append(attribution)
            own_frame.append(attribution.quote is not None)
        attributions = _share_quotations(p, quotes, attributions, own_frame)
        previous_time: TimeRef | None = None
        for i, doc, attribution in zip(p.candidates, docs, attributions, strict=True):
            sentence = p.sentences[i]
            time = resolve_time(sentence.text, report.published, previous_time)
            previous_time = time or previous_time
            spans = [(f.start, f.end) for f in find_times(sentence.text, report.published)]
            speakers = (report.source, *report.aliases, *(s.name for s in attribution.chain))
            p.result.claims.append(
                ExtractedClaim(
                    sentence=_SPACE.sub(" ", sentence.text),
                    start=sentence.start,
                    end=sentence.end,
                    check_worthiness=round(p.scores[i], 3),
                    claimant=attribution.claimant,
                    chain=attribution.chain,
                    quantities=extract_quantities(doc, spans),
                    places=find_places(doc, speakers),
                    time=time,
                    markers=find_markers(doc),
                    quote=attribution.quote,
                )
            )
        return p.result


def _quoted_share(sentence: Sentence, quotes: list[tuple[int, int]]) -> float:
    inside = sum(max(0, min(sentence.end, e) - max(sentence.start, s)) for s, e in quotes)
    return inside / max(1, sentence.end - sentence.start)


def _share_quotations(
    p: _Pending, quotes: list[tuple[int, int]], attributions: list[Attribution], own_frame: list[bool]
) -> list[Attribution]:
    """Give every sentence of a multi-sentence quotation the speaker named once for it.

    The speaker comes from a sentence of the same quotation that names one ("...," she
    said), or from the sentence just before it when that one introduces it ("she said:").
    """
    result = list(attributions)
    positions = {sentence_index: k for k, sentence_index in enumerate(p.candidates)}
    for q_start, q_end in quotes:
        members = [i for i, s in enumerate(p.sentences) if s.start < q_end and q_start < s.end]
        if not members:
            continue
        speaker: Attribution | None = None
        for i in members:
            k = positions.get(i)
            if k is not None and own_frame[k]:
                speaker = attributions[k]
                break
        if speaker is None and members and members[0] > 0:
            before = members[0] - 1
            k = positions.get(before)
            if k is not None and own_frame[k] and p.sentences[before].text.rstrip().endswith(":"):
                speaker = attributions[k]
        if speaker is None:
            continue
        for i in members:
            k = positions.get(i)
            if k is not None and not own_frame[k]:
                result[k] = Attribution(list(speaker.chain), speaker.claimant, "direct")
    return result

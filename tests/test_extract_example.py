"""The claims the bundled Almaty example must yield (issue 4, "What it must show"), read from the
example's own files through the ingest parsers, as `corroborator run` reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corroborator.extract.claims import ExtractedClaim, ReportExtraction
from corroborator.extract.extractor import Extractor, ReportInput
from corroborator.ingest.drafts import ParseContext
from corroborator.ingest.formats import detect_format, parse_document

EXAMPLE = Path(__file__).parents[1] / "src" / "corroborator" / "examples" / "almaty-2022"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def registry() -> dict[str, tuple[str, tuple[str, ...]]]:
    sources = yaml.safe_load((EXAMPLE / "sources.yaml").read_text())["sources"]
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    for source in sources:
        aliases = tuple(source.get("aliases") or [])
        for name in (source["name"], *aliases):
            names[name] = (source["name"], aliases)
    return names


def report(extractor: Extractor, registry: dict, path: str, words: str) -> ReportExtraction:
    """Extract the report in ``path`` whose text contains ``words``."""
    file = EXAMPLE / "reports" / path
    data = file.read_bytes()
    drafts = parse_document(
        detect_format(file.name, data[:4096]), data, ParseContext(name=file.name, base_dir=file.parent)
    )
    draft = next(d for d in drafts if words in d.text)
    name, aliases = registry[draft.source.name]
    return extractor.extract(
        ReportInput(draft.text, name, draft.published_at, draft.language, draft.title, aliases=aliases)
    )


def claim(result: ReportExtraction, words: str) -> ExtractedClaim:
    return next(c for c in result.claims if words in c.sentence)


def test_state_channel_casualty_claim(extractor: Extractor, registry: dict) -> None:
    rt = report(extractor, registry, "telegram/rt_news/result.json", "Dozens of people")
    found = claim(rt, "Dozens of people have been killed")
    assert found.claimant.name == "RT"
    assert [s.anonymous for s in found.chain] == [True, False]
    killed = [(q.group, q.low, q.high, q.part_of) for q in found.quantities if q.subject == "killed"]
    assert ("people", 24, 99, None) in killed
    assert ("police", 10, 10, "killed") in killed


def test_presidents_terrorism_claim_and_the_no_evidence_marker(extractor: Extractor, registry: dict) -> None:
    akorda = report(extractor, registry, "html/akorda-address.html", "terrorist gangs")
    assert claim(akorda, "Almaty has been attacked by terrorist gangs").claimant.name == "Akorda"
    rferl = report(extractor, registry, "html/rferl-republic-square.html", "Tokayev presented no evidence")
    assert "no_evidence" in claim(rferl, "Tokayev presented no evidence").markers
    relayed = [c for c in rferl.claims if "who has blamed the unrest" in c.sentence]
    assert [(c.claimant.name, c.markers) for c in relayed] == [
        ("RFE/RL", []),
        ("Kassym-Jomart Tokayev", ["no_evidence"]),  # relayed in a relative clause, doubted in the next sentence
    ]
    cbc = report(extractor, registry, "html/cbc-sovereignty.html", "not presented any evidence")
    assert "no_evidence" in claim(cbc, "not presented any evidence").markers


def test_activists_live_fire_claim_through_the_broadcaster(extractor: Extractor, registry: dict) -> None:
    rferl = report(extractor, registry, "html/rferl-republic-square.html", "live ammunition")
    for words in ("soldiers opened fire on the protesters", "Nobody had a weapon", "When it got dark"):
        found = claim(rferl, words)
        assert [s.name for s in found.chain] == [found.claimant.name, "RFE/RL"]
        assert found.claimant.name.lower() in {"an activist", "the activist"}
    live_fire = claim(rferl, "soldiers opened fire on the protesters")
    assert live_fire.places == ["Almaty", "Republic Square"]
    assert (live_fire.time.start.isoformat(), live_fire.time.part) == ("2022-01-05", "evening")


def test_correspondents_denial_of_the_reported_scale(extractor: Extractor, registry: dict) -> None:
    meduza = report(extractor, registry, "html/meduza-phone-calls.html", "much smaller")
    assert "denial" in claim(meduza, "the scale is much smaller than the one reported").markers
    assert "denial" in claim(meduza, "are untrue or at least highly suspect").markers


def test_every_example_report_is_read(extractor: Extractor, registry: dict) -> None:
    """Many reports at once, in worker processes, give what one at a time gives."""
    inputs = []
    for file in sorted((EXAMPLE / "reports").rglob("*")):
        if file.suffix not in {".html", ".json", ".xml", ".md", ".txt", ".csv", ".yaml"}:
            continue
        data = file.read_bytes()
        for draft in parse_document(detect_format(file.name, data[:4096]), data, ParseContext(file.name, file.parent)):
            name, aliases = registry[draft.source.name]
            inputs.append(ReportInput(draft.text, name, draft.published_at, draft.language, draft.title, aliases))
    one_by_one = [extractor.extract(r) for r in inputs]
    parallel = Extractor(processes=2)
    assert list(parallel.extract_many(inputs, chunk=4)) == one_by_one
    assert all(r.supported for r in one_by_one)
    assert sum(len(r.claims) for r in one_by_one) > 60
    assert Extractor.VERSION

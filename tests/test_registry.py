"""The sources registry resolves names, aliases and domains, and round-trips its files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from corroborator.registry import Registry, RegistryError, SourceRecord, read_records, write_records
from corroborator.store.schema import CustodyEntry

SOURCES_YAML = """\
sources:
  - name: RT
    kind: state_media
    owner: Russian state
    country: Russia
    parties: [Russia / CSTO]
    aliases: [Russia Today]
    domains: [rt.com]
  - name: Radio Azattyq
    kind: international_broadcaster
    owner: RFE/RL
    aliases: [RFE/RL, Radio Free Europe/Radio Liberty]
    domains: [rus.azattyq.org]
"""


def _registry(workspace, session) -> Registry:
    return Registry(session, workspace.custody, "tester")


def test_import_and_resolve_by_name_alias_and_domain(workspace, tmp_path: Path):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES_YAML, encoding="utf-8")
    with workspace.database.session() as session:
        registry = _registry(workspace, session)
        for record in read_records(path):
            registry.upsert(record)
        assert registry.find("russia  today").name == "RT"
        assert registry.find("rfe/rl").name == "Radio Azattyq"
        assert registry.find_by_domain("www.rt.com").name == "RT"
        assert registry.find_by_domain("news.rt.com").name == "RT"
        assert registry.find_by_domain("notrt.com") is None
        assert registry.find("RT").is_party
        assert not registry.find("Radio Azattyq").is_party
        actions = [entry.action for entry in session.scalars(select(CustodyEntry))]
    assert actions.count("source_added") == 2


def test_upsert_updates_and_logs_only_real_changes(workspace):
    with workspace.database.session() as session:
        registry = _registry(workspace, session)
        registry.upsert(SourceRecord(name="TASS", kind="wire_agency"))
        source, created = registry.upsert(SourceRecord(name="tass", owner="Russian state", aliases=["ТАСС"]))
        assert not created and source.owner == "Russian state" and source.kind == "wire_agency"
        registry.upsert(SourceRecord(name="TASS", owner="Russian state"))
        actions = [entry.action for entry in session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq))]
    assert actions == ["workspace_created", "source_added", "source_edited"]


def test_an_alias_cannot_belong_to_two_sources(workspace):
    with workspace.database.session() as session:
        registry = _registry(workspace, session)
        registry.upsert(SourceRecord(name="RT", aliases=["Russia Today"]))
        with pytest.raises(RegistryError, match="already belongs to 'RT'"):
            registry.upsert(SourceRecord(name="RIA Novosti", aliases=["Russia Today"]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("sources:\n  - kind: state_media\n", "'name' is required"),
        ("sources:\n  - name: X\n    kind: tabloid\n", "kind 'tabloid' is not one of"),
        ("sources:\n  - name: X\n    colour: red\n", "unknown field"),
        ("sources: [", "not valid YAML"),
        ("sources:\n  - name: X\n  - name: x\n", "appears twice"),
    ],
)
def test_bad_sources_files_name_the_problem(tmp_path: Path, content: str, message: str):
    path = tmp_path / "sources.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError, match=message):
        read_records(path)


def test_yaml_and_csv_round_trip(tmp_path: Path):
    original = tmp_path / "sources.yaml"
    original.write_text(SOURCES_YAML, encoding="utf-8")
    records = read_records(original)
    for fmt, suffix in (("yaml", ".yaml"), ("csv", ".csv")):
        copy = tmp_path / f"copy{suffix}"
        copy.write_text(write_records(records, fmt), encoding="utf-8")
        assert read_records(copy) == records


def test_cli_import_is_all_or_nothing(cli, workspace, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nGood Outlet,independent_outlet\nBad,tabloid\n", encoding="utf-8")
    result = cli("sources", "import", bad, "--workspace", workspace.root)
    assert result.exit_code == 1
    assert "row 3" in result.output and "nothing was imported" in result.output
    listed = cli("sources", "list", "--workspace", workspace.root)
    assert "Good Outlet" not in listed.output

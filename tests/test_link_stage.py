"""The link stage on real workspaces: the bundled example's questions, estimates, and editors' decisions that last.

The example is ingested and run through the whole pipeline once per module; tests that change
it work on a copy of that workspace folder.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborator.link.stage import LinkError, run_link, split_question
from corroborator.store.schema import (
    Alternative,
    Claim,
    ClaimRelation,
    CustodyEntry,
    EstimateVersion,
    Question,
    QuestionClaim,
    QuestionSuggestion,
    Source,
)
from corroborator.workspace import Workspace


def _claim(session: Session, source: str, words: str) -> Claim:
    """The claim whose claimant is ``source`` and whose sentence holds ``words``."""
    found = [
        claim
        for claim in session.scalars(select(Claim).order_by(Claim.id))
        if words.lower() in claim.sentence.lower() and _speaker(session, claim) == source
    ]
    assert found, f"no claim by {source} with {words!r}"
    return found[0]


def _speaker(session: Session, claim: Claim) -> str:
    source = session.get(Source, claim.claimant_id) if claim.claimant_id else None
    return source.name if source else claim.claimant_text


def _question(session: Session, claim: Claim) -> Question:
    question_id = session.scalar(select(QuestionClaim.question_id).where(QuestionClaim.claim_id == claim.id))
    assert question_id is not None, f"claim {claim.id} is in no question"
    question = session.get(Question, question_id)
    assert question is not None
    return question


def _alternative_of(question: Question, claim: Claim) -> Alternative | None:
    return next((a for a in question.alternatives if claim.id in {c.id for c in a.claims}), None)


def _relations(session: Session, question: Question) -> list[ClaimRelation]:
    return list(session.scalars(select(ClaimRelation).where(ClaimRelation.question_id == question.id)))


# -- the bundled example -------------------------------------------------------------------------------


def test_example_deaths_question_holds_the_figures_their_parts_and_the_smaller_scale(example: Workspace):
    with example.database.session() as session:
        dozens = _claim(session, "RT", "dozens")
        question = _question(session, dozens)
        assert question.kind == "numeric" and question.label.startswith("Deaths in Almaty")
        answer = _alternative_of(question, dozens)
        assert answer is not None and (answer.low, answer.high) == (24, 99)

        police = _claim(session, "Ministry of Internal Affairs of Kazakhstan", "At least eight police officers")
        assert _question(session, police).id == question.id
        relations = _relations(session, question)
        refines = [r for r in relations if r.label == "refines" and police.id in (r.claim_a_id, r.claim_b_id)]
        assert refines, "the police figure refines no figure of the toll"
        smaller = _claim(session, "Meduza", "the scale is much smaller")
        assert _question(session, smaller).id == question.id
        against = [r for r in relations if r.label == "contradicts" and smaller.id in (r.claim_a_id, r.claim_b_id)]
        assert {dozens.id} & {r.claim_a_id for r in against} | {r.claim_b_id for r in against}


def test_example_deaths_are_reconciled_under_both_presets_with_traces(example: Workspace):
    with example.database.session() as session:
        question = _question(session, _claim(session, "RT", "dozens"))
        versions = {
            v.preset: v
            for v in session.scalars(select(EstimateVersion).where(EstimateVersion.question_id == question.id))
        }
    assert set(versions) == {"ucdp", "acled"}
    for version in versions.values():
        assert version.best is not None and version.low is not None and version.high is not None
        assert version.low <= version.best <= version.high
        assert version.trace["rules"] and version.label == question.label
        claimants = {line["claimant"] for line in version.trace["trace"]}
        assert "RT" in claimants
        assert any("Meduza" in dispute for dispute in version.trace["disputes"])
    assert versions["ucdp"].high == 99  # the highest figure, unverified ones included: "dozens"
    assert versions["acled"].best == 12  # ACLED codes "dozens" as 12


LIVE_FIRE = ("Dana (activist)", "Soldiers Fired Live Rounds At Young Protesters")
TERRORISTS = ("Akorda", "described the attackers as terrorist gangs")


@pytest.mark.xfail(
    reason="grouping: the activist's claims (RFE/RL's 'Soldiers Fired Live Rounds At Young Protesters', 'opened fire "
    "... with live ammunition') share no wording, place, time or figure with the official 'terrorist gangs trained "
    "abroad' claims, so the link model scores their pairs at 0.2-0.3 and keeps them in separate questions (only "
    "Dana's 'We are not terrorists' banners link to both sides); the join takes an editor's merge "
    "(test_editor_merge_survives_reruns_and_reextraction)",
    strict=False,
)
def test_example_live_fire_question_sets_the_activist_against_the_terrorists_framing(example: Workspace):
    with example.database.session() as session:
        activist = _claim(session, *LIVE_FIRE)
        official = _claim(session, *TERRORISTS)
        question = _question(session, activist)
        assert _question(session, official).id == question.id
        assert _alternative_of(question, activist) != _alternative_of(question, official)


def test_a_second_run_keeps_every_question_and_adds_estimate_versions(copy: Workspace):
    with copy.database.session() as session:
        before = {q.key: q.id for q in session.scalars(select(Question))}
        estimates = len(session.scalars(select(EstimateVersion)).all())
    seen: list[tuple[int, int]] = []
    result = run_link(copy, lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, result["questions"]) and seen[-1] == (result["questions"], result["questions"])
    assert result["claims"] > 40 and result["numeric"] >= 1
    with copy.database.session() as session:
        assert {q.key: q.id for q in session.scalars(select(Question))} == before
        assert len(session.scalars(select(EstimateVersion)).all()) == estimates + result["estimates"]


# -- editors' decisions --------------------------------------------------------------------------------


def test_editor_merge_survives_reruns_and_reextraction(copy: Workspace, cli):
    with copy.database.session() as session:
        ids = sorted(
            {_question(session, _claim(session, *LIVE_FIRE)).id, _question(session, _claim(session, *TERRORISTS)).id}
        )
    assert len(ids) == 2, "already one question: nothing to merge"

    result = cli("questions", "merge", *ids, "--workspace", copy.root)
    assert result.exit_code == 0, result.output
    with copy.database.session() as session:
        entry = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).one()
        assert entry.action == "questions_merged" and entry.details["questions"] == ids

    for args in (("run",), ("run", "--reextract")):
        result = cli(*args, "--workspace", copy.root, "--out", copy.root / "board")
        assert result.exit_code == 0, result.output
        assert "shaped by editors' decisions" in result.output
        with copy.database.session() as session:
            activist, official = _claim(session, *LIVE_FIRE), _claim(session, *TERRORISTS)
            question = _question(session, activist)
            assert _question(session, official).id == question.id, f"merge lost after {args}"
            assert question.created_by == "editor"
            # The live-fire account and the official framing are competing answers: young protesters, or terrorists.
            assert _alternative_of(question, activist) != _alternative_of(question, official)
            framing = [
                r for r in _relations(session, question) if {r.claim_a_id, r.claim_b_id} == {activist.id, official.id}
            ]
            assert framing and framing[0].label == "contradicts", [(r.label, r.detail) for r in framing]


def test_merge_then_rerun_keeps_the_earlier_estimate_version(copy: Workspace, cli):
    with copy.database.session() as session:
        deaths = _question(session, _claim(session, "RT", "dozens"))
        other = _question(session, _claim(session, "the woman (Meduza)", "two or three people lying"))
        first = {
            v.preset: (v.best, v.made_at)
            for v in session.scalars(select(EstimateVersion).where(EstimateVersion.question_key == deaths.key))
        }
    assert set(first) == {"ucdp", "acled"}
    time.sleep(0.01)
    known_then = datetime.now(UTC)
    time.sleep(0.01)
    assert cli("questions", "merge", deaths.id, other.id, "--workspace", copy.root).exit_code == 0
    assert cli("run", "--workspace", copy.root, "--out", copy.root / "board").exit_code == 0
    with copy.database.session() as session:
        merged = _question(session, _claim(session, "RT", "dozens"))
        assert _question(session, _claim(session, "the woman (Meduza)", "two or three people lying")).id == merged.id
        keys = [merged.key, *merged.details.get("absorbed", [])]
        versions = session.scalars(
            select(EstimateVersion).where(EstimateVersion.question_key.in_(keys)).order_by(EstimateVersion.made_at)
        ).all()
        assert len(versions) >= 6  # first run, the merge's own relink, the re-run: both presets each time
    result = cli(
        "questions", "show", merged.id, "--as-of", known_then.strftime("%Y-%m-%dT%H:%M:%S"), "--workspace", copy.root
    )
    assert result.exit_code == 0, result.output
    made = first["ucdp"][1].strftime("%Y-%m-%d %H:%M")
    assert f"Estimate, UCDP-like as of {known_then:%Y-%m-%d %H:%M} UTC" in result.output
    assert f"made {made}" in result.output


def test_split_claims_stay_apart_on_later_runs(copy: Workspace, cli):
    with copy.database.session() as session:
        police = _claim(session, "Ministry of Internal Affairs of Kazakhstan", "At least eight police officers")
        deaths = _question(session, police)
        moved = [police.id]
    result = cli("questions", "split", deaths.id, "--claims", ",".join(map(str, moved)), "--workspace", copy.root)
    assert result.exit_code == 0, result.output
    assert cli("run", "--workspace", copy.root, "--out", copy.root / "board").exit_code == 0
    with copy.database.session() as session:
        police = _claim(session, "Ministry of Internal Affairs of Kazakhstan", "At least eight police officers")
        alone = _question(session, police)
        assert alone.created_by == "editor"
        assert alone.id != _question(session, _claim(session, "RT", "dozens")).id
        entry = session.scalars(select(CustodyEntry).where(CustodyEntry.action == "question_split")).one()
        assert entry.details["claims"] == moved
    with pytest.raises(LinkError, match="not in question"):
        split_question(copy, alone.id, [10_000])
    with pytest.raises(LinkError, match="some, not all"):
        split_question(copy, alone.id, [police.id])


def _first_suggestion(workspace: Workspace) -> tuple[int, tuple[str, str]]:
    """The best current suggestion, and a claim key from each of its two questions."""
    with workspace.database.session() as session:
        suggestion = session.scalars(select(QuestionSuggestion).order_by(QuestionSuggestion.score.desc())).first()
        assert suggestion is not None, "no suggestion to decide on"
        a, b = (session.get(Question, q) for q in (suggestion.question_a_id, suggestion.question_b_id))
        assert a is not None and b is not None
        return suggestion.id, (a.details["claim_keys"][0], b.details["claim_keys"][0])


def _holders(workspace: Workspace) -> dict[str, int]:
    with workspace.database.session() as session:
        return {row.claim_key: row.question_id for row in session.scalars(select(QuestionClaim))}


def test_rejected_suggestions_are_not_made_again_and_confirmed_ones_merge(copy: Workspace, cli):
    rejected, (a, b) = _first_suggestion(copy)
    result = cli("questions", "reject", rejected, "--workspace", copy.root)
    assert result.exit_code == 0, result.output
    assert cli("run", "--workspace", copy.root, "--out", copy.root / "board").exit_code == 0
    holders = _holders(copy)
    assert holders[a] != holders[b]
    with copy.database.session() as session:
        pairs = [{s.question_a_id, s.question_b_id} for s in session.scalars(select(QuestionSuggestion))]
        assert session.scalars(select(CustodyEntry).where(CustodyEntry.action == "suggestion_rejected")).one()
    assert {holders[a], holders[b]} not in pairs, "a rejected join was suggested again"

    confirmed, (c, d) = _first_suggestion(copy)
    result = cli("questions", "confirm", confirmed, "--workspace", copy.root)
    assert result.exit_code == 0, result.output
    holders = _holders(copy)
    assert holders[c] == holders[d]
    assert cli("run", "--workspace", copy.root, "--out", copy.root / "board").exit_code == 0
    holders = _holders(copy)
    assert holders[c] == holders[d] and holders[a] != holders[b]


def test_unknown_questions_and_suggestions_are_refused_in_words(example: Workspace, cli):
    result = cli("questions", "merge", "1", "99999", "--workspace", example.root)
    assert result.exit_code == 1 and "no question 99999" in result.output
    result = cli("questions", "confirm", "99999", "--workspace", example.root)
    assert result.exit_code == 1 and "no suggestion 99999" in result.output
    result = cli("questions", "show", "99999", "--workspace", example.root)
    assert result.exit_code == 1 and "no question 99999" in result.output


def test_questions_list_and_show_print_answers_relations_and_estimates(example: Workspace, cli):
    result = cli("questions", "list", "--workspace", example.root)
    assert result.exit_code == 0, result.output
    assert "Deaths" in result.output and "Suggested joins" in result.output
    with example.database.session() as session:
        deaths = _question(session, _claim(session, "RT", "dozens")).id
    result = cli("questions", "show", deaths, "--workspace", example.root)
    assert result.exit_code == 0, result.output
    for words in ("Answer 1", "24–99", "Relations", "contradicts", "Estimate, UCDP-like", "Estimate, ACLED-like"):
        assert words in result.output
    assert "--all-relations shows them" in result.output and "Versions" in result.output
    everything = cli("questions", "show", deaths, "--all-relations", "--workspace", example.root)
    assert "refines" in everything.output and "more (--all-relations" not in everything.output

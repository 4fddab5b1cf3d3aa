"""The pipeline stage ``assess``: every question's alternatives through the default estimator.

The estimators in this package know nothing of the store; this module is the one
place that turns stored questions into a claims table (object = question,
value = alternative, source = who asserts it) and stores what the fit says. Each
run is kept as a new ``AssessmentRun``, so earlier beliefs stay retrievable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from corroborator.assess.accu import AccuCopy
from corroborator.provenance.origins import source_dependence_prior
from corroborator.store.schema import (
    Alternative,
    AlternativeAssessment,
    AssessmentRun,
    Claim,
    ClaimAlternative,
    Report,
    SourceAssessment,
    SourceDependence,
)

if TYPE_CHECKING:
    from corroborator.workspace import Workspace

# The estimator `corroborator run` uses: the most accurate of ours on the benchmarks where
# copying matters (docs/benchmarks.md), and the only one that discounts copied votes.
DEFAULT_ESTIMATOR = AccuCopy
DEPENDENT = 0.5  # dependence probability from which a source pair is counted as dependent


def question_votes(session: Session) -> tuple[pd.DataFrame, pd.Series]:
    """One vote per (question, source), and the alternatives editors have settled.

    A claim votes for its claimant, or for the report's own source when the claimant is
    anonymous. A source that backed several alternatives of one question (a figure revised
    between reports) votes for the one it backed last: what it stands by now.
    """
    rows = session.execute(
        select(
            Alternative.question_id,
            ClaimAlternative.alternative_id,
            Claim.claimant_id,
            Report.source_id,
            Report.published_at,
            Claim.id,
        )
        .join(ClaimAlternative, ClaimAlternative.alternative_id == Alternative.id)
        .join(Claim, Claim.id == ClaimAlternative.claim_id)
        .join(Report, Report.id == Claim.report_id)
    ).all()
    frame = pd.DataFrame(rows, columns=["object", "value", "claimant", "reporter", "published", "claim"])
    frame["source"] = frame["claimant"].fillna(frame["reporter"])
    frame = frame.dropna(subset=["source"]).astype({"source": "int64"})
    frame["published"] = pd.to_datetime(frame["published"], utc=True)
    frame = frame.sort_values(["published", "claim"], na_position="first", kind="stable")
    votes = frame.drop_duplicates(["object", "source"], keep="last")[["object", "source", "value"]]
    settled = session.execute(
        select(Alternative.question_id, Alternative.id).where(Alternative.settled.is_(True))
    ).all()
    known = pd.Series({question: alternative for question, alternative in settled}, dtype="int64")
    return votes.reset_index(drop=True), known


def run_assess(workspace: Workspace, progress: Callable[[int, int], None] | None = None) -> dict[str, object]:
    """Fit the default estimator on every question and store the run; nothing to do without questions."""
    with workspace.database.session() as session:
        votes, known = question_votes(session)
        if votes.empty:
            return {"questions": 0, "votes": 0}
        if progress is not None:
            progress(0, 1)
        estimator = DEFAULT_ESTIMATOR()
        prior = source_dependence_prior(session)
        estimator.fit(votes, known=known[known.index.isin(votes["object"])], prior_dependence=prior)
        run = AssessmentRun(
            at=datetime.now(UTC),
            estimator=type(estimator).__name__,
            parameters=estimator.get_params(),
            counts={
                "questions": int(votes["object"].nunique()),
                "votes": len(votes),
                "sources": int(votes["source"].nunique()),
                "settled": len(known),
                "prior_pairs": len(prior),
            },
        )
        session.add(run)
        session.flush()
        _store_alternatives(session, run, estimator, votes)
        _store_sources(session, run, estimator, votes)
        _store_dependence(session, run, estimator)
        if progress is not None:
            progress(1, 1)
        dependent = int((estimator.dependence_["probability"] >= DEPENDENT).sum())
        return {"run": run.id, **run.counts, "dependent_pairs": dependent}


def _store_alternatives(session: Session, run: AssessmentRun, estimator: AccuCopy, votes: pd.DataFrame) -> None:
    supporters = votes.groupby(["object", "value"]).size()
    independent = estimator.independent_support_.set_index(["object", "value"])["count"]
    chosen = set(zip(estimator.labels_.index, estimator.labels_.to_numpy(), strict=True))
    session.add_all(
        AlternativeAssessment(
            run_id=run.id,
            alternative_id=int(row.value),
            probability=float(row.probability),
            supporters=int(supporters[(row.object, row.value)]),
            independent_support=float(independent[(row.object, row.value)]),
            chosen=(row.object, row.value) in chosen,
        )
        for row in estimator.probas_.itertuples(index=False)
    )


def _store_sources(session: Session, run: AssessmentRun, estimator: AccuCopy, votes: pd.DataFrame) -> None:
    questions = votes.groupby("source")["object"].nunique()
    session.add_all(
        SourceAssessment(
            run_id=run.id, source_id=int(source), accuracy=float(accuracy), questions=int(questions[source])
        )
        for source, accuracy in estimator.source_accuracy_.items()
    )


def _store_dependence(session: Session, run: AssessmentRun, estimator: AccuCopy) -> None:
    session.add_all(
        SourceDependence(
            run_id=run.id,
            source_a_id=int(row.source_a),
            source_b_id=int(row.source_b),
            probability=float(row.probability),
            copier_id=None if pd.isna(row.copier) else int(row.copier),
            shared_questions=int(row.shared_objects),
            shared_answers=int(row.shared_values),
        )
        for row in estimator.dependence_.itertuples(index=False)
    )

"""Questions and the assessment in every export: each figure explained in words, hostile labels kept inert."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from stored import add_text_report

from corroborator.assess.stage import run_assess
from corroborator.report import build_board, write_board
from corroborator.store.schema import Alternative, Claim, ClaimAlternative, Question, Report, Source
from corroborator.workspace import Workspace

AT = datetime(2022, 1, 6, tzinfo=UTC)
HOSTILE_QUESTION = (
    "=HYPERLINK(\"http://evil.example\") <script>alert('q')</script> **who fired** [x](javascript:alert(1))"
)
HOSTILE_ANSWER = "-2+3 <img src=x onerror=alert('a')> | `soldiers`"
HOSTILE_SOURCE = "C2 <b onmouseover=alert('s')>wire</b>"
COPIERS = ("C1", HOSTILE_SOURCE)
# How the copied answer's support reads in every export: two voices, counted as one and a fifth.
COPIED = (
    r"backed by 2 sources, 1\.2 independent: .*(looks to copy|look like copies of each other) .*"
    r"\(dependence (0\.9\d|over 0\.99)\)"
)


class Desk:
    """One report per source, and claims written into it the way the linking stage will leave them."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.reports: dict[str, Report] = {}

    def report(self, name: str) -> Report:
        if name not in self.reports:
            source = Source(name=name, kind="wire_agency", created_at=AT)
            self.session.add(source)
            self.session.flush()
            report = add_text_report(self.session, name, source.id, AT)
            self.reports[name] = report
        return self.reports[name]

    def question(
        self,
        label: str,
        answers: dict[str, list[str]],
        kind: str = "categorical",
        ranges: dict[str, tuple[float, float | None]] | None = None,
    ) -> dict[str, Alternative]:
        """A question whose alternative ``label`` is claimed by each source listed for it."""
        question = Question(key=label, label=label, kind=kind, created_at=AT)
        alternatives = {}
        for answer, speakers in answers.items():
            low, high = (ranges or {}).get(answer, (None, None))
            alternative = alternatives[answer] = Alternative(question=question, label=answer, low=low, high=high)
            self.session.add(alternative)
            self.session.flush()
            for speaker in speakers:
                report = self.report(speaker)
                sentence = f"{speaker} says the answer to {label} is {answer}."
                claim = Claim(
                    report_id=report.id,
                    sentence=sentence,
                    start=0,
                    end=len(sentence),
                    check_worthiness=0.9,
                    claimant_id=report.source_id,
                    claimant_text=speaker,
                    extractor_version="test",
                )
                self.session.add(claim)
                self.session.flush()
                self.session.add(ClaimAlternative(claim_id=claim.id, alternative_id=alternative.id))
        return alternatives


@pytest.fixture
def assessed(workspace: Workspace) -> Workspace:
    """Two copiers repeat one false answer on 12 of 20 questions (tests/test_assess.py works the case out).

    The second question and its copied answer carry hostile labels; a numeric question has ranges,
    one answer is settled by an editor, one question has no answers, and one answer came after the run.
    """
    with workspace.database.session() as session:
        desk = Desk(session)
        for o in range(20):
            answers: dict[str, list[str]] = {"true": ["I1"] + (["I2"] if o % 4 != 3 else [])}
            if o % 3 == 0:
                answers["true"].append("N")
            else:
                answers["other"] = ["N"]
            if o < 12:
                answers["false"] = list(COPIERS)
            else:
                answers["true"] += COPIERS
            if o == 1:
                answers = {HOSTILE_ANSWER if key == "false" else key: value for key, value in answers.items()}
            desk.question(HOSTILE_QUESTION if o == 1 else f"q{o:02d}", answers)
        desk.question(
            "deaths in Almaty",
            {"dozens": ["I1", "I2"], "at least 8": ["N"]},
            "numeric",
            {"dozens": (24, 99), "at least 8": (8, None)},
        )
        armed = desk.question("were the protesters armed", {"yes": ["C1"], "no": ["I1"]})
        armed["no"].settled = True
        editor = Question(
            key="empty", label="who gave the order", kind="categorical", created_by="editor", created_at=AT
        )
        session.add(editor)
    run_assess(workspace)
    with workspace.database.session() as session:
        late = session.query(Question).filter_by(key="deaths in Almaty").one()
        session.add(Alternative(question=late, label="hundreds", low=100, high=999))
    return workspace


def _board(workspace: Workspace) -> dict[str, Any]:
    with workspace.database.session() as session:
        return build_board(session, stages=["ingest", "extract", "assess", "report"])


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_has_a_row_per_alternative_and_the_assessment_tables(assessed: Workspace, tmp_path: Path):
    board = _board(assessed)
    names = [path.name for path in write_board(board, tmp_path, "csv")]
    assert names[-4:-1] == ["board-questions.csv", "board-source-accuracy.csv", "board-dependence.csv"]

    rows = _read_csv(tmp_path / "board-questions.csv")
    assert len(rows) == sum(max(len(q["alternatives"]), 1) for q in board["questions"])
    hostile = [row for row in rows if row["question_label"].startswith("'=HYPERLINK")]
    assert [row["question_label"] for row in hostile] == ["'" + HOSTILE_QUESTION] * 3
    assert [row["alternative_label"] for row in hostile] == ["true", "'" + HOSTILE_ANSWER, "other"]  # credible first
    true, copied = hostile[0], hostile[1]
    assert true["chosen"] == "true" and copied["chosen"] == "false" and float(true["probability"]) > 0.5
    assert copied["supporters"] == "2" and float(copied["independent_support"]) == pytest.approx(1.2, abs=0.05)
    assert re.fullmatch(COPIED, copied["support_explained"])
    assert "C1" in copied["support_explained"] and HOSTILE_SOURCE in copied["support_explained"]
    assert len(copied["claim_ids"].split("; ")) == 2

    dozens = next(row for row in rows if row["alternative_label"] == "dozens")
    assert dozens["question_kind"] == "numeric" and (dozens["low"], dozens["high"]) == ("24.0", "99.0")
    late = next(row for row in rows if row["alternative_label"] == "hundreds")
    assert late["probability"] == "" and late["support_explained"].startswith("not in the newest assessment")
    settled = next(row for row in rows if row["alternative_label"] == "no")
    assert settled["settled"] == "true" and settled["chosen"] == "true" and float(settled["probability"]) > 0.99
    [empty] = [row for row in rows if row["question_label"] == "who gave the order"]
    assert empty["alternative_id"] == "" and empty["question_kind"] == "categorical"

    accuracy = _read_csv(tmp_path / "board-source-accuracy.csv")
    assert {row["source"] for row in accuracy} == {"I1", "I2", "N", "C1", HOSTILE_SOURCE}
    assert all(row["estimator"] == "AccuCopy" and row["run"] == "1" for row in accuracy)
    pairs = _read_csv(tmp_path / "board-dependence.csv")
    top = pairs[0]
    assert {top["source_a"], top["source_b"]} == set(COPIERS) and top["dependent"] == "true"
    assert int(top["shared_questions"]) >= 12 and float(top["probability"]) > 0.9


def test_csv_assessment_tables_are_headers_alone_without_a_run(workspace: Workspace, tmp_path: Path):
    write_board(_board(workspace), tmp_path, "csv")
    for name in ("board-questions.csv", "board-source-accuracy.csv", "board-dependence.csv"):
        assert _read_csv(tmp_path / name) == []
        assert (tmp_path / name).read_text(encoding="utf-8-sig").count("\n") == 1


def _section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_markdown_explains_each_answer_and_the_run(assessed: Workspace, tmp_path: Path):
    [path] = write_board(_board(assessed), tmp_path, "md")
    briefing = path.read_text(encoding="utf-8")
    questions = _section(briefing, "\n## Questions\n", "\n## Assessment\n")
    assert "credible first" in questions and "| Questions | 23 |" in briefing

    hostile = _section(questions, "### =HYPERLINK", "\n### ")
    assert "&lt;script&gt;alert('q')&lt;/script&gt; \\*\\*who fired\\*\\* \\[x\\](javascript:alert(1))" in hostile
    answers = [line for line in hostile.splitlines() if re.match(r"\d+\. ", line)]
    assert [line[:12] for line in answers] == ["1. **true** ", "2. **-2+3 &l", "3. **other**"]
    assert "**chosen**" in answers[0] and "**chosen**" not in answers[1]
    assert re.search(
        r"credibility (\d+%|over 99%) · \*\*chosen\*\* · backed by 2 sources, 2 independent: no sign", answers[0]
    )
    assert "&lt;img src=x onerror=alert('a')&gt; \\| \\`soldiers\\`" in answers[1]
    assert re.search(COPIED, answers[1])
    assert "C2 &lt;b onmouseover=alert('s')&gt;wire&lt;/b&gt;" in answers[1]
    quoted = _section(hostile, answers[1], answers[2])
    assert quoted.count("    - “C") == 2 and "” — C1 (claim " in quoted

    deaths = _section(questions, "### deaths in Almaty (numeric)", "\n### ")
    assert "**dozens** (range 24–99)" in deaths and "**at least 8** (range 8 or more)" in deaths
    assert "**hundreds** (range 100–999) · not in the newest assessment" in deaths
    armed = _section(questions, "### were the protesters armed", "\n### ")
    assert "1. **no** · credibility 100% · **chosen** · **settled by an editor**" in armed
    assert "### who gave the order (categorical, set up by an editor)\n\nNo answers to this question yet." in questions

    assessment = _section(briefing, "\n## Assessment\n", "\n## Sources\n")
    assert re.search(r"Assessed by AccuCopy \(run 1, \d{4}-\d\d-\d\d \d\d:\d\d UTC\) over 22 questions", assessment)
    assert "Parameters: `" in assessment and "copy_probability 0.8" in assessment
    assert "| Source | Accuracy | Questions answered |" in assessment and "| I1 | " in assessment
    [pair] = [line for line in assessment.splitlines() if line.startswith("- ")]
    assert re.search(r"C1 .*\(dependence (0\.9\d|over 0\.99)\): of 2\d questions both answered, they gave", pair)

    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(briefing)
    assert "<script" not in rendered and "<img" not in rendered and "<b " not in rendered and "<a " not in rendered
    assert "<strong>who fired</strong>" not in rendered


def test_markdown_and_html_say_so_when_there_is_nothing_to_show(workspace: Workspace, tmp_path: Path):
    board = _board(workspace)
    [markdown] = write_board(board, tmp_path, "md")
    [page] = write_board(board, tmp_path, "html")
    for text in (markdown.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")):
        assert "No questions yet: a question is made when claims about the same thing are linked" in text
        assert "No assessment yet: corroborator run assesses the questions once there are some." in text


def test_markdown_says_when_no_pair_looks_dependent(workspace: Workspace, tmp_path: Path):
    with workspace.database.session() as session:
        Desk(session).question("deaths", {"8": ["I1", "I2"], "18": ["N"]}, "numeric")
    run_assess(workspace)
    [path] = write_board(_board(workspace), tmp_path, "md")
    briefing = path.read_text(encoding="utf-8")
    assert "No source pair was examined for copying" in briefing
    assert "backed by 2 sources, 2 independent: no sign that any of them copies another" in briefing


def test_html_shows_questions_and_assessment_with_hostile_labels_inert(assessed: Workspace, tmp_path: Path):
    [path] = write_board(_board(assessed), tmp_path, "html")
    page = path.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img" not in page and "<b " not in page
    assert "&lt;script&gt;alert(&#39;q&#39;)&lt;/script&gt;" in page
    assert "-2+3 &lt;img src=x onerror=alert(&#39;a&#39;)&gt; | `soldiers`" in page
    assert 'href="#questions"' in page and 'href="#assessment"' in page

    questions = _section(page, '<section id="questions">', "</section>")
    hostile = _section(questions, "=HYPERLINK", "</article>")
    labels = re.findall(r'<strong class="answer-label">(.*?)</strong>', hostile)
    assert labels == ["true", "-2+3 &lt;img src=x onerror=alert(&#39;a&#39;)&gt; | `soldiers`", "other"]
    assert hostile.count('<span class="badge chosen">chosen</span>') == 1
    assert re.search(r'credibility (\d+%|over 99%)\s*<meter min="0" max="1" value="[01]\.\d{3}">', hostile)
    assert re.search(COPIED, hostile)
    assert hostile.count('<a href="#claim-') == 5
    assert '<span class="badge settled">settled by an editor</span>' in questions
    assert "No answers to this question yet." in questions and "set up by an editor" in questions

    assessment = _section(page, '<section id="assessment">', "</section>")
    assert "Assessed by AccuCopy (run 1," in assessment and "copy_probability 0.8" in assessment
    assert assessment.count("<tr><td>") == 5 and "C2 &lt;b onmouseover=alert(&#39;s&#39;)&gt;wire&lt;/b&gt;" in page
    assert '<ul class="dependence">' in assessment and "both answered" in assessment

    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    [csp] = re.findall(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html.unescape(csp)


def test_support_names_the_pair_behind_a_discount(assessed: Workspace, tmp_path: Path):
    board = _board(assessed)
    [pair] = [pair for pair in board["assessment"]["dependence"] if pair["probability"] >= 0.5]
    pair["copier"], pair["probability"] = None, 0.97
    write_board(board, tmp_path / "unclear", "csv")
    pair["probability"] = 0.3
    write_board(board, tmp_path / "weak", "csv")

    def copied(folder: str) -> str:
        rows = _read_csv(tmp_path / folder / "board-questions.csv")
        return next(row for row in rows if row["alternative_label"] == "false")["support_explained"]

    both = f"{pair['source_a']} and {pair['source_b']}"
    assert copied("unclear").endswith(f"1.2 independent: {both} look like copies of each other (dependence 0.97)")
    assert copied("weak").endswith(f"discounted for weaker signs of copying ({both}, dependence 0.30, below 0.5)")


def test_a_saved_assessed_board_exports_the_same(assessed: Workspace, tmp_path: Path):
    board = _board(assessed)
    [saved] = write_board(board, tmp_path / "first", "json")
    again = json.loads(saved.read_text(encoding="utf-8"))
    for fmt in ("md", "html"):
        [first] = write_board(board, tmp_path / "first", fmt)
        [second] = write_board(again, tmp_path / "again", fmt)
        assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")

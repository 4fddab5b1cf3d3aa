"""The `corroborator` command line."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

import click
import yaml
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from corroborator import __version__
from corroborator.extract.stage import mark_stale
from corroborator.ingest.drafts import IngestError
from corroborator.ingest.formats import FORMATS
from corroborator.ingest.pipeline import Ingester, IngestOptions, IngestSummary, Outcome, expand_inputs
from corroborator.link.reconcile import PRESETS
from corroborator.link.stage import LinkError, decide_suggestion, merge_questions, split_question
from corroborator.pipeline import PipelineRun, last_stages, run_pipeline, write_outputs
from corroborator.provenance.origins import EDGE_KINDS, alternative_origins
from corroborator.registry import Registry, RegistryError, SourceRecord, read_records, write_records
from corroborator.report.export import EXPORT_FORMATS
from corroborator.store.integrity import verify_workspace
from corroborator.store.schema import (
    SOURCE_KINDS,
    Claim,
    ClaimRelation,
    CustodyEntry,
    EstimateVersion,
    Item,
    Media,
    Question,
    QuestionClaim,
    QuestionSuggestion,
    Report,
    ReportExtractionState,
    Source,
)
from corroborator.workspace import Workspace, WorkspaceError, init_workspace, open_workspace

T = TypeVar("T")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEMO_MARKER = ".corroborator-demo"
EXAMPLE = "almaty-2022"


def example_dir() -> Path:
    """The bundled example, shipped inside the package so the demo works from any install."""
    return Path(str(files("corroborator") / "examples" / EXAMPLE))


@contextmanager
def workspace_at(path: Path) -> Iterator[Workspace]:
    try:
        workspace = open_workspace(path)
    except WorkspaceError as error:
        raise click.ClickException(str(error)) from error
    try:
        yield workspace
    finally:
        workspace.close()


workspace_option = click.option(
    "--workspace",
    "-w",
    "workspace_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="the current folder",
    help="Workspace folder to work in.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="corroborator")
def main() -> None:
    """Corroborator: who claims what, who copied whom, and what independent origins corroborate.

    Start with `corroborator demo` to see a board built from the bundled example,
    or `corroborator init DIR` to make a workspace of your own.
    """


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a workspace in DIRECTORY: database, evidence archive, quarantine, config."""
    try:
        workspace = init_workspace(directory)
    except WorkspaceError as error:
        raise click.ClickException(str(error)) from error
    workspace.close()
    out.print(f"Created workspace {workspace.root}")
    out.print(f"  config   {workspace.root / 'corroborator.toml'}")
    out.print(f"  archive  {workspace.archive_dir}")
    out.print(f"Next: corroborator ingest --workspace {directory} FILES_OR_URLS...")


# -- ingest ------------------------------------------------------------------------------------


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@workspace_option
@click.option("--source", "-s", help="Attribute every report in this batch to this registered source.")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), help="Read every input as this format instead of detecting it."
)
@click.option(
    "--allow-private", is_flag=True, help="Allow URLs that resolve to loopback, private or link-local addresses."
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the totals and problems.")
def ingest(
    inputs: tuple[str, ...], workspace_path: Path, source: str | None, fmt: str | None, allow_private: bool, quiet: bool
) -> None:
    """Store files, folders or URLs as reports.

    Formats are detected: saved HTML articles, RSS/Atom feeds, plain text or Markdown
    (optional YAML front matter: source, date, url, title, author, language), Telegram
    Desktop JSON exports, field notes (CSV or YAML), images and video. Input already
    stored is skipped; input that cannot be read is quarantined with its reason.
    Exits with status 1 when anything was quarantined or failed.
    """
    with workspace_at(workspace_path) as workspace:
        try:
            ingester = Ingester(workspace, IngestOptions(source=source, fmt=fmt, allow_private=allow_private))
        except IngestError as error:
            raise click.ClickException(str(error)) from error
        summary = _ingest_with_progress(ingester, expand_inputs(inputs), quiet)
    _print_summary(summary)
    if not summary.ok:
        sys.exit(1)


def _ingest_with_progress(ingester: Ingester, names: list[str], quiet: bool) -> IngestSummary:
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=len(names) < 2) as progress:
        task = progress.add_task("Ingesting", total=len(names))

        def report(outcome: Outcome) -> None:
            progress.advance(task)
            if not quiet or outcome.status in {"quarantined", "failed"}:
                progress.console.print(_outcome_line(outcome))

        return ingester.run(names, progress=report)


STATUS_STYLE = {"stored": "green", "duplicate": "yellow", "quarantined": "red", "failed": "red"}


def _outcome_line(outcome: Outcome) -> str:
    style = STATUS_STYLE[outcome.status]
    label = {"stored": "stored", "duplicate": "already stored", "quarantined": "QUARANTINED", "failed": "FAILED"}[
        outcome.status
    ]
    return f"[{style}]{label:>14}[/] {_escape(outcome.name)}: {_escape(outcome.message)}"


def _escape(text: str) -> str:
    """Make untrusted text (file names, URLs, parser messages) safe to print: no markup, no control codes."""
    return escape("".join(char if char.isprintable() else "?" for char in text))


def _print_summary(summary: IngestSummary) -> None:
    parts = [f"{summary.reports_added} report{'s' if summary.reports_added != 1 else ''} added"]
    for status, word in (
        ("stored", "stored"),
        ("duplicate", "already stored"),
        ("quarantined", "quarantined"),
        ("failed", "failed"),
    ):
        count = summary.count(status)
        if count:
            parts.append(f"{count} input{'s' if count != 1 else ''} {word}")
    out.print("; ".join(parts) + ".")
    if summary.reports_added == 0 and summary.count("duplicate") and summary.ok:
        out.print("Nothing new: every input was already in the archive.")
    if summary.count("quarantined"):
        out.print("Quarantined inputs are kept aside with their reasons; see `corroborator status`.")


@main.command()
@workspace_option
@click.option("--witness", prompt="Witness (name or pseudonym)", help="Who spoke; use a pseudonym to protect them.")
@click.option(
    "--anonymised/--named",
    default=True,
    prompt="Is the name a pseudonym?",
    help="Whether the witness name is a pseudonym.",
)
@click.option(
    "--relation", prompt="Relation to the event (resident, protester, medic...)", default="", show_default=False
)
@click.option(
    "--vantage", prompt="Vantage point (where they were, what they could see)", default="", show_default=False
)
@click.option("--contact-method", prompt="Contact method", default="phone")
@click.option(
    "--contacted-at",
    prompt="When you spoke (ISO date and time)",
    default=lambda: datetime.now(UTC).isoformat(timespec="minutes"),
)
@click.option("--interviewer", prompt="Interviewer", default="", show_default=False)
@click.option("--reported-by", prompt="Outlet the interviewer reports for", default="", show_default=False)
@click.option("--location", prompt="Location of what they describe", default="", show_default=False)
@click.option("--said", prompt="What they said", help="The witness's account, as close to their words as possible.")
@click.option("--notes", prompt="Your remarks (confidence, caveats)", default="", show_default=False)
def note(workspace_path: Path, **fields: object) -> None:
    """Record a phone call or interview with a witness as a field note.

    Asks for each field in turn (or takes them as options). The note is stored in
    the archive as a YAML field-note file, exactly like one ingested from disk.
    """
    record = {key: value for key, value in fields.items() if value not in ("", None)}
    document = yaml.safe_dump({"notes": [record]}, sort_keys=False, allow_unicode=True).encode("utf-8")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    with workspace_at(workspace_path) as workspace:
        outcome = Ingester(workspace).ingest_bytes(
            f"note-{stamp}.yaml", document, "typed at the `corroborator note` prompt"
        )
    out.print(_outcome_line(outcome))
    if outcome.status in {"quarantined", "failed"}:
        sys.exit(1)


# -- sources -----------------------------------------------------------------------------------


@main.group()
def sources() -> None:
    """Manage the sources registry: outlets, agencies, officials, witnesses."""


@sources.command("add")
@click.argument("name")
@workspace_option
@click.option("--kind", type=click.Choice(SOURCE_KINDS), default="unknown", show_default=True)
@click.option("--owner", help="Who owns or controls the source.")
@click.option("--country")
@click.option("--affiliation", help="Government, movement or organisation it is tied to.")
@click.option(
    "--party", "parties", multiple=True, help="Side of the conflict it belongs to or speaks for (repeatable)."
)
@click.option("--alias", "aliases", multiple=True, help="Another name it goes by (repeatable).")
@click.option("--domain", "domains", multiple=True, help="Web domain it publishes on (repeatable).")
@click.option("--notes")
def sources_add(name: str, workspace_path: Path, **fields: object) -> None:
    """Add a source, or update the one called NAME."""
    raw = {"name": name, **{key: (list(value) if isinstance(value, tuple) else value) for key, value in fields.items()}}
    with workspace_at(workspace_path) as workspace:
        try:
            record = SourceRecord.from_mapping(raw, "source")
            with workspace.database.session() as session:
                source, created = Registry(session, workspace.custody, workspace.actor).upsert(record)
                verb = "Added" if created else "Updated"
                out.print(f"{verb} source {_escape(source.name)} (#{source.id}, {source.kind})")
            with workspace.database.session() as session:
                workspace.custody.write_head(session)
        except RegistryError as error:
            raise click.ClickException(str(error)) from error


@sources.command("list")
@workspace_option
@click.option("--kind", type=click.Choice(SOURCE_KINDS), help="Only sources of this kind.")
def sources_list(workspace_path: Path, kind: str | None) -> None:
    """List the registered sources with their reports."""
    with workspace_at(workspace_path) as workspace, workspace.database.session() as session:
        counts = {
            source_id: n
            for source_id, n in session.execute(select(Report.source_id, func.count()).group_by(Report.source_id))
        }
        table = Table("name", "kind", "owner", "country", "parties", "aliases", "reports")
        for source in Registry(session, workspace.custody, workspace.actor).all():
            if kind and source.kind != kind:
                continue
            cells = (
                source.name,
                source.kind,
                source.owner or "",
                source.country or "",
                ", ".join(source.parties),
                ", ".join(alias.alias for alias in source.aliases),
            )
            table.add_row(*map(_escape, cells), str(counts.get(source.id, 0)))
        out.print(table)


@sources.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@workspace_option
def sources_import(file: Path, workspace_path: Path) -> None:
    """Add or update sources from a YAML or CSV file (all or nothing)."""
    with workspace_at(workspace_path) as workspace:
        try:
            records = read_records(file)
            with workspace.database.session() as session:
                registry = Registry(session, workspace.custody, workspace.actor)
                created = sum(registry.upsert(record)[1] for record in records)
            with workspace.database.session() as session:
                workspace.custody.write_head(session)
        except RegistryError as error:
            raise click.ClickException(f"{error} (nothing was imported)") from error
    out.print(
        f"Imported {len(records)} sources from {file}: {created} new, {len(records) - created} updated or unchanged."
    )


@sources.command("export")
@workspace_option
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default="yaml", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
def sources_export(workspace_path: Path, fmt: str, output: Path | None) -> None:
    """Write the registry as YAML or CSV, in the format `sources import` reads."""
    with workspace_at(workspace_path) as workspace, workspace.database.session() as session:
        records = [
            SourceRecord.from_source(source) for source in Registry(session, workspace.custody, workspace.actor).all()
        ]
    text = write_records(records, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"Wrote {len(records)} sources to {output}")


# -- questions ---------------------------------------------------------------------------------


@main.group()
def questions() -> None:
    """The questions linking made of the claims: list, show, merge, split, confirm or reject suggestions.

    Every edit is logged in custody and replayed on each `corroborator run`, so it survives
    re-extraction and new reports.
    """


@questions.command("list")
@workspace_option
def questions_list(workspace_path: Path) -> None:
    """List the questions with their newest estimates, and the joins suggested to editors."""
    with workspace_at(workspace_path) as workspace, workspace.database.session() as session:
        rows = session.scalars(select(Question).order_by(Question.id)).all()
        if not rows:
            out.print("No questions yet: run `corroborator run` first.")
            return
        members = dict(
            session.execute(select(QuestionClaim.question_id, func.count()).group_by(QuestionClaim.question_id)).all()
        )
        table = Table("id", "kind", "question", "claims", "answers", "by", "estimate (UCDP-like / ACLED-like)")
        for question in rows:
            estimates = _estimates_at(session, question, None)
            table.add_row(
                str(question.id),
                question.kind,
                _escape(question.label),
                str(members.get(question.id, 0)),
                str(len(question.alternatives)),
                question.created_by,
                " / ".join(_estimate_words(estimates[preset]) for preset in PRESETS if preset in estimates),
            )
        out.print(table)
        suggestions = session.scalars(select(QuestionSuggestion).order_by(QuestionSuggestion.score.desc())).all()
        if suggestions:
            table = Table("id", "join", "with", "score", "why", title="Suggested joins (confirm or reject)")
            for suggestion in suggestions:
                table.add_row(
                    str(suggestion.id),
                    f"#{suggestion.question_a_id}",
                    f"#{suggestion.question_b_id}",
                    f"{suggestion.score:.2f}",
                    _escape(", ".join(suggestion.reasons)),
                )
            out.print(table)


RELATION_ORDER = ("contradicts", "refines", "supports")
RELATIONS_SHOWN = 40


@questions.command("show")
@click.argument("question_id", type=int)
@workspace_option
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
    help="Show the estimates as they stood at this time (UTC), to see what was known then.",
)
@click.option("--all-relations", is_flag=True, help=f"Show every relation, not only the first {RELATIONS_SHOWN}.")
def questions_show(workspace_path: Path, question_id: int, as_of: datetime | None, all_relations: bool) -> None:
    """Show a question: its answers and their claims, how the claims relate, and its estimates with their traces."""
    with workspace_at(workspace_path) as workspace, workspace.database.session() as session:
        question = session.get(Question, question_id)
        if question is None:
            raise click.ClickException(f"no question {question_id}; `corroborator questions list` shows them")
        claims = {
            claim.id: (claim, role)
            for claim, role in session.execute(
                select(Claim, QuestionClaim.role)
                .join(QuestionClaim, QuestionClaim.claim_id == Claim.id)
                .where(QuestionClaim.question_id == question_id)
                .order_by(Claim.id)
            )
        }
        names = {source.id: source.name for source in session.scalars(select(Source))}
        out.print(f"[bold]#{question.id} {_escape(question.label)}[/] ({question.kind}, {question.created_by})")
        shown: set[int] = set()
        origins = alternative_origins(session, names=names)
        for number, alternative in enumerate(question.alternatives, start=1):
            found = origins.get(alternative.id, [])
            out.print(
                f"\n[bold]Answer {number}[/]: {_escape(alternative.label)}"
                + (" (settled)" if alternative.settled else "")
                + (f" · {len(found)} independent origin{'s' if len(found) != 1 else ''}" if found else "")
            )
            for claim in alternative.claims:
                out.print("  " + _claim_line(claim, names))
                shown.add(claim.id)
            for origin in found if len(found) < len(alternative.claims) else []:
                merged = "; ".join(dict.fromkeys(reason["detail"] for reason in origin.reasons))
                if merged:
                    claim_list = ", ".join(f"#{claim_id}" for claim_id in origin.claim_ids)
                    out.print(f"  [dim]one origin, {_escape(origin.label)} ({claim_list}): {_escape(merged)}[/]")
        others = [(claim, role) for claim_id, (claim, role) in claims.items() if claim_id not in shown]
        if others:
            out.print("\n[bold]Also about it[/] (a part of the count, or no answer of its own):")
            for claim, role in others:
                out.print(f"  {role:5} " + _claim_line(claim, names))
        relations = sorted(
            session.scalars(select(ClaimRelation).where(ClaimRelation.question_id == question_id)),
            key=lambda relation: (RELATION_ORDER.index(relation.label), relation.id),
        )
        if relations:
            out.print("\n[bold]Relations[/] (of the second claim to the first; contradictions first):")
            for relation in relations if all_relations else relations[:RELATIONS_SHOWN]:
                out.print(
                    f"  #{relation.claim_a_id} -> #{relation.claim_b_id} {relation.label} ({relation.reason}): "
                    f"{_escape(relation.detail)}"
                )
            if not all_relations and len(relations) > RELATIONS_SHOWN:
                out.print(f"  … and {len(relations) - RELATIONS_SHOWN} more (--all-relations shows them)")
        _print_estimates(session, question, as_of.replace(tzinfo=UTC) if as_of else None)


def _claim_line(claim: Claim, names: dict[int, str]) -> str:
    speaker = names.get(claim.claimant_id or 0, claim.claimant_text)
    markers = f" [{', '.join(claim.markers)}]" if claim.markers else ""
    return f"#{claim.id} {_escape(speaker)}: {_escape(_short(claim.sentence))}{_escape(markers)}"


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _estimates_at(session: Session, question: Question, as_of: datetime | None) -> dict[str, EstimateVersion]:
    """The newest estimate per preset made by ``as_of``, over the question's key and those merged into it."""
    keys = [question.key, *question.details.get("absorbed", [])]
    query = select(EstimateVersion).where(EstimateVersion.question_key.in_(keys))
    if as_of is not None:
        query = query.where(EstimateVersion.made_at <= as_of)
    newest: dict[str, EstimateVersion] = {}
    for version in session.scalars(query.order_by(EstimateVersion.made_at, EstimateVersion.id)):
        if version.question_key == question.key or version.preset not in newest:
            newest[version.preset] = version
    return newest


def _estimate_words(version: EstimateVersion) -> str:
    def number(value: float | None) -> str:
        return "?" if value is None else f"{value:g}"

    return f"{number(version.best)} ({number(version.low)}–{number(version.high)})"


def _print_estimates(session: Session, question: Question, as_of: datetime | None) -> None:
    keys = [question.key, *question.details.get("absorbed", [])]
    versions = session.scalars(
        select(EstimateVersion).where(EstimateVersion.question_key.in_(keys)).order_by(EstimateVersion.made_at)
    ).all()
    if not versions:
        return
    when = f" as of {as_of:%Y-%m-%d %H:%M} UTC" if as_of else ""
    newest = _estimates_at(session, question, as_of)
    if not newest:
        out.print(f"\nNo estimate had been made{when}.")
    for preset, version in newest.items():
        out.print(
            f"\n[bold]Estimate, {preset.upper()}-like{when}[/]: best {_estimate_words(version)}, "
            f'made {_when(version.made_at)} for "{_escape(version.label)}"'
        )
        for rule in version.trace.get("rules", []):
            out.print(f"  rule: {_escape(rule)}")
        for line in version.trace.get("trace", []):
            used = f"used for {', '.join(line['used_for'])}" if line.get("used_for") else "not used"
            chain = " via ".join(line.get("chain") or [line["claimant"]])
            out.print(f"  {_escape(line['figure'])} from {_escape(chain)}: {used}; {_escape(line.get('why', ''))}")
        for dispute in version.trace.get("disputes", []):
            out.print(f"  disputed: {_escape(dispute)}")
    out.print("\n[bold]Versions[/]:")
    for version in versions:
        out.print(f"  {_when(version.made_at)} {version.preset:5} {_estimate_words(version)}")


@questions.command("merge")
@click.argument("question_ids", nargs=-1, type=int, required=True)
@workspace_option
def questions_merge(question_ids: tuple[int, ...], workspace_path: Path) -> None:
    """Make the questions QUESTION_IDS one question; kept through every later run."""
    with workspace_at(workspace_path) as workspace:
        merged = _edit(lambda: merge_questions(workspace, question_ids))
    out.print(f"Merged questions {', '.join(f'#{q}' for q in question_ids)} into question #{merged}.")


@questions.command("split")
@click.argument("question_id", type=int)
@workspace_option
@click.option(
    "--claims",
    "claim_ids",
    required=True,
    help="Claim ids (comma-separated) to take out of the question into one of their own.",
)
def questions_split(question_id: int, workspace_path: Path, claim_ids: str) -> None:
    """Take some claims of QUESTION_ID out into a question of their own; kept through every later run."""
    try:
        ids = [int(part) for part in claim_ids.replace(" ", "").split(",") if part]
    except ValueError as error:
        raise click.ClickException(f"--claims takes claim ids separated by commas, not {claim_ids!r}") from error
    with workspace_at(workspace_path) as workspace:
        new = _edit(lambda: split_question(workspace, question_id, ids))
    out.print(f"Split {len(ids)} claims out of question #{question_id} into question #{new}.")


@questions.command("confirm")
@click.argument("suggestion_id", type=int)
@workspace_option
def questions_confirm(suggestion_id: int, workspace_path: Path) -> None:
    """Accept a suggested join: the two questions are merged, as `questions merge` would."""
    with workspace_at(workspace_path) as workspace:
        merged = _edit(lambda: decide_suggestion(workspace, suggestion_id, accept=True))
    out.print(f"Confirmed suggestion {suggestion_id}: the questions are now question #{merged}.")


@questions.command("reject")
@click.argument("suggestion_id", type=int)
@workspace_option
def questions_reject(suggestion_id: int, workspace_path: Path) -> None:
    """Reject a suggested join: the two questions stay apart and it is not suggested again."""
    with workspace_at(workspace_path) as workspace:
        _edit(lambda: decide_suggestion(workspace, suggestion_id, accept=False))
    out.print(f"Rejected suggestion {suggestion_id}; it will not be suggested again.")


def _edit(action: Callable[[], T]) -> T:
    try:
        return action()
    except LinkError as error:
        raise click.ClickException(str(error)) from error


# -- status and verify -------------------------------------------------------------------------


@main.command()
@workspace_option
def status(workspace_path: Path) -> None:
    """Show what the workspace holds, and every quarantined input with its reason."""
    with workspace_at(workspace_path) as workspace, workspace.database.session() as session:
        count = lambda model: session.scalar(select(func.count()).select_from(model)) or 0  # noqa: E731
        stored = session.scalar(select(func.count()).select_from(Item).where(Item.status == "stored")) or 0
        quarantined = list(session.scalars(select(Item).where(Item.status == "quarantined").order_by(Item.received_at)))
        last = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc()).limit(1)).first()
        out.print(f"Workspace {workspace.root}")
        out.print(f"  database      {_redact(workspace.database_url)} (schema {workspace.database.revision()})")
        out.print(f"  sources       {count(Source)}")
        out.print(f"  reports       {count(Report)}")
        extracted = count(ReportExtractionState)
        unsupported = session.scalar(
            select(func.count()).select_from(ReportExtractionState).where(ReportExtractionState.supported.is_(False))
        )
        claims = f"{count(Claim)} from {extracted} extracted reports, {unsupported} in unsupported languages"
        out.print(f"  claims        {claims}")
        out.print(f"  media         {count(Media)}")
        out.print(f"  items stored  {stored}")
        out.print(f"  quarantined   {len(quarantined)}")
        if last is not None:
            out.print(f"  custody log   {last.seq} entries, last {last.action} at {last.at}")
        if quarantined:
            table = Table("received", "name", "reason", "sha256", title="Quarantined inputs")
            for item in quarantined:
                table.add_row(
                    _when(item.received_at), _escape(item.original_name), _escape(item.reason or ""), item.sha256[:12]
                )
            out.print(table)
            out.print(f"Their bytes are kept in {workspace.quarantine_dir}.")


def _redact(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


@main.command()
@workspace_option
def verify(workspace_path: Path) -> None:
    """Re-hash every archived item and walk the custody chain; exit 1 on any tampering."""
    with workspace_at(workspace_path) as workspace:
        with Progress(
            TextColumn("Verifying"), BarColumn(), MofNCompleteColumn(), console=err, transient=True
        ) as progress:
            task = progress.add_task("verify", total=None)
            findings, checked = verify_workspace(
                workspace, lambda done, total: progress.update(task, completed=done, total=total)
            )
        with workspace.database.session() as session:
            entries = workspace.custody.count(session)
    fatal = [finding for finding in findings if finding.fatal]
    for finding in findings:
        style = "red" if finding.fatal else "yellow"
        out.print(f"[{style}]{'FAIL' if finding.fatal else 'note'}[/] {_escape(str(finding))}")
    if fatal:
        out.print(
            f"[red]Verification failed:[/] {len(fatal)} problem{'s' if len(fatal) != 1 else ''} "
            f"in {checked} items and {entries} custody entries."
        )
        sys.exit(1)
    out.print(f"[green]OK[/]: {checked} items re-hashed, {entries} custody entries chained, no tampering found.")


# -- pipeline, exports and demo ----------------------------------------------------------------


def _run_with_progress(workspace: Workspace) -> PipelineRun:
    """Run the pipeline with a progress bar per stage, then say what each stage did."""
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def started(name: str) -> None:
            err.print(f"Running {name}...")
            tasks[name] = progress.add_task(f"{name.capitalize()}: reports", total=None)

        def advanced(name: str, done: int, total: int) -> None:
            progress.update(tasks[name], completed=done, total=total)

        pipeline = run_pipeline(workspace, on_stage=started, on_progress=advanced)
    for name, result in pipeline.results.items():
        for line in _stage_lines(name, result):
            err.print(line)
    return pipeline


def _stage_lines(name: str, result: dict[str, object]) -> list[str]:
    """A stage's counts in words; the extract stage's failures each on a line of their own."""
    if name == "link":
        relations = result["relations"]
        related = (
            ", ".join(f"{count} {label}" for label, count in relations.items()) if isinstance(relations, dict) else ""
        )
        return [
            f"link: {result['claims']} claims in {result['questions']} questions ({result['numeric']} numeric, "
            f"{result['shaped_by_editors']} shaped by editors' decisions), {result['alternatives']} alternatives; "
            f"relations: {related}; {result['suggestions']} joins suggested; {result['estimates']} estimate versions"
        ]
    if name == "provenance":
        found = ", ".join(f"{result[kind]} {kind.replace('_', ' ')}" for kind in EDGE_KINDS)
        unreadable = f"; {result['media_unreadable']} media files unreadable" if result["media_unreadable"] else ""
        reasons = result["unreadable"] if isinstance(result["unreadable"], list) else []
        return [
            f"provenance: {result['edges']} dependence edges ({found}){unreadable}; "
            f"origins merged by {', '.join(map(str, result['merge'])) or 'nothing'}; "
            f"stored as provenance run {result['run']}",
            *(f"  [yellow]media not fingerprinted[/]: {_escape(str(reason))}" for reason in reasons),
        ]
    if name == "assess":
        if not result["questions"]:
            return ["assess: no questions to assess yet"]
        return [
            f"assess: {result['questions']} questions, {result['votes']} votes from {result['sources']} sources "
            f"({result['settled']} settled by editors), {result['dependent_pairs']} dependent source pairs "
            f"({result['prior_pairs']} pairs given by provenance); "
            f"stored as assessment run {result['run']}"
        ]
    if name != "extract":
        return [f"{name}: " + ", ".join(f"{key} {value}" for key, value in result.items())]
    lines = [
        f"extract: {result['reports']} reports read ({result['already_current']} already current), "
        f"{result['sentences']} sentences, {result['claims']} claims, {result['sources_added']} new sources"
    ]
    languages = result["unsupported_languages"]
    if isinstance(languages, dict) and languages:
        listed = ", ".join(f"{_escape(str(code))} {count}" for code, count in languages.items())
        lines.append(f"  [yellow]language not supported[/] in {result['unsupported']} reports: {listed}")
    failed = result["failed"]
    if isinstance(failed, dict):
        for report_id, message in failed.items():
            lines.append(f"  [red]FAILED[/] report #{report_id}: {_escape(str(message))} (its earlier claims are kept)")
    return lines


@main.command()
@workspace_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the board (default: WORKSPACE/board).",
)
@click.option(
    "--reextract",
    is_flag=True,
    help="Read every report again, e.g. after adding aliases to the registry; claims are replaced report by report.",
)
def run(workspace_path: Path, out_dir: Path | None, reextract: bool) -> None:
    """Run every pipeline stage on the workspace and write board.json and board.html.

    Extraction reads each report not yet read by the installed extractor and stores its
    claims; running again only reads what is new (or everything, after an upgrade or
    with --reextract). Exits with status 1 when a report could not be extracted.
    """
    with workspace_at(workspace_path) as workspace:
        if reextract:
            err.print(f"Marked {mark_stale(workspace)} extracted reports to be read again.")
        pipeline = _run_with_progress(workspace)
        written = write_outputs(workspace, out_dir or workspace.root / "board", ["json", "html"], pipeline.stages)
    out.print(f"Stages run: {', '.join(pipeline.stages)}")
    for path in written:
        out.print(f"Wrote {path}")
    if pipeline.failed:
        sys.exit(1)


@main.command()
@workspace_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="the current folder",
)
def export(workspace_path: Path, fmt: str, out_dir: Path) -> None:
    """Write the board as JSON, CSV tables, a Markdown briefing or an HTML page."""
    with workspace_at(workspace_path) as workspace:
        written = write_outputs(workspace, out_dir, [fmt], last_stages(workspace))
    for path in written:
        out.print(f"Wrote {path}")


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("corroborator-demo"),
    show_default=True,
)
def demo(out_dir: Path) -> None:
    """Build a board from the bundled Almaty 2022 example in a fresh workspace.

    Creates OUT/workspace (replacing one an earlier demo made there), imports the
    example's sources, ingests its reports, runs every pipeline stage and writes
    OUT/board.json and OUT/board.html.
    """
    example = example_dir()
    target = out_dir / "workspace"
    if target.exists():
        if not (target / DEMO_MARKER).exists():
            raise click.ClickException(f"{target} exists and was not made by `corroborator demo`; choose another --out")
        shutil.rmtree(target)
    try:
        workspace = init_workspace(target)
    except WorkspaceError as error:
        raise click.ClickException(str(error)) from error
    (target / DEMO_MARKER).write_text("made by `corroborator demo`; safe to delete\n", encoding="utf-8")
    try:
        with workspace.database.session() as session:
            registry = Registry(session, workspace.custody, workspace.actor)
            for record in read_records(example / "sources.yaml"):
                registry.upsert(record)
        err.print(f"Ingesting the {EXAMPLE} example from {example}")
        summary = _ingest_with_progress(Ingester(workspace), expand_inputs([str(example / "reports")]), quiet=True)
        _print_summary(summary)
        pipeline = _run_with_progress(workspace)
        written = write_outputs(workspace, out_dir, ["json", "html"], pipeline.stages)
    finally:
        workspace.close()
    out.print(f"Workspace: {target.resolve()}")
    for path in written:
        out.print(f"Board:     {path.resolve()}")
    if not summary.ok or pipeline.failed:
        sys.exit(1)


# -- the web board and its accounts --------------------------------------------------------------


@main.command()
@workspace_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on; any but loopback needs accounts."
)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
def serve(workspace_path: Path, host: str, port: int) -> None:
    """Serve the verification board for editors in a browser.

    On the loopback address (the default) with no accounts in the workspace, whoever opens
    the board acts as editor under the workspace's custody name. Once an account exists, or
    when listening on any other address, everyone signs in (`corroborator users add`).
    """
    import uvicorn

    from corroborator.web.app import create_app
    from corroborator.web.auth import has_accounts, is_loopback

    with workspace_at(workspace_path) as workspace:
        with workspace.database.session() as session:
            accounts = has_accounts(session)
        if not is_loopback(host) and not accounts:
            raise click.ClickException(
                f"listening on {host} requires a login, but this workspace has no accounts; "
                "add one first with `corroborator users add NAME --role editor`"
            )
        who = "sign in with a workspace account" if accounts else f"you act as editor {workspace.actor} (no accounts)"
        err.print(f"Serving {workspace.root} at http://{host}:{port}/ ; {escape(who)}. Stop with Ctrl+C.")
        uvicorn.run(create_app(workspace, host), host=host, port=port, log_level="warning")


@main.group()
def users() -> None:
    """Accounts for the web board: viewers read, editors also rule and edit."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "editor"]), default="viewer", show_default=True)
@click.password_option(help="Prompted for when not given (typed twice, not shown).")
@workspace_option
def users_add(name: str, role: str, password: str, workspace_path: Path) -> None:
    """Add an account NAME; its password is stored only as an argon2 hash."""
    from corroborator.web.auth import AccountError, add_user

    with workspace_at(workspace_path) as workspace:
        try:
            add_user(workspace, name, password, role)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
    out.print(f"Added {role} {escape(name)}. The board now asks everyone to sign in.")


@users.command("list")
@workspace_option
def users_list(workspace_path: Path) -> None:
    """List the accounts and their roles."""
    from corroborator.store.schema import User

    with workspace_at(workspace_path) as workspace, workspace.database.session() as session:
        rows = session.scalars(select(User).order_by(User.name)).all()
    if not rows:
        out.print("No accounts: the board is open to the local editor on the loopback address only.")
    for user in rows:
        out.print(f"{escape(user.name)}  {user.role}  added {_when(user.created_at)}")


@users.command("remove")
@click.argument("name")
@workspace_option
def users_remove(name: str, workspace_path: Path) -> None:
    """Remove the account NAME; its sessions end at once."""
    from corroborator.web.auth import AccountError, remove_user

    with workspace_at(workspace_path) as workspace:
        try:
            remove_user(workspace, name)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
    out.print(f"Removed {escape(name)}.")

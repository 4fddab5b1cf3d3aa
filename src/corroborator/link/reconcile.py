"""Casualty reconciliation: the figures of one numeric question turned into low / best / high.

Conflict-data coders do not average figures; they pick, by rules they can state. Two presets:

``ucdp``  (after UCDP GED's best / low / high)
    best: the figure from the most reliable independent origin, the lower on a tie;
    low: the lowest credible figure; high: the highest figure, unverified ones included.
``acled`` (after ACLED's conservative rule)
    best = low: the most conservative credible figure; vague words count as fixed numbers
    (``ACLED_VAGUE``); high: the highest credible figure; figures in dispute are noted.

Both presets first set aside what cannot be a figure for the whole count: parts of it ("ten
police among the dead" is a floor, not a total), figures a claimant has itself replaced by a
later one (a revision: the Interior Ministry's 8 dead, then 18), and upper bounds with no floor
("up to 20"), which only bound ``high``. A figure is credible unless the caller says otherwise or
its claim is marked unverified, suspect, without evidence or hedged. Every figure appears in the
trace with its claimant, chain, and what it was used for or why it was set aside.

Pure: plain records in, a JSON-ready ``Estimate`` out; independence and reliability come in as
fields (from provenance and assessment), so this module decides nothing about sources itself.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime

from corroborator.link.numbers import show_range

PRESETS = ("ucdp", "acled")
DOUBT_MARKERS = ("unverified", "suspect", "no_evidence", "hedge")

# ACLED-like fixed values for vague words, with the range extraction gives each word
# (docs/extraction-gold.md); a figure gets the fixed value only when its range is exactly the word's,
# so "several hundred" (300..900) is not read as "several". "dozens" and "hundreds" are coded 12
# and 100 as ACLED codes them; the others are ours, by the same rule: the smallest number the word
# can mean ("scores" 20 and "thousands" 1000 by analogy).
ACLED_VAGUE: dict[str, tuple[int, tuple[int, int]]] = {
    "a couple of": (2, (2, 2)),
    "a few": (2, (2, 4)),
    "a handful": (2, (2, 5)),
    "several": (3, (3, 9)),
    "a dozen": (12, (12, 12)),
    "dozens": (12, (24, 99)),
    "scores": (20, (40, 99)),
    "hundreds": (100, (200, 999)),
    "thousands": (1000, (2000, 9999)),
    "tens of thousands": (10000, (20000, 99999)),
}
_VAGUE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in ACLED_VAGUE), key=len, reverse=True)) + r")\b", re.IGNORECASE
)


@dataclass(frozen=True)
class NumericClaim:
    """One figure of the question, with what provenance and assessment know of it.

    ``origin`` names the independent origin (a group of mutually dependent sources) the claim
    comes from; ``reliability`` is that origin's estimated reliability (0..1, None if unknown).
    ``scope`` is "total" for a figure of the whole count, "part" for a part of it.
    """

    claim_id: str
    claimant: str
    low: int
    high: int | None
    text: str = ""  # the words the number came from: "dozens", "at least 8"
    chain: tuple[str, ...] = ()
    origin: str | None = None
    reliability: float | None = None
    party: bool = False  # the claimant is a party to the conflict
    credible: bool = True  # the caller's (or editor's) judgement; doubt markers also take it away
    markers: tuple[str, ...] = ()
    published: datetime | None = None
    scope: str = "total"
    disputed_by: tuple[str, ...] = ()  # claimants who contradict this figure


@dataclass(frozen=True)
class Dispute:
    """A claim against the figures with no figure of its own ("on a much smaller scale than reported")."""

    claimant: str
    text: str
    chain: tuple[str, ...] = ()
    party: bool = False


@dataclass
class TraceLine:
    """What one figure did in the estimate, in plain words."""

    claim_id: str
    claimant: str
    chain: list[str]
    figure: str  # "dozens (24–99)"
    used_for: list[str] = field(default_factory=list)  # "low", "best", "high"
    set_aside: bool = False
    why: str = ""


@dataclass
class Estimate:
    """Low / best / high for one question under one preset, with the rule trace."""

    preset: str
    low: int | None
    best: int | None
    high: int | None
    rules: list[str]
    trace: list[TraceLine]
    disputes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def reconcile(
    claims: list[NumericClaim], preset: str = "ucdp", disputes: list[Dispute] | tuple[Dispute, ...] = ()
) -> Estimate:
    """Low, best and high for the figures of one question, by the rules of ``preset``."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    lines = {c.claim_id: _line(c) for c in claims}
    totals = _totals(claims, lines)
    credible = [c for c in totals if _credible(c)]
    for c in totals:
        if c not in credible:
            lines[c.claim_id].why = _doubt(c)
    estimate = _ucdp(totals, credible, lines) if preset == "ucdp" else _acled(totals, credible, lines)
    floors = [c for c in claims if c.scope == "part" and c.claim_id in lines]
    _check_floors(estimate, floors)
    estimate.trace = [lines[c.claim_id] for c in claims]
    estimate.disputes = [_dispute_words(d) for d in disputes] + [
        f"{c.claimant}'s {_figure(c)} is disputed by {', '.join(c.disputed_by)}" for c in claims if c.disputed_by
    ]
    return estimate


def reconcile_both(claims: list[NumericClaim], disputes: list[Dispute] | tuple[Dispute, ...] = ()) -> dict[str, dict]:
    """Both presets, JSON-ready, keyed by preset name."""
    return {preset: reconcile(claims, preset, disputes).to_dict() for preset in PRESETS}


# -- the two presets ---------------------------------------------------------------------------


def _ucdp(totals: list[NumericClaim], credible: list[NumericClaim], lines: dict[str, TraceLine]) -> Estimate:
    rules = [
        "best: the figure from the most reliable independent origin, the lower on a tie",
        "low: the lowest credible figure (the bottom of its range)",
        "high: the highest figure, unverified ones included (the top of its range; an open range counts its floor)",
    ]
    pool = credible or totals
    if not pool:
        return Estimate("ucdp", None, None, None, rules, [])
    if not credible:
        rules.append("no figure is credible, so best and low fall back on the unverified ones")
    best_claim = min(pool, key=lambda c: (-(c.reliability if c.reliability is not None else -1), _point(c)))
    best = _point(best_claim)
    _use(lines[best_claim.claim_id], "best", _best_why(best_claim, pool))
    low_claim = min(pool, key=lambda c: c.low)
    _use(lines[low_claim.claim_id], "low", "the lowest credible floor")
    high_claim = max(totals, key=_top)
    _use(lines[high_claim.claim_id], "high", "the highest top, unverified figures included")
    for c in pool:
        line = lines[c.claim_id]
        if not line.used_for and not line.why:
            line.why = "credible, but neither the lowest, the highest nor from the most reliable origin"
    low, high = min(low_claim.low, best), max(_top(high_claim), best)
    return Estimate("ucdp", low, best, high, rules, [])


def _acled(totals: list[NumericClaim], credible: list[NumericClaim], lines: dict[str, TraceLine]) -> Estimate:
    rules = [
        "best and low: the most conservative credible figure",
        "vague words count as fixed values: " + ", ".join(f"'{k}' = {v}" for k, (v, _) in ACLED_VAGUE.items()),
        "high: the highest credible figure (ACLED records one figure; high shows the spread)",
        "figures in dispute are noted, not averaged",
    ]
    if not credible:
        for c in totals:
            lines[c.claim_id].why = _doubt(c) + "; ACLED-like coding needs a credible figure"
        rules.append("no credible figure: nothing is recorded")
        return Estimate("acled", None, None, None, rules, [])
    best_claim = min(credible, key=lambda c: (_acled_value(c), -(c.reliability or 0)))
    best = _acled_value(best_claim)
    _use(lines[best_claim.claim_id], "best", f"the most conservative credible figure, counted as {best}")
    lines[best_claim.claim_id].used_for.append("low")
    high_claim = max(credible, key=_acled_value)
    high = _acled_value(high_claim)
    _use(lines[high_claim.claim_id], "high", f"the highest credible figure, counted as {high}")
    for c in credible:
        line = lines[c.claim_id]
        if not line.used_for and not line.why:
            line.why = f"credible, counted as {_acled_value(c)}: neither the most conservative nor the highest"
    return Estimate("acled", best, best, high, rules, [])


# -- figures -----------------------------------------------------------------------------------


def _totals(claims: list[NumericClaim], lines: dict[str, TraceLine]) -> list[NumericClaim]:
    """The figures of the whole count, each claimant's latest; the rest set aside with the reason."""
    latest: dict[str, NumericClaim] = {}
    for c in claims:
        if c.scope != "total":
            continue
        seen = latest.get(c.claimant)
        if seen is None or (c.published and seen.published and c.published > seen.published):
            latest[c.claimant] = c
    totals = []
    for c in claims:
        line = lines[c.claim_id]
        if c.scope != "total":
            line.set_aside, line.why = True, "counts a part of the whole, so it is only a floor for the total"
        elif latest[c.claimant] is not c:
            newer = latest[c.claimant]
            line.set_aside = True
            line.why = f"replaced by {c.claimant}'s later figure {_figure(newer)}" + (
                f" ({newer.published:%Y-%m-%d})" if newer.published else ""
            )
        elif c.low == 0 and c.high is not None:
            line.set_aside, line.why = True, "only an upper bound ('up to', 'fewer than'): no floor to use"
        else:
            totals.append(c)
    # one figure per independent origin: copies do not count twice
    by_origin: dict[str, NumericClaim] = {}
    kept = []
    for c in totals:
        if c.origin is None:
            kept.append(c)
            continue
        first = by_origin.setdefault(c.origin, c)
        if first is c:
            kept.append(c)
        elif (c.low, c.high) == (first.low, first.high):
            copy = lines[c.claim_id]
            copy.set_aside = True
            copy.why = f"same origin as {first.claimant} ({c.origin}) with the same figure: not counted twice"
        else:
            kept.append(c)
    return kept


def _credible(c: NumericClaim) -> bool:
    return c.credible and not any(m in DOUBT_MARKERS for m in c.markers)


def _doubt(c: NumericClaim) -> str:
    marks = [m for m in c.markers if m in DOUBT_MARKERS]
    if not c.credible:
        return "judged not credible" + (f" (marked {', '.join(marks)})" if marks else "")
    return f"not credible: marked {', '.join(marks)}"


def _vague(c: NumericClaim) -> str | None:
    """The vague word the figure is, if its range is exactly that word's range."""
    match = _VAGUE.search(c.text)
    if match and ACLED_VAGUE[match.group(1).lower()][1] == (c.low, c.high):
        return match.group(1).lower()
    return None


def _about(c: NumericClaim) -> int | None:
    """N when the range is "about N" (round(0.9 N)..round(1.1 N)), else None."""
    if c.high is None or c.high == c.low:
        return None
    n = round(c.high / 1.1)
    for guess in (n - 1, n, n + 1):
        if round(0.9 * guess) == c.low and round(1.1 * guess) == c.high:
            return guess
    return None


def _point(c: NumericClaim) -> int:
    """UCDP-like single number: the stated N of "about N", the floor of vague or open ranges, else the middle."""
    if c.high is None or _vague(c):
        return c.low
    about = _about(c)
    return about if about is not None else round((c.low + c.high) / 2)


def _top(c: NumericClaim) -> int:
    return c.high if c.high is not None else c.low


def _acled_value(c: NumericClaim) -> int:
    """ACLED-like single number: a vague word's fixed value, the stated N of "about N", else the floor."""
    word = _vague(c)
    if word:
        return ACLED_VAGUE[word][0]
    about = _about(c)
    return about if about is not None else c.low


def _figure(c: NumericClaim) -> str:
    rng = show_range(c.low, c.high)
    return f"'{c.text}' ({rng})" if c.text and c.text != rng else rng


def _line(c: NumericClaim) -> TraceLine:
    return TraceLine(c.claim_id, c.claimant, list(c.chain) or [c.claimant], _figure(c))


def _use(line: TraceLine, role: str, why: str) -> None:
    line.used_for.append(role)
    line.why = why if not line.why or line.why.startswith("credible") else f"{line.why}; {why}"


def _best_why(c: NumericClaim, pool: list[NumericClaim]) -> str:
    if c.reliability is None:
        return "no origin has a known reliability, so the lowest credible figure"
    ties = [o for o in pool if o.reliability == c.reliability and o is not c]
    origin = f"origin {c.origin}" if c.origin else "its origin"
    return f"from the most reliable independent origin ({origin}, reliability {c.reliability:.2f})" + (
        ", the lower of tied figures" if ties else ""
    )


def _check_floors(estimate: Estimate, parts: list[NumericClaim]) -> None:
    for p in parts:
        if estimate.best is not None and estimate.best < p.low:
            estimate.rules.append(
                f"note: {p.claimant}'s part figure {_figure(p)} is above best {estimate.best}, so best is too low"
            )


def _dispute_words(d: Dispute) -> str:
    party = " (a party to the conflict)" if d.party else ""
    return f"{d.claimant}{party} disputes the figures: '{d.text}'"

"""Independent origins from claims and edges, without a store: what each kind of dependence merges."""

from __future__ import annotations

import pytest

from corroborator.provenance.origins import DEFAULT_MERGE, ClaimRecord, EdgeRecord, OriginFinder, check_merge

# Sources: 1 wire, 2 and 3 outlets, 4 a ministry, 5 and 6 state outlets with one owner.
WIRE, OUTLET_A, OUTLET_B, MINISTRY, STATE_A, STATE_B = 1, 2, 3, 4, 5, 6


def groups(finder: OriginFinder, claims: list[ClaimRecord]) -> list[set[int]]:
    return sorted(({*origin.claim_ids} for origin in finder.origins(claims)), key=min)


def test_the_same_outlet_relaying_the_same_claimant_twice_is_one_voice_even_with_nothing_merged():
    claims = [ClaimRecord(1, 10, OUTLET_A, (MINISTRY, OUTLET_A)), ClaimRecord(2, 11, OUTLET_A, (MINISTRY, OUTLET_A))]
    assert groups(OriginFinder([], merge=()), claims) == [{1, 2}]


def test_outlets_relaying_one_ministry_are_one_origin_by_shared_informant_and_two_without_it():
    claims = [ClaimRecord(1, 10, OUTLET_A, (MINISTRY, OUTLET_A)), ClaimRecord(2, 11, OUTLET_B, (MINISTRY, OUTLET_B))]
    assert groups(OriginFinder([]), claims) == [{1, 2}]
    assert groups(OriginFinder([], merge=()), claims) == [{1}, {2}]


def test_an_anonymous_origin_falls_back_to_the_first_named_link():
    claim = ClaimRecord(1, 10, OUTLET_A, (None, WIRE, OUTLET_A))
    assert claim.original == WIRE and claim.relayed == ()
    assert ClaimRecord(2, 10, OUTLET_A, (None, OUTLET_A)).original == OUTLET_A


def test_text_reuse_merges_the_claims_of_the_two_reports_and_only_when_enabled():
    claims = [ClaimRecord(1, 10, OUTLET_A, (OUTLET_A,)), ClaimRecord(2, 11, OUTLET_B, (OUTLET_B,))]
    edges = [EdgeRecord("text_reuse", report_a=10, report_b=11, source_a=OUTLET_A, source_b=OUTLET_B)]
    merged = OriginFinder(edges).origins(claims)
    assert [origin.claim_ids for origin in merged] == [[1, 2]]
    assert merged[0].reasons[0]["kind"] == "text_reuse"
    assert groups(OriginFinder(edges, merge=("media_reuse",)), claims) == [{1}, {2}]


def test_a_forwarded_post_cites_its_channel_for_every_claim_but_a_quote_cites_only_for_its_own_claim():
    wire_claim = ClaimRecord(1, 10, WIRE, (WIRE,))
    forwarded = ClaimRecord(2, 11, OUTLET_A, (OUTLET_A,))
    quoted = ClaimRecord(3, 12, OUTLET_B, (OUTLET_B,))
    edges = [
        EdgeRecord("citation", report_b=11, source_a=WIRE, source_b=OUTLET_A),
        EdgeRecord("citation", report_b=12, source_a=WIRE, source_b=OUTLET_B, claims=(99,)),
    ]
    assert groups(OriginFinder(edges), [wire_claim, forwarded, quoted]) == [{1, 2}, {3}]
    assert groups(OriginFinder(edges, merge=()), [wire_claim, forwarded, quoted]) == [{1}, {2}, {3}]


def test_a_relayed_link_of_the_chain_is_a_citation():
    via_wire = ClaimRecord(1, 10, OUTLET_A, (MINISTRY, WIRE, OUTLET_A))
    wire_own = ClaimRecord(2, 11, WIRE, (WIRE,))
    assert via_wire.relayed == (WIRE,)
    assert groups(OriginFinder([], merge=("citation",)), [via_wire, wire_own]) == [{1, 2}]


def test_one_owner_merges_and_a_shared_side_merges_only_when_asked():
    claims = [ClaimRecord(1, 10, STATE_A, (STATE_A,)), ClaimRecord(2, 11, STATE_B, (STATE_B,))]
    owner = [EdgeRecord("ownership", source_a=STATE_A, source_b=STATE_B, detail="the state")]
    side = [EdgeRecord("party", source_a=STATE_A, source_b=STATE_B, detail="government")]
    merged = OriginFinder(owner).origins(claims)
    assert len(merged) == 1 and "the state" in merged[0].reasons[0]["detail"]
    assert "party" not in DEFAULT_MERGE
    assert groups(OriginFinder(side), claims) == [{1}, {2}]
    assert groups(OriginFinder(side, merge=("party",)), claims) == [{1, 2}]


def test_merges_are_transitive_and_origins_come_largest_first():
    claims = [
        ClaimRecord(1, 10, OUTLET_A, (OUTLET_A,)),
        ClaimRecord(2, 11, OUTLET_B, (OUTLET_B,)),
        ClaimRecord(3, 12, WIRE, (WIRE,)),
        ClaimRecord(4, 13, MINISTRY, (MINISTRY,)),
    ]
    edges = [
        EdgeRecord("text_reuse", report_a=10, report_b=11),
        EdgeRecord("media_reuse", report_a=11, report_b=12),
    ]
    origins = OriginFinder(edges).origins(claims, names={OUTLET_A: "Outlet A"})
    assert [origin.claim_ids for origin in origins] == [[1, 2, 3], [4]]
    assert origins[0].label == "Outlet A and 2 more"
    assert origins[0].source_ids == [OUTLET_A, OUTLET_B, WIRE]


def test_an_unknown_edge_kind_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown edge kind.*owners"):
        check_merge(["ownership", "owners"])

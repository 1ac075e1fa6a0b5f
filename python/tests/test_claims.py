"""The claim checks' typed results against `ldaformer verify --json`."""

import math

import pytest

import ldaformer

FAST = ["verify.cross_entropy=false", "verify.tied_dimensions=[10]", "verify.random_starts=1"]


def sets(overrides):
    return [arg for o in overrides for arg in ("--set", o)]


def test_t2_result_is_the_command_lines(cli):
    report = cli("verify", "--claims", "T2", "--quiet", "--json")
    results = ldaformer.check(ldaformer.paper_scenario(), "T2")
    assert [r.id for r in results] == [c["id"] for c in report["claims"]]
    for mine, theirs in zip(results, report["claims"]):
        assert mine.margin == theirs["margin"]
        assert mine.status == theirs["status"] and mine.reason == theirs["reason"]
        assert mine.reason_text == theirs["reason_text"]
        assert [h.name for h in mine.hypotheses] == [h["name"] for h in theirs["hypotheses"]]
        assert [c.name for c in mine.conditions] == [c["name"] for c in theirs["conditions"]]
        assert all(c.met for c in mine.conditions)
        assert [x.name for x in mine.cross_checks] == [x["name"] for x in theirs["cross_checks"]]
        assert all(x.passed for x in mine.cross_checks)
        assert [run.name for run in mine.solves] == [run["name"] for run in theirs["solves"]]
        dict_form = mine.to_dict()
        for key in ("id", "claim", "status", "reason", "margin", "method", "hypotheses", "conditions"):
            assert dict_form[key] == theirs[key]
        assert mine.details["margin"] == theirs["details"]["margin"]
    t2 = results[0]
    assert t2.status == "holds" and t2.reason == "" and not t2.counts_against and t2.hypotheses_met
    assert math.isnan(t2.stderr)  # an exact result
    assert t2.matrices["T2-W_V"].shape == (101, 101)


def test_verify_report_and_t1(cli):
    s = ldaformer.paper_scenario(FAST)
    report = cli("verify", "--claims", "T1", "T2", *sets(FAST), "--quiet", "--json")
    mine = ldaformer.verify(s, ["T1", "T2"])
    assert mine.expected_claims_hold == report["expected_claims_hold"]
    as_dict = mine.to_dict()
    assert as_dict["scenario"] == report["scenario"] and as_dict["verify"] == report["verify"]
    assert [c["margin"] for c in as_dict["claims"]] == [c["margin"] for c in report["claims"]]
    assert [c["status"] for c in as_dict["claims"]] == [c["status"] for c in report["claims"]]


def test_a_result_outside_the_hypotheses(cli):
    overrides = FAST + ["topics.T=1", "topics.v=20"]
    report = cli("verify", "--claims", "T2", *sets(overrides), "--quiet", "--json")
    (result,) = ldaformer.check(ldaformer.paper_scenario(overrides), "T2")
    assert result.status == "not applicable" == report["claims"][0]["status"]
    assert result.reason == "hypothesis not met"
    assert not all(h.met for h in result.hypotheses)
    assert result.reason_text == report["claims"][0]["reason_text"]


def test_hypotheses_and_bad_claims():
    hyps = ldaformer.claim_hypotheses(ldaformer.paper_scenario(), "T3")
    assert hyps and all(h.met for h in hyps)
    with pytest.raises(ValueError, match="--claims must name T1, T2, T3 or D, got 'T9'"):
        ldaformer.check(ldaformer.paper_scenario(), "T9")

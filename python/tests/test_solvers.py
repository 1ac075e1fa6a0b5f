"""The T2 closed form and its block coefficients, the block predicate, and the T3 solvers, against the
numbers `ldaformer verify --json` reports for the same scenario."""

import numpy as np
import pytest

import ldaformer

# A small A1 scenario, so that T3 takes a second: the claim's settings through --set, as on the command line.
SMALL_T3 = [
    "topics.T=4",
    "topics.v=20",
    "length.kind=uniform",
    "length.min=20",
    "length.max=30",
    "verify.theta_points=64",
    "verify.saa_documents=100",
    "verify.bucket_documents=50",
    "verify.t3_full_iterations=5",
    "verify.cross_entropy=false",
]


def sets(overrides):
    return [arg for o in overrides for arg in ("--set", o)]


def test_t2_optimum_and_block_coefficients_match_the_claim(cli):
    s = ldaformer.paper_scenario(["verify.cross_entropy=false"])
    details = next(c for c in cli("verify", "--claims", "T2", *sets(["verify.cross_entropy=false"]), "--quiet", "--json")["claims"] if c["id"] == "T2")["details"]
    W = ldaformer.t2_optimum(s)
    assert W.shape == (101, 101) and W.dtype == np.float64 and W.flags.writeable
    coef = ldaformer.t2_block_coefficients(s)
    assert (coef["T"], coef["m"]) == (10, 10) and coef["f"].shape == (1,) and coef["S"].shape == (1, 1)
    for name in ("a", "b", "c"):
        assert abs(coef[name] - details[name]) <= 1e-12
    block = ldaformer.block_structure(W, s)
    assert abs(block["margin"] - details["margin"]) <= 1e-12
    assert abs(block["same_topic_mean"] - details["same_topic_mean"]) <= 1e-12
    assert block["relative_residual"] < 1e-12 and block["holds"]
    # The closed form is the dense A (C + lambda I)^-1 of the exact moments.
    mom = ldaformer.second_moments(s)
    dense = np.linalg.solve(mom.C + 1e-3 * np.eye(101), mom.A.T).T
    np.testing.assert_allclose(W, dense, atol=1e-10)
    # lambda_ overrides verify.lambda.
    assert abs(ldaformer.t2_block_coefficients(s, lambda_=1e-2)["b"] - coef["b"]) > 1e-6


def test_t3_symmetric_solve_matches_the_claim(cli):
    s = ldaformer.paper_scenario(SMALL_T3)
    claims = {c["id"]: c for c in cli("verify", "--claims", "T3", *sets(SMALL_T3), "--quiet", "--json")["claims"]}
    W_T2 = ldaformer.t2_optimum(s)
    # The claim's W^V: the T2 optimum without its same-word excess a I on the words.
    a = ldaformer.t2_block_coefficients(s)["a"]
    W = W_T2.copy()
    W[np.arange(s.v), np.arange(s.v)] -= a
    solved = ldaformer.t3_solve(s, W, objective="infinite", form="symmetric", theta_points=64, seed=1)
    assert solved["converged"] and solved["S"].shape == (s.n, s.n)
    details = claims["T3"]["details"]
    for mine, theirs in (("a", "s_I"), ("b", "s_B"), ("c", "s_J")):
        assert abs(solved["coefficients"][mine] - details[theirs]) <= 1e-9
    assert abs(solved["loss"] - details["loss"]) <= 1e-12
    buckets = ldaformer.attention_buckets(solved["S"], s, documents=50, seed=2)
    assert abs(buckets["margin"] - claims["T3"]["margin"]) <= 1e-9
    assert abs(buckets["margin_stderr"] - claims["T3"]["standard_error"]) <= 1e-9
    # With the T2 optimum itself (reported beside the claim).
    copy = ldaformer.t3_solve(s, W_T2, form="symmetric", theta_points=64)
    assert abs(copy["coefficients"]["b"] - details["with_T2_optimal_W_V"]["s_B"]) <= 1e-9
    # The full S from the symmetric optimum cannot do better at N -> infinity.
    full = ldaformer.t3_solve(s, W, form="full", theta_points=64, max_iterations=5, S_initial=solved["S"])
    assert full["coefficients"] is None and full["loss"] <= solved["loss"] + 1e-12


def test_t3_bad_input():
    s = ldaformer.paper_scenario(SMALL_T3)
    W = ldaformer.t2_optimum(s)
    with pytest.raises(ValueError, match="objective must be infinite or sample, got 'exact'"):
        ldaformer.t3_solve(s, W, objective="exact")
    with pytest.raises(ValueError, match="form must be full or symmetric, got 'diagonal'"):
        ldaformer.t3_solve(s, W, form="diagonal")
    with pytest.raises(ValueError, match="W_V must be n x n"):
        ldaformer.t3_solve(s, np.eye(3))
    with pytest.raises(ValueError, match="max_iterations"):
        ldaformer.t3_solve(s, W, max_iterations=0)

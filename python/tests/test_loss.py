"""Exact moments and the exact squared loss and gradient, against `ldaformer loss --method exact --json`."""

import numpy as np
import pytest

import ldaformer

GENERAL_BETA = {
    "name": "general-beta",
    "topics": {"kind": "matrix", "beta": [[0.4, 0.3, 0.2, 0.1, 0.0, 0.0], [0.0, 0.1, 0.1, 0.2, 0.3, 0.3]]},
    "prior": {"kind": "dirichlet", "alpha": [0.2, 0.5]},
    "length": {"kind": "uniform", "min": 5, "max": 9},
}


@pytest.mark.parametrize("params", ["zero", "identity", "random:7", "block:0.5,0.2,-0.01"])
def test_exact_loss_equals_the_command_line(cli, params):
    s = ldaformer.paper_scenario()
    M, b = ldaformer.predictor(s, params)
    out = cli("loss", "--method", "exact", "--params", params, "--json")
    assert out["path"] == "structured"
    assert abs(ldaformer.exact_loss(s, M, b) - out["loss"]) <= 1e-12
    assert ldaformer.loss(s, params=params) == out


def test_dense_path_on_a_general_beta(cli, tmp_path):
    s = ldaformer.Scenario(GENERAL_BETA)
    assert not s.has_topic_block_structure
    path = tmp_path / "general.yaml"
    path.write_text(s.to_yaml())
    out = cli("loss", "--scenario", path, "--params", "random:3", "--json")
    assert out["path"] == "dense"
    M, b = ldaformer.predictor(s, "random:3")
    assert abs(ldaformer.exact_loss(s, M, b) - out["loss"]) <= 1e-12
    moments = ldaformer.second_moments(s)
    assert abs(ldaformer.exact_loss_from_moments(moments, M, b) - out["loss"]) <= 1e-12


def test_moments_shapes_dtypes_and_identities():
    s = ldaformer.paper_scenario()
    mom = ldaformer.second_moments(s)
    assert mom.A.shape == (101, 101) and mom.C.shape == (101, 101)
    assert mom.xbar_mean.shape == (101,) and mom.p1.shape == (101,)
    for x in (mom.A, mom.C, mom.xbar_mean, mom.p1):
        assert x.dtype == np.float64
        assert not x.flags.writeable  # a view of the C++ matrix, not a copy
    # A's rows sum to p1 (xbar sums to 1), C is symmetric, E[xbar] sums to 1, p1 is uniform on the words.
    np.testing.assert_allclose(mom.A.sum(axis=1), mom.p1, atol=1e-14)
    np.testing.assert_allclose(mom.C, mom.C.T, atol=1e-15)
    assert abs(mom.xbar_mean.sum() - 1.0) < 1e-13
    np.testing.assert_allclose(mom.p1[:100], 0.01, atol=1e-15)
    # L(I) from the moments: tr(C) - 2 tr(A) + 1.
    M = np.eye(101)
    assert abs(ldaformer.exact_loss_from_moments(mom, M) - (np.trace(mom.C) - 2 * np.trace(mom.A) + 1)) < 1e-13


def test_gradient_matches_finite_differences():
    s = ldaformer.Scenario(GENERAL_BETA)
    rng = np.random.default_rng(1)
    M = rng.normal(size=(s.n, s.n)) / s.n
    b = rng.normal(size=s.n) / s.n
    value, dM, db = ldaformer.exact_loss(s, M, b, gradient=True)
    assert dM.shape == (s.n, s.n) and db.shape == (s.n,) and dM.dtype == np.float64
    assert value == ldaformer.exact_loss(s, M, b)
    h = 1e-6
    E = np.zeros_like(M)
    E[2, 3] = h
    numeric = (ldaformer.exact_loss(s, M + E, b) - ldaformer.exact_loss(s, M - E, b)) / (2 * h)
    assert abs(numeric - dM[2, 3]) < 1e-7
    e = np.zeros_like(b)
    e[4] = h
    numeric = (ldaformer.exact_loss(s, M, b + e) - ldaformer.exact_loss(s, M, b - e)) / (2 * h)
    assert abs(numeric - db[4]) < 1e-7


def test_bad_predictors_raise_value_error():
    s = ldaformer.paper_scenario()
    with pytest.raises(ValueError, match=r"M must be n x n = 101 x 101, got 3 x 3"):
        ldaformer.exact_loss(s, np.eye(3))
    with pytest.raises(ValueError, match=r"b must have n = 101 entries, got 2"):
        ldaformer.exact_loss(s, np.eye(101), np.zeros(2))
    with pytest.raises(ValueError, match=r"--params must be zero, identity, random:SEED or block:a,b,c, got 'eye'"):
        ldaformer.predictor(s, "eye")
    with pytest.raises(ValueError, match=r"method must be exact or mc, got 'quadrature'"):
        ldaformer.loss(s, method="quadrature")
    with pytest.raises(ValueError, match="only the squared loss has a closed form"):
        ldaformer.loss(s, loss="cross_entropy")

"""Monte Carlo estimates against `ldaformer loss --method mc --json` and against the exact loss."""

import numpy as np
import pytest

import ldaformer

SMALL = {
    "topics": {"kind": "disjoint_uniform", "T": 3, "v": 12},
    "prior": {"kind": "dirichlet", "alpha": 0.3},
    "length": {"kind": "fixed", "N": 20},
}


@pytest.mark.parametrize("loss", ["squared", "cross_entropy"])
def test_linear_loss_equals_the_command_line(cli, loss):
    s = ldaformer.paper_scenario()
    M, b = ldaformer.predictor(s, "random:5")
    out = cli("loss", "--method", "mc", "--loss", loss, "--params", "random:5", "--samples", 400, "--seed", 3, "--json")
    est = ldaformer.monte_carlo_loss(s, M, b, loss=loss, documents=400, seed=3)
    assert est.value == out["loss"] and est.stderr == out["stderr"]
    assert est.documents == 400 and est.targets > 0
    assert ldaformer.loss(s, params="random:5", method="mc", loss=loss, samples=400, seed=3) == out


def test_estimates_do_not_depend_on_threads():
    s = ldaformer.Scenario(SMALL)
    M, _ = ldaformer.predictor(s, "identity")
    one = ldaformer.monte_carlo_loss(s, M, documents=3000, threads=1)
    two = ldaformer.monte_carlo_loss(s, M, documents=3000, threads=2)
    assert (one.value, one.stderr) == (two.value, two.stderr)


def test_monte_carlo_agrees_with_exact_within_its_error():
    s = ldaformer.Scenario(SMALL)
    M, b = ldaformer.predictor(s, "random:2")
    exact = ldaformer.exact_loss(s, M, b)
    est = ldaformer.monte_carlo_loss(s, M, b, documents=4000)
    assert abs(est.value - exact) < 5 * est.stderr


def test_full_transformer_with_uniform_attention_is_the_linear_model():
    s = ldaformer.Scenario(SMALL)
    M, _ = ldaformer.predictor(s, "random:4")
    n = s.n
    linear = ldaformer.monte_carlo_loss(s, M, loss="cross_entropy", documents=500)
    full = ldaformer.monte_carlo_transformer_loss(
        s, np.eye(n), np.zeros((1, n)), np.zeros((1, n)), M, loss="cross_entropy", documents=500
    )
    assert abs(full.value - linear.value) < 1e-12 and abs(full.stderr - linear.stderr) < 1e-12
    with pytest.raises(ValueError, match="decoder must be identity or tied, got 'mirror'"):
        ldaformer.monte_carlo_transformer_loss(s, np.eye(n), np.zeros((1, n)), np.zeros((1, n)), M, decoder="mirror")
    with pytest.raises(ValueError, match="W_K"):
        ldaformer.monte_carlo_transformer_loss(s, np.eye(n), np.zeros((1, 3)), np.zeros((1, n)), M)


def test_moments_and_gradient_estimates():
    s = ldaformer.Scenario(SMALL)
    exact = ldaformer.second_moments(s)
    est = ldaformer.monte_carlo_second_moments(s, documents=3000)
    assert est["A"]["value"].shape == (s.n, s.n) and est["A"]["stderr"].shape == (s.n, s.n)
    assert est["xbar_mean"]["value"].shape == (s.n, 1)
    assert est["documents"] == 3000
    z = np.abs(est["C"]["value"] - exact.C) / np.maximum(est["C"]["stderr"], 1e-12)
    assert np.median(z) < 2
    M, b = ldaformer.predictor(s, "random:1")
    _, dM, db = ldaformer.exact_loss(s, M, b, gradient=True)
    grad = ldaformer.monte_carlo_gradient(s, M, b, documents=3000)
    assert grad["M"].shape == (s.n, s.n) and grad["b"].shape == (s.n,)
    assert np.median(np.abs(grad["M"] - dM) / np.maximum(grad["M_stderr"], 1e-12)) < 2


def test_bad_monte_carlo_input():
    s = ldaformer.Scenario(SMALL)
    M, _ = ldaformer.predictor(s, "identity")
    with pytest.raises(ValueError, match="samples must be >= 2, got 1"):
        ldaformer.monte_carlo_loss(s, M, documents=1)
    with pytest.raises(ValueError, match="loss must be squared or cross_entropy, got 'hinge'"):
        ldaformer.monte_carlo_loss(s, M, loss="hinge")

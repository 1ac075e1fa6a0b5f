"""Scenarios from YAML text, a file and a dict, with --set overrides, against the command line's reading."""

import numpy as np
import pytest

import ldaformer

SMALL_YAML = """
name: small
topics: {kind: disjoint_uniform, T: 3, v: 12}
prior: {kind: dirichlet, alpha: 0.3}
length: {kind: fixed, N: 20}
masking: {p_m: 0.2, p_c: 0.1, p_r: 0.1}
"""


def test_paper_scenario_attributes():
    s = ldaformer.paper_scenario()
    assert (s.T, s.v, s.n, s.special_tokens) == (10, 100, 101, 1)
    assert (s.p_m, s.p_c, s.p_r) == (0.15, 0.1, 0.1)
    assert s.keys == "all" and s.replacement == "words"
    assert s.prior == "dirichlet" and s.length == "uniform"
    np.testing.assert_array_equal(s.alpha, np.full(10, 0.1))
    assert s.length_values == list(range(100, 151))
    assert s.disjoint_uniform and s.has_topic_block_structure
    assert s.beta.shape == (10, 100) and s.beta.dtype == np.float64
    np.testing.assert_allclose(s.beta.sum(axis=1), 1.0)


def test_the_three_sources_agree(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_YAML)
    as_dict = {
        "name": "small",
        "topics": {"kind": "disjoint_uniform", "T": 3, "v": 12},
        "prior": {"kind": "dirichlet", "alpha": 0.3},
        "length": {"kind": "fixed", "N": np.int64(20)},
        "masking": {"p_m": 0.2, "p_c": 0.1, "p_r": 0.1},
    }
    scenarios = [
        ldaformer.Scenario.from_yaml(SMALL_YAML),
        ldaformer.Scenario.from_file(str(path)),
        ldaformer.Scenario.from_file(path),  # a pathlib.Path
        ldaformer.Scenario(as_dict),
    ]
    for s in scenarios:
        assert s.to_json() == scenarios[0].to_json()
        assert (s.name, s.T, s.v, s.p_m, s.length_values) == ("small", 3, 12, 0.2, [20])


def test_overrides_as_on_the_command_line(cli):
    s = ldaformer.paper_scenario(["masking.p_m=0.3", "prior.alpha=0.5"])
    assert s.p_m == 0.3 and s.alpha[0] == 0.5
    assert ldaformer.paper_scenario().with_overrides(["masking.p_m=0.3", "prior.alpha=0.5"]).to_json() == s.to_json()
    # The loss command reads the same scenario from the same overrides.
    out = cli("loss", "--set", "masking.p_m=0.3", "--set", "prior.alpha=0.5", "--params", "identity", "--json")
    M, b = ldaformer.predictor(s, "identity")
    assert abs(ldaformer.exact_loss(s, M, b) - out["loss"]) <= 1e-12


def test_to_json_is_the_reports_scenario(cli):
    report = cli("verify", "--claims", "T2", "--set", "verify.cross_entropy=false", "--quiet", "--json")
    assert ldaformer.paper_scenario().to_json() == report["scenario"]
    overrides = ["verify.cross_entropy=false", "verify.claims=[T2]"]
    assert ldaformer.paper_scenario(overrides).verify_options() == report["verify"]


def test_bad_values_raise_value_error_with_the_command_lines_message(cli):
    with pytest.raises(ValueError, match=r"masking.p_c \+ masking.p_r must be <= 1, got p_c=0.7 \+ p_r=0.4 = 1.1"):
        ldaformer.paper_scenario(["masking.p_c=0.7", "masking.p_r=0.4"])
    with pytest.raises(ValueError, match="masking.p_m"):
        ldaformer.Scenario({"masking": {"p_m": 1.5}})
    with pytest.raises(ValueError, match="not valid YAML"):
        ldaformer.Scenario.from_yaml("topics: {kind: [")
    with pytest.raises(ValueError, match="topics.kind must be"):
        ldaformer.Scenario({"topics": {"kind": "nonsense"}})
    with pytest.raises(ValueError, match="has no YAML form"):
        ldaformer.Scenario({"masking": {"p_m": object()}})
    with pytest.raises(ValueError, match="overrides"):
        ldaformer.paper_scenario(["masking.p_m"])
    with pytest.raises(ValueError, match="cannot read file"):
        ldaformer.Scenario.from_file("/nonexistent/scenario.yaml")

"""Sampling a corpus and its assumption statistics, against `ldaformer sample` and `ldaformer assumptions`."""

import numpy as np
import pytest

import ldaformer

SMALL = ["topics.T=3", "topics.v=12", "length.kind=fixed", "length.N=30"]


def sets(overrides):
    return [arg for o in overrides for arg in ("--set", o)]


def read_corpus(path):
    docs = []
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            docs.append([int(w) for w in line.split() if w != "END"])
    return docs


def test_sample_corpus_is_the_command_lines(cli, tmp_path):
    s = ldaformer.paper_scenario(SMALL)
    cli("sample", *sets(SMALL), "--documents", 40, "--seed", 5, "--out", tmp_path / "c.txt",
        "--thetas", tmp_path / "theta.csv", json_output=False)
    docs, theta = ldaformer.sample_corpus(s, 40, seed=5, thetas=True)
    assert isinstance(docs, list) and all(isinstance(w, int) for w in docs[0])
    assert docs == read_corpus(tmp_path / "c.txt")
    assert theta.shape == (40, 3) and theta.dtype == np.float64
    np.testing.assert_allclose(theta, np.loadtxt(tmp_path / "theta.csv", delimiter=",", ndmin=2), atol=1e-12)
    assert ldaformer.sample_corpus(s, 40, seed=5) == docs


def test_assumption_statistics_are_the_command_lines(cli, tmp_path):
    s = ldaformer.paper_scenario(SMALL)
    docs = ldaformer.sample_corpus(s, 60, seed=2)
    corpus = tmp_path / "c.txt"
    corpus.write_text("".join(" ".join(map(str, d)) + "\n" for d in docs))
    np.savetxt(tmp_path / "beta.csv", s.beta, delimiter=",", fmt="%.17g")
    theirs = cli("assumptions", "--corpus", corpus, "--topics", tmp_path / "beta.csv", "--sweeps", 30,
                 "--burn-in", 10, "--json")
    result = ldaformer.assumption_statistics(docs, beta=s.beta, sweeps=30, burn_in=10)
    mine = result.to_dict()
    assert [v["name"] for v in result.verdicts] == [v["name"] for v in mine["verdicts"]]
    assert mine["verdicts"] == theirs["verdicts"]
    assert result.theta.shape == (60, 3) and result.beta.shape == (3, 12)
    assert result.empirical_p2.shape == (12, 12)
    assert result.word_topic == [w // 4 for w in range(12)]
    assert "topic-word disjointness" in result.table()


def test_lda_fit_and_bad_corpora():
    s = ldaformer.paper_scenario(SMALL)
    docs = ldaformer.sample_corpus(s, 40, seed=3)
    fitted = ldaformer.assumption_statistics(docs, fit_lda=3, sweeps=20, burn_in=5)
    assert fitted.beta.shape == (3, 12)
    with pytest.raises(ValueError, match="exactly one of beta and fit_lda"):
        ldaformer.assumption_statistics(docs)
    with pytest.raises(ValueError, match=r"documents\[1\]: word id -4 is out of range"):
        ldaformer.assumption_statistics([[0, 1], [-4]], fit_lda=2)
    with pytest.raises(ValueError, match="topics: beta has 5 columns but the corpus uses word ids up to 11"):
        ldaformer.assumption_statistics(docs, beta=np.full((2, 5), 0.2))
    with pytest.raises(ValueError, match="--fit-lda must be >= 1, got -1"):
        ldaformer.assumption_statistics(docs, beta=s.beta, fit_lda=-1)

"""Training as `ldaformer train` does it: the same matrices and trajectory from the same settings."""

import json

import numpy as np
import pytest

import ldaformer

SHORT = [
    "topics.T=3",
    "topics.v=12",
    "training.steps=30",
    "training.documents=200",
    "training.heldout_documents=50",
    "training.record_every=5",
    "training.lr=0.5",
]


def test_training_matches_the_command_line(cli, tmp_path):
    s = ldaformer.paper_scenario(SHORT)
    result = ldaformer.train(s, str(tmp_path / "py"), threads=1)
    cli("train", *[a for o in SHORT for a in ("--set", o)], "--threads", 2, "--out", tmp_path / "cli", json_output=False)
    report = json.loads((tmp_path / "cli" / "report.json").read_text())
    assert result.termination == "completed" and result.steps_taken == 30
    n = s.n
    for name in ("E", "W_K", "W_Q", "W_V"):
        matrix = getattr(result, name)
        assert matrix.dtype == np.float64 and not matrix.flags.writeable
        if name in ("W_K", "W_Q"):  # frozen at 0 under the default uniform attention: no CSV written
            assert not matrix.any() and not (tmp_path / "cli" / f"{name}.csv").exists()
            continue
        theirs = np.loadtxt(tmp_path / "cli" / f"{name}.csv", delimiter=",", ndmin=2)
        np.testing.assert_allclose(matrix, theirs, rtol=1e-12, atol=1e-12)  # independent of the thread count
    assert result.W_V.shape == (n, n)
    traj = result.trajectory
    theirs = np.loadtxt(tmp_path / "cli" / "trajectory.csv", delimiter=",", skiprows=1, ndmin=2)
    assert traj["step"].dtype.kind == "i" and traj["objective"].dtype == np.float64
    np.testing.assert_array_equal(traj["step"], theirs[:, 0])
    assert traj["step"][0] == 0 and traj["step"][-1] == 30
    for column, name in ((1, "objective"), (2, "data_loss"), (3, "norm_E"), (6, "norm_W_V")):
        np.testing.assert_allclose(traj[name], theirs[:, column], rtol=1e-12)
    mine = result.to_dict()
    for key in ("heldout_loss", "final_batch_loss", "steps_taken", "termination", "W_V_block", "gram", "stages"):
        assert mine[key] == report[key], key
    assert result.heldout_loss == report["heldout_loss"]
    assert result.value_block == report["W_V_block"]
    assert result.scores.shape == (n, n) and result.gram_matrix.shape == (s.v, s.v)
    assert (tmp_path / "py" / "report.json").exists() and (tmp_path / "py" / "checkpoint.json").exists()


def test_bad_training_settings():
    with pytest.raises(ValueError, match="training.batch must be >= 1, got 0"):
        ldaformer.paper_scenario(["training.batch=0"])

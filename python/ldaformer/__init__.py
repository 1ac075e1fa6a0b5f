"""ldaformer from Python: the numerical verification suite of "How Do Transformers Learn Topic Structure"
(Li, Li, Risteski, ICML 2023).

Everything is computed by the C++ libraries (the compiled module ``ldaformer._ldaformer``); this package
re-exports it. NumPy arrays go in and come out; bad input raises ValueError with the command line's
message; long computations release the GIL, take a ``threads`` argument and stop on Ctrl-C.
docs/PYTHON.md describes the module.

>>> import ldaformer
>>> s = ldaformer.paper_scenario()
>>> M, b = ldaformer.predictor(s, "identity")
>>> ldaformer.exact_loss(s, M)  # the same number as `ldaformer loss --method exact --params identity`
"""

from ._ldaformer import (
    AssumptionsResult,
    ClaimResult,
    Condition,
    CrossCheck,
    Estimate,
    Hypothesis,
    Scenario,
    SecondMoments,
    SolverRun,
    TrainResult,
    Verification,
    assumption_statistics,
    attention_buckets,
    block_structure,
    check,
    claim_hypotheses,
    exact_loss,
    exact_loss_from_moments,
    loss,
    monte_carlo_gradient,
    monte_carlo_loss,
    monte_carlo_second_moments,
    monte_carlo_transformer_loss,
    paper_scenario,
    predictor,
    sample_corpus,
    second_moments,
    t2_block_coefficients,
    t2_optimum,
    t3_solve,
    train,
    verify,
)

__all__ = [
    "AssumptionsResult",
    "ClaimResult",
    "Condition",
    "CrossCheck",
    "Estimate",
    "Hypothesis",
    "Scenario",
    "SecondMoments",
    "SolverRun",
    "TrainResult",
    "Verification",
    "assumption_statistics",
    "attention_buckets",
    "block_structure",
    "check",
    "claim_hypotheses",
    "exact_loss",
    "exact_loss_from_moments",
    "loss",
    "monte_carlo_gradient",
    "monte_carlo_loss",
    "monte_carlo_second_moments",
    "monte_carlo_transformer_loss",
    "paper_scenario",
    "predictor",
    "sample_corpus",
    "second_moments",
    "t2_block_coefficients",
    "t2_optimum",
    "t3_solve",
    "train",
    "verify",
]

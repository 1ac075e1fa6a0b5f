# Type stubs of the ldaformer package (the compiled module ldaformer._ldaformer), so that editors and
# notebooks show signatures. docs/PYTHON.md describes each function; the docstrings are in the module.
from os import PathLike
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike
Matrix = npt.NDArray[np.float64]
Vector = npt.NDArray[np.float64]

class Scenario:
    def __init__(self, source: Optional[Dict[str, Any]] = None, overrides: Sequence[str] = ()) -> None: ...
    @staticmethod
    def from_yaml(text: str, overrides: Sequence[str] = ()) -> Scenario: ...
    @staticmethod
    def from_file(path: Union[str, PathLike[str]], overrides: Sequence[str] = ()) -> Scenario: ...
    def with_overrides(self, overrides: Sequence[str]) -> Scenario: ...
    @property
    def name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def T(self) -> int: ...
    @property
    def v(self) -> int: ...
    @property
    def n(self) -> int: ...
    @property
    def special_tokens(self) -> int: ...
    @property
    def disjoint_uniform(self) -> bool: ...
    @property
    def has_topic_block_structure(self) -> bool: ...
    @property
    def beta(self) -> Matrix: ...
    @property
    def prior(self) -> str: ...
    @property
    def alpha(self) -> Optional[Vector]: ...
    @property
    def k(self) -> int: ...
    @property
    def length(self) -> str: ...
    @property
    def length_values(self) -> List[int]: ...
    @property
    def length_probs(self) -> List[float]: ...
    @property
    def p_m(self) -> float: ...
    @property
    def p_c(self) -> float: ...
    @property
    def p_r(self) -> float: ...
    @property
    def keys(self) -> str: ...
    @property
    def replacement(self) -> str: ...
    def describe(self) -> str: ...
    def to_json(self) -> Dict[str, Any]: ...
    def verify_options(self) -> Dict[str, Any]: ...
    def to_yaml(self) -> str: ...

def paper_scenario(overrides: Sequence[str] = ()) -> Scenario: ...

class SecondMoments:
    @property
    def A(self) -> Matrix: ...
    @property
    def C(self) -> Matrix: ...
    @property
    def xbar_mean(self) -> Vector: ...
    @property
    def p1(self) -> Vector: ...

def second_moments(scenario: Scenario) -> SecondMoments: ...
def predictor(scenario: Scenario, params: str) -> Tuple[Matrix, Vector]: ...
def exact_loss(
    scenario: Scenario, M: ArrayLike, b: Optional[ArrayLike] = None, gradient: bool = False
) -> Union[float, Tuple[float, Matrix, Vector]]: ...
def exact_loss_from_moments(
    moments: SecondMoments, M: ArrayLike, b: Optional[ArrayLike] = None, gradient: bool = False
) -> Union[float, Tuple[float, Matrix, Vector]]: ...
def loss(
    scenario: Scenario,
    params: str = "zero",
    method: str = "exact",
    loss: str = "squared",
    samples: int = 20000,
    seed: int = 1,
    threads: int = 0,
) -> Dict[str, Any]: ...

class Estimate:
    @property
    def value(self) -> float: ...
    @property
    def stderr(self) -> float: ...
    @property
    def documents(self) -> int: ...
    @property
    def targets(self) -> float: ...

def monte_carlo_loss(
    scenario: Scenario,
    M: ArrayLike,
    b: Optional[ArrayLike] = None,
    loss: str = "squared",
    documents: int = 20000,
    seed: int = 1,
    threads: int = 0,
    selected_targets: bool = False,
    infinite_length: int = 2000,
) -> Estimate: ...
def monte_carlo_transformer_loss(
    scenario: Scenario,
    E: ArrayLike,
    W_K: ArrayLike,
    W_Q: ArrayLike,
    W_V: ArrayLike,
    decoder: str = "identity",
    loss: str = "squared",
    documents: int = 20000,
    seed: int = 1,
    threads: int = 0,
    selected_targets: bool = False,
    infinite_length: int = 2000,
) -> Estimate: ...
def monte_carlo_second_moments(
    scenario: Scenario,
    documents: int = 20000,
    seed: int = 1,
    threads: int = 0,
    selected_targets: bool = False,
    infinite_length: int = 2000,
) -> Dict[str, Any]: ...
def monte_carlo_gradient(
    scenario: Scenario,
    M: ArrayLike,
    b: Optional[ArrayLike] = None,
    documents: int = 20000,
    seed: int = 1,
    threads: int = 0,
    selected_targets: bool = False,
    infinite_length: int = 2000,
) -> Dict[str, Any]: ...
def t2_optimum(scenario: Scenario, lambda_: Optional[float] = None) -> Matrix: ...
def t2_block_coefficients(scenario: Scenario, lambda_: Optional[float] = None) -> Dict[str, Any]: ...
def block_structure(X: ArrayLike, scenario: Scenario) -> Dict[str, Any]: ...
def t3_solve(
    scenario: Scenario,
    W_V: ArrayLike,
    objective: str = "infinite",
    form: str = "full",
    loss: str = "squared",
    documents: int = 1500,
    theta_points: int = 256,
    seed: int = 1,
    lambda_: float = 0.0,
    max_iterations: int = 500,
    threads: int = 0,
    S_initial: Optional[ArrayLike] = None,
) -> Dict[str, Any]: ...
def attention_buckets(
    S: ArrayLike, scenario: Scenario, documents: int = 200, seed: int = 2, threads: int = 0
) -> Dict[str, Any]: ...

class Hypothesis:
    name: str
    met: bool
    value: str

class Condition:
    name: str
    value: float
    limit: float
    lower_bound: bool
    @property
    def met(self) -> bool: ...

class CrossCheck:
    name: str
    error: float
    tolerance: float
    @property
    def passed(self) -> bool: ...

class SolverRun:
    name: str
    converged: bool
    message: str

class ClaimResult:
    id: str
    claim: str
    method: str
    margin: float
    stderr: float
    not_measurable: str
    hypotheses: List[Hypothesis]
    conditions: List[Condition]
    cross_checks: List[CrossCheck]
    solves: List[SolverRun]
    seconds: float
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def reason_text(self) -> str: ...
    @property
    def counts_against(self) -> bool: ...
    @property
    def hypotheses_met(self) -> bool: ...
    @property
    def details(self) -> Dict[str, Any]: ...
    @property
    def matrices(self) -> Dict[str, Matrix]: ...
    def to_dict(self) -> Dict[str, Any]: ...

class Verification:
    @property
    def claims(self) -> List[ClaimResult]: ...
    @property
    def expected_claims_hold(self) -> bool: ...
    @property
    def seconds(self) -> float: ...
    def to_dict(self) -> Dict[str, Any]: ...

def verify(scenario: Scenario, claims: Sequence[str] = (), threads: int = 0) -> Verification: ...
def check(scenario: Scenario, claim: str, threads: int = 0) -> List[ClaimResult]: ...
def claim_hypotheses(scenario: Scenario, claim: str) -> List[Hypothesis]: ...

class TrainResult:
    @property
    def E(self) -> Matrix: ...
    @property
    def W_K(self) -> Matrix: ...
    @property
    def W_Q(self) -> Matrix: ...
    @property
    def W_V(self) -> Matrix: ...
    scores: Matrix
    gram_matrix: Matrix
    directory: str
    @property
    def trajectory(self) -> Dict[str, npt.NDArray[Any]]: ...
    @property
    def termination(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def steps_taken(self) -> int: ...
    @property
    def seconds(self) -> float: ...
    @property
    def heldout_loss(self) -> float: ...
    @property
    def value_block(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...

def train(
    scenario: Scenario,
    out: str,
    corpus: str = "",
    heldout_corpus: str = "",
    resume: str = "",
    threads: Optional[int] = None,
) -> TrainResult: ...
def sample_corpus(
    scenario: Scenario, documents: int, seed: int = 1, infinite_length: int = 2000, thetas: bool = False
) -> Union[List[List[int]], Tuple[List[List[int]], Matrix]]: ...

class AssumptionsResult:
    @property
    def verdicts(self) -> List[Dict[str, Any]]: ...
    @property
    def word_topic(self) -> List[int]: ...
    @property
    def beta(self) -> Matrix: ...
    @property
    def theta(self) -> Matrix: ...
    @property
    def empirical_p2(self) -> Matrix: ...
    def table(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

def assumption_statistics(
    documents: Sequence[Sequence[int]],
    beta: Optional[ArrayLike] = None,
    fit_lda: int = 0,
    v: int = 0,
    sweeps: int = 300,
    burn_in: int = 100,
    alpha: float = 0.1,
    eta: float = 0.01,
    seed: int = 1,
    wv_lambda: float = 0.0,
) -> AssumptionsResult: ...

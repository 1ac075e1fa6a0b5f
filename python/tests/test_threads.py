"""Long computations release the GIL (another Python thread runs meanwhile) and stop on Ctrl-C."""

import signal
import subprocess
import sys
import threading
import time

import pytest

import ldaformer


def test_monte_carlo_releases_the_gil():
    s = ldaformer.paper_scenario()
    M, _ = ldaformer.predictor(s, "identity")
    ticks = []
    stop = threading.Event()

    def counter():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.002)

    thread = threading.Thread(target=counter)
    thread.start()
    try:
        start = time.monotonic()
        est = ldaformer.monte_carlo_loss(s, M, documents=20000, threads=1)
        end = time.monotonic()
    finally:
        stop.set()
        thread.join()
    assert est.documents == 20000
    assert end - start > 0.4, "the call is too short to tell"
    # Ticks strictly inside the call: none if the call held the GIL throughout.
    inside = [t for t in ticks if start + 0.1 < t < end - 0.1]
    expected = (end - start - 0.2) / 0.002
    print(f"call {end - start:.2f} s, {len(inside)} counter ticks inside it (at most {expected:.0f})")
    # Under a loaded machine the counter gets fewer turns; holding the GIL would leave it none.
    assert len(inside) >= 10


CHILD = r"""
import sys, ldaformer
call, out, overrides = sys.argv[1], sys.argv[2], sys.argv[3:]
s = ldaformer.paper_scenario(overrides)
M, _ = ldaformer.predictor(s, "identity")
calls = {
    "monte_carlo": lambda: ldaformer.monte_carlo_loss(s, M, documents=10**9, threads=1),
    "verify": lambda: ldaformer.verify(s, ["D"], threads=1),
    "train": lambda: ldaformer.train(s, out, threads=1),
    "gibbs": lambda: ldaformer.assumption_statistics(ldaformer.sample_corpus(s, 200), fit_lda=10, sweeps=10**7),
}
print("started", flush=True)
try:
    calls[call]()
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(0)
print("finished", flush=True)
sys.exit(3)
"""


@pytest.mark.parametrize(
    "call,overrides",
    [
        ("monte_carlo", []),
        ("verify", ["verify.d_t_end=1e12"]),
        ("train", ["training.steps=100000000", "training.documents=200", "training.heldout_documents=10"]),
        ("gibbs", []),
    ],
)
def test_ctrl_c_interrupts(call, overrides, tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, call, str(tmp_path / "out"), *overrides],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "started"
    time.sleep(1.5)  # inside the computation
    assert child.poll() is None, child.stderr.read()
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    try:
        out, err = child.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail(f"{call}: still running 20 s after SIGINT")
    latency = time.monotonic() - sent
    print(f"{call}: KeyboardInterrupt {latency:.2f} s after SIGINT")
    assert child.returncode == 0 and out.strip() == "interrupted", err

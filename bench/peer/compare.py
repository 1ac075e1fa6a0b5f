"""Ours against the PyTorch peer on the same work, alternately, several rounds; prints the rate of each and the
ratios with their spread (median, min-max), as Markdown tables: the full model's Monte Carlo loss (documents/s)
and training (steps/s, the two settings of training_peer.py).

    /usr/bin/python3 bench/peer/compare.py [--binary build/release/bin/ldaformer] [--rounds 5] [--threads 2]

Ours: `ldaformer loss --model transformer --params random:1 --samples D --threads J --json` (documents_per_second:
the sampler, the model through the key multiset, the ratio estimator). The peer: monte_carlo_peer.py with the
same D, J, scenario and loss, in float64 and float32. Both start a process per measurement; the time counted is
each one's own timed region (ours: EvaluateLoss; the peer: its sampling and model loop), not start-up.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def ours(binary, documents, threads, loss):
    out = subprocess.run([binary, "loss", "--model", "transformer", "--params", "random:1", "--loss", loss,
                          "--samples", str(documents), "--threads", str(threads), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def peer(documents, threads, loss, dtype):
    out = subprocess.run([sys.executable, os.path.join(HERE, "monte_carlo_peer.py"), "--documents", str(documents),
                          "--threads", str(threads), "--loss", loss, "--dtype", dtype],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


# ldaformer train flags of training_peer.py's settings (cross-entropy, Adam 0.01, batch 40, static masks).
TRAIN_FLAGS = ["--loss", "cross_entropy", "--optimizer", "adam", "--lr", "0.01", "--batch", "40", "--docs", "2000",
               "--masking", "static", "--heldout", "200"]
SETTING_FLAGS = {
    "value": ["--embedding", "one_hot", "--attention", "uniform", "--value", "trainable"],
    "full": ["--set", "masking.keys=unselected", "--embedding", "trainable", "--attention", "trainable", "--value",
             "trainable"],
}


def ours_training(binary, setting, steps, threads):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([binary, "train", *TRAIN_FLAGS, *SETTING_FLAGS[setting], "--steps", str(steps),
                        "--record-every", str(steps), "--threads", str(threads), "--out", os.path.join(out, "run")],
                       check=True, capture_output=True, text=True)
        with open(os.path.join(out, "run", "report.json")) as f:
            return json.load(f)["steps_per_second"]


def peer_training(setting, steps, threads, dtype):
    out = subprocess.run([sys.executable, os.path.join(HERE, "training_peer.py"), "--setting", setting, "--steps",
                          str(steps), "--threads", str(threads), "--dtype", dtype],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["steps_per_second"]


def spread(values):
    return f"{statistics.median(values):.3g} ({min(values):.3g}-{max(values):.3g})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default="build/release/bin/ldaformer")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ours-documents", type=int, default=20000)
    parser.add_argument("--peer-documents", type=int, default=2000)
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error(f"--rounds must be >= 1, got {args.rounds}")
    print("| Monte Carlo loss | ours, documents/s | peer float64 | peer float32 | ours / float64 | ours / float32 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for loss in ["squared", "cross_entropy"]:
        a, p64, p32 = [], [], []
        for _ in range(args.rounds):  # alternate, so that a change in the machine's load hits both
            a.append(ours(args.binary, args.ours_documents, args.threads, loss)["documents_per_second"])
            p64.append(peer(args.peer_documents, args.threads, loss, "float64")["documents_per_second"])
            p32.append(peer(args.peer_documents, args.threads, loss, "float32")["documents_per_second"])
        r64 = [x / y for x, y in zip(a, p64)]
        r32 = [x / y for x, y in zip(a, p32)]
        print(f"| {loss} | {spread(a)} | {spread(p64)} | {spread(p32)} | {spread(r64)} | {spread(r32)} |")
    print()
    print("| training | ours, steps/s | peer float64 | peer float32 | ours / float64 | ours / float32 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for setting, ours_steps, peer_steps in [("value", 1000, 200), ("full", 100, 20)]:
        a, p64, p32 = [], [], []
        for _ in range(args.rounds):
            a.append(ours_training(args.binary, setting, ours_steps, args.threads))
            p64.append(peer_training(setting, peer_steps, args.threads, "float64"))
            p32.append(peer_training(setting, peer_steps, args.threads, "float32"))
        r64 = [x / y for x, y in zip(a, p64)]
        r32 = [x / y for x, y in zip(a, p32)]
        print(f"| {setting} | {spread(a)} | {spread(p64)} | {spread(p32)} | {spread(r64)} | {spread(r32)} |")


if __name__ == "__main__":
    main()

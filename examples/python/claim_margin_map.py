#!/usr/bin/env python3
"""A claim's margin against one scenario parameter, plotted with its standard error: the notebook workflow a
researcher starts from (docs/PYTHON.md).

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/claim_margin_map.py \
        --claim T2 --parameter masking.p_m --values 0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4 --out t2-p_m.png

Every point is `ldaformer.check(scenario, claim)` on the scenario with `--set PARAMETER=VALUE`; each result
of the claim (T2, T2-CE, ...) is one curve, margin +- 1 standard error where the result is a sample
average. The values, margins and statuses are printed as a table too.
"""

import argparse
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import ldaformer  # noqa: E402


def margin_map(claim, parameter, values, overrides, threads):
    """{result id: [(value, margin, stderr, status)]} over the values."""
    curves = {}
    for value in values:
        scenario = ldaformer.paper_scenario(overrides + [f"{parameter}={value}"])
        for result in ldaformer.check(scenario, claim, threads=threads):
            curves.setdefault(result.id, []).append((value, result.margin, result.stderr, result.status))
    return curves


def plot(curves, claim, parameter, path):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for result_id, points in curves.items():
        x = [p[0] for p in points]
        y = [p[1] for p in points]
        err = [0.0 if math.isnan(p[2]) else p[2] for p in points]
        ax.errorbar(x, y, yerr=err, marker="o", capsize=3, label=result_id)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(parameter)
    ax.set_ylabel("margin (> 0: the claim holds)")
    ax.set_title(f"{claim} margin against {parameter}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claim", default="T2", help="T1, T2, T3 or D")
    parser.add_argument("--parameter", default="masking.p_m", help="a scenario field, as for --set")
    parser.add_argument("--values", default="0.05,0.1,0.15,0.2,0.25,0.3,0.35,0.4", help="comma-separated values")
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE", help="further overrides")
    parser.add_argument("--threads", type=int, default=0, help="cores per check (0: all)")
    parser.add_argument("--out", required=True, help="the PNG to write")
    args = parser.parse_args()
    values = [float(v) for v in args.values.split(",")]
    curves = margin_map(args.claim, args.parameter, values, args.set, args.threads)
    print(f"{'result':<10} {args.parameter:>14} {'margin':>12} {'stderr':>10}  status")
    for result_id, points in curves.items():
        for value, margin, stderr, status in points:
            print(f"{result_id:<10} {value:>14g} {margin:>12.5g} {stderr:>10.3g}  {status}")
    plot(curves, args.claim, args.parameter, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

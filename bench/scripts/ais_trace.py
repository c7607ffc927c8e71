#!/usr/bin/env python3
"""Summarise a `dgm eval ais --trace FILE` path: ln Z_beta from the forward and the reverse runs at chosen betas,
their effective runs, and where they part (the betas where annealing needs more care).

    python3 bench/scripts/ais_trace.py runs/exp/dbm.trace.csv [--tolerance 1.0]
"""
import argparse
import csv
import sys


def nearest(points, beta):
    return min(points, key=lambda p: abs(p[0] - beta))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trace")
    ap.add_argument("--tolerance", type=float, default=1.0, help="nats of disagreement that count as parted")
    a = ap.parse_args()
    paths = {"forward": [], "reverse": []}
    with open(a.trace) as f:
        for r in csv.DictReader(f):
            paths[r["direction"]].append((float(r["beta"]), float(r["log_z_beta"]), float(r["effective_runs"]), float(r["sd_log_w"])))
    fwd, rev = paths["forward"], paths["reverse"]
    if not fwd:
        sys.exit("no forward rows in " + a.trace)
    print("  beta   forward ln Z_beta  eff.  |  reverse ln Z_beta  eff.  |  reverse - forward")
    for beta in [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.94, 0.96, 0.98, 0.99, 1.0]:
        f = nearest(fwd, beta)
        line = "%6.3f  %17.2f %5.1f" % (f[0], f[1], f[2])
        if rev:
            r = nearest(rev, beta)
            line += "  |  %17.2f %5.1f  |  %8.2f" % (r[1], r[2], r[1] - f[1])
        print(line)
    if rev:
        parted = [f[0] for f in fwd if abs(nearest(rev, f[0])[1] - f[1]) > a.tolerance]
        if parted:
            print("forward and reverse differ by more than %.1f nats from beta %.3f on" % (a.tolerance, min(parted)))
        else:
            print("forward and reverse agree within %.1f nats along the whole path" % a.tolerance)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Test error of a linear classifier on features written by `dgm transform` (e.g. a DBM's mean-field q(h1), q(h2)):
multinomial logistic regression (scikit-learn, L-BFGS), fitted on the train features, scored on the test features.

  /usr/bin/python3 bench/scripts/classify_features.py train.npz test.npz [--c 1.0] [--max-iter 200]

A baseline for the DBM's features beside the authors' fine-tuned network (784-500-1000-10 initialised from the DBM with
q(h2) as extra input, trained by backpropagation), which is `dgm eval classify`.
"""
import argparse
import time

import numpy as np
from sklearn.linear_model import LogisticRegression


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train")
    ap.add_argument("test")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength (default 1)")
    ap.add_argument("--max-iter", type=int, default=200)
    args = ap.parse_args()
    tr, te = np.load(args.train), np.load(args.test)
    t0 = time.perf_counter()
    clf = LogisticRegression(C=args.c, max_iter=args.max_iter).fit(tr["features"], tr["labels"])
    err = 1.0 - clf.score(te["features"], te["labels"])
    print(f"features {tr['features'].shape[1]}, train {len(tr['labels'])}, test {len(te['labels'])}: "
          f"test error {100 * err:.2f}% (logistic regression, C={args.c}, {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""PyTorch reference for dgm4j.bench.DbmBenchmark (bench/run-dbm.sh, bench/README.md): the same joint-training step of
a 784-500-1000 DBM by stochastic approximation, single thread (torch.set_num_threads(1) and the system OpenBLAS
limited as in rbm_reference.py).

Step (Salakhutdinov and Hinton 2009; as dgm4j.dbm.DbmTrainer): mean field on 100 examples (bottom-up pass with doubled
W1, then --mean-field sweeps h1 <- sigmoid(v W1 + h2 W2^T + b1), h2 <- sigmoid(h1 W2 + b2)), 100 persistent chains
advanced 5 Gibbs sweeps (v, h2 given h1; then h1 given v, h2, keeping p(h1)), gradient = mean-field statistics minus
chain statistics, SGD with momentum 0.9, weight decay 2e-4 on the weights, lr 0.001 / 1.000015^t.
Prints JSON lines: env, dbm-epoch (seconds for 500 updates, extrapolated from --updates if given).
"""
import argparse
import statistics
import sys
import time

import numpy as np

import read_dgm4j_file
from rbm_reference import emit, load_mnist_train, single_thread


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--warmup-updates", type=int, default=20)
    ap.add_argument("--updates", type=int, default=0, help="time this many updates and extrapolate (0 = a whole epoch)")
    ap.add_argument("--mean-field", type=int, default=10)
    ap.add_argument("--model", help="start from this trained dgm4j DBM file instead of a random DBM")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(1)
    method, info, _limiter = single_thread()
    emit({"kind": "env", "impl": "torch", "torch": torch.__version__, "threads": method})
    x, _ = load_mnist_train()
    x = torch.from_numpy(x)
    g = torch.Generator().manual_seed(1)
    D, H1, H2, B, M, K = 784, 500, 1000, 100, 100, 5
    W1 = torch.randn(D, H1, generator=g) * 0.01
    W2 = torch.randn(H1, H2, generator=g) * 0.01
    b0, b1, b2 = torch.zeros(D), torch.zeros(H1), torch.zeros(H2)
    if args.model:
        _, tensors, _ = read_dgm4j_file.read(args.model)
        W1, W2, b0, b1, b2 = (torch.from_numpy(tensors[name][1].copy()).reshape(shape) for name, shape in
                              (("weights_1", (D, H1)), ("weights_2", (H1, H2)), ("visible_bias", (D,)),
                               ("hidden_bias_1", (H1,)), ("hidden_bias_2", (H2,))))
    params = [W1, W2, b0, b1, b2]
    vel = [torch.zeros_like(p) for p in params]
    # chains
    cv = (torch.rand(M, D, generator=g) < 0.5).float()
    ch1 = (torch.rand(M, H1, generator=g) < 0.5).float()
    ch2 = (torch.rand(M, H2, generator=g) < 0.5).float()
    state = {"t": 0, "pos": 0, "perm": torch.randperm(x.shape[0], generator=g)}

    def batch():
        if state["pos"] + B > x.shape[0]:
            state["pos"], state["perm"] = 0, torch.randperm(x.shape[0], generator=g)
        idx = state["perm"][state["pos"]:state["pos"] + B]
        state["pos"] += B
        p = x[idx]
        return (torch.rand(p.shape, generator=g) < p).float()   # dynamic binarization

    def update():
        nonlocal cv, ch1, ch2
        v = batch()
        # mean field
        up = v @ W1                                   # v is clamped: its product is computed once, as in dgm4j
        mu1 = torch.sigmoid(2 * up + b1)
        mu2 = torch.sigmoid(mu1 @ W2 + b2)
        for _ in range(args.mean_field):
            mu1 = torch.sigmoid(torch.addmm(up, mu2, W2.t()) + b1)
            mu2 = torch.sigmoid(mu1 @ W2 + b2)
        # chains: even layers given h1, then h1 given even layers
        for _ in range(K):
            cv = (torch.rand(M, D, generator=g) < torch.sigmoid(ch1 @ W1.t() + b0)).float()
            ch2 = (torch.rand(M, H2, generator=g) < torch.sigmoid(ch1 @ W2 + b2)).float()
            p1 = torch.sigmoid(cv @ W1 + ch2 @ W2.t() + b1)
            ch1 = (torch.rand(M, H1, generator=g) < p1).float()
        grads = [v.t() @ mu1 / B - cv.t() @ p1 / M, mu1.t() @ mu2 / B - p1.t() @ ch2 / M,
                 v.mean(0) - cv.mean(0), mu1.mean(0) - p1.mean(0), mu2.mean(0) - ch2.mean(0)]
        lr = 0.001 / 1.000015 ** state["t"]
        for k, (p, gr, vl) in enumerate(zip(params, grads, vel)):
            if k < 2:
                gr = gr - 2e-4 * p
            vl.mul_(0.9).add_(gr, alpha=lr)
            p.add_(vl)
        state["t"] += 1

    with torch.no_grad():
        for _ in range(args.warmup_updates):
            update()
        per_epoch = x.shape[0] // B
        timed = args.updates or per_epoch
        secs = []
        for e in range(args.epochs):
            t0 = time.perf_counter()
            for _ in range(timed):
                update()
            s = (time.perf_counter() - t0) * per_epoch / timed
            print(f"[torch] DBM epoch {e}: {s:.2f} s ({timed} updates timed, {1000 * s / per_epoch:.1f} ms each)",
                  file=sys.stderr, flush=True)
            secs.append(s)
    emit({"kind": "dbm-epoch", "impl": "torch", "updates_timed": timed, "updates_per_epoch": per_epoch,
          "mean_field": args.mean_field, "s_median": statistics.median(secs)})


if __name__ == "__main__":
    main()

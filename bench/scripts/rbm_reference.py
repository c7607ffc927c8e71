#!/usr/bin/python3
"""PyTorch and scikit-learn references for dgm4j.bench.RbmBenchmark (bench/run-rbm.sh, bench/README.md).

Run with /usr/bin/python3 (Debian's python3-torch 1.13, numpy, scikit-learn 1.2), not a pyenv python.
Single thread throughout: torch.set_num_threads(1) for torch's own pool, and the OpenBLAS that torch and numpy share
(Debian's torch calls the system OpenBLAS, which torch.set_num_threads does not reach) limited to 1 thread with
threadpoolctl (else openblas_set_num_threads through ctypes); threadpool_info() is recorded and checked.

Prints one JSON object per line (same kinds as RbmBenchmark): env, gemm, epoch, ais.
  --part torch    gemm (torch.mm at the three update shapes), CD-1 and PCD-1 epochs, forward AIS
  --part sklearn  BernoulliRBM(n_components=500, batch_size=100, learning_rate=0.05, n_iter=1).fit(X) on float32 and
                  on float64 X (one fit = one epoch), and numpy's float32/float64 product speed

Epoch = MNIST "train" as dgm4j defines it (the first 50,000 images of train-images-idx3-ubyte, /255), 500 batches of
100, as dgm4j: warm-up epochs, then the median of --epochs epochs.
"""
import argparse
import ctypes
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np

D, F, BATCH, CHAINS, AIS_RUNS = 784, 500, 100, 100, 100
TRAIN = 50_000                     # dgm4j's "train" split: the first 50,000 of the 60,000 training images
LR, MOM0, MOM1, SWITCH, DECAY = 0.05, 0.5, 0.9, 5, 2e-4   # RbmTrainer.Config defaults


def emit(obj):
    print(json.dumps(obj), flush=True)


def log(msg):
    print(f"[{PART}] {msg}", file=sys.stderr, flush=True)


PART = "?"


# ------------------------------------------------------------------------------------------------------ threads

def single_thread():
    """Limits every BLAS/OpenMP pool in the process to one thread; returns (method, threadpool_info)."""
    try:
        import threadpoolctl
    except ImportError:
        threadpoolctl = None
    if threadpoolctl is not None:
        limiter = threadpoolctl.threadpool_limits(limits=1)
        info = threadpoolctl.threadpool_info()
        bad = [x for x in info if x.get("num_threads") != 1]
        if bad:
            raise SystemExit(f"threadpoolctl could not limit: {bad}")
        return f"threadpoolctl {threadpoolctl.__version__}", info, limiter
    # fallback: the OpenBLAS loaded in this process, by ctypes (OPENBLAS_NUM_THREADS=1 in the environment also works)
    done = []
    with open("/proc/self/maps") as f:
        paths = sorted({l.split()[-1] for l in f if "libopenblas" in l})
    for p in paths:
        lib = ctypes.CDLL(p)
        lib.openblas_set_num_threads(1)
        done.append({"filepath": p, "num_threads": lib.openblas_get_num_threads()})
    if not done and os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        raise SystemExit("no threadpoolctl and no OpenBLAS found: run with OPENBLAS_NUM_THREADS=1")
    return "ctypes openblas_set_num_threads", done, None


# --------------------------------------------------------------------------------------------------------- data

def data_dir():
    if os.environ.get("DGM4J_DATA"):
        return os.path.join(os.environ["DGM4J_DATA"], "mnist")
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = os.path.join(xdg, "dgm4j") if xdg and os.path.isabs(xdg) else os.path.expanduser("~/.cache/dgm4j")
    return os.path.join(base, "mnist")


def load_mnist_images(count=None):
    """The first `count` MNIST training images (all 60,000 if None) as float32 in [0, 1], and the file read."""
    d = data_dir()
    for name in ("train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            raw = (gzip.open if p.endswith(".gz") else open)(p, "rb").read()
            assert int.from_bytes(raw[:4], "big") == 0x803, p
            n, rows, cols = (int.from_bytes(raw[4 * i:4 * i + 4], "big") for i in (1, 2, 3))
            x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols)
            return (x[:count].astype(np.float32) / np.float32(255)), p
    raise SystemExit(f"MNIST not found in {d}: run `dgm data fetch mnist` first")


def load_mnist_train():
    """The first 50,000 training images, like Datasets.load("mnist", "train")."""
    return load_mnist_images(TRAIN)


def median_min_max(s):
    return statistics.median(s), min(s), max(s)


def measure(fn, warmup_s, sample_ms, repeats):
    end = time.perf_counter() + warmup_s
    calls = 0
    while time.perf_counter() < end or calls < 3:
        fn()
        calls += 1
    inner = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        dt = time.perf_counter() - t0
        if dt * 1000 >= sample_ms:
            break
        inner = max(inner * 2, int(inner * sample_ms / max(dt * 1000, 1e-3) * 1.2))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    return median_min_max(samples)


def schedule(factor):
    """AnnealingSchedule.standard() (factor 1) or standardScaled(factor): 0..0.5 / 0.5..0.9 / 0.9..1."""
    knots, counts = [0.0, 0.5, 0.9, 1.0], [500, 4000, 10000]
    if factor < 1:
        counts = [max(1, round(c * factor)) for c in counts]
    b = []
    for s, c in enumerate(counts):
        for i in range(c):
            b.append(knots[s] + (knots[s + 1] - knots[s]) * i / c)
    b.append(1.0)
    return b


# -------------------------------------------------------------------------------------------------------- torch

def torch_part(args):
    import torch
    torch.set_num_threads(1)
    method, info, _keep = single_thread()
    emit({"kind": "env", "impl": "torch", "python": sys.version.split()[0], "executable": sys.executable,
          "torch": torch.__version__, "thread_control": method, "threadpool_info": info,
          "torch_threads": torch.get_num_threads(),
          "env": {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_", "GOTO"))}})
    torch.manual_seed(42)

    # products at the three shapes of an update (float32; transposes as views, so OpenBLAS gets trans flags)
    v = torch.rand(BATCH, D)
    w = torch.rand(D, F)
    h = torch.rand(BATCH, F)
    oh, ov, ow = torch.empty(BATCH, F), torch.empty(BATCH, D), torch.empty(D, F)
    flops = 2.0 * BATCH * D * F
    for shape, fn in (("NN", lambda: torch.mm(v, w, out=oh)),
                      ("NT", lambda: torch.mm(h, w.t(), out=ov)),
                      ("TN", lambda: torch.mm(v.t(), h, out=ow))):
        med, lo, hi = measure(fn, 0.3, args.gemm_ms, 11)
        emit({"kind": "gemm", "impl": "torch", "shape": shape, "s_median": med, "s_min": lo, "s_max": hi,
              "gflops": flops / med / 1e9})

    x_np, path = load_mnist_train()
    x = torch.from_numpy(x_np)
    log(f"MNIST train {tuple(x.shape)} from {path}")

    for algo, persistent in (("CD-1", False), ("PCD-1", True)):
        if algo in args.skip:
            continue
        trainer = TorchRbm(torch, persistent, seed=42)
        secs = []
        for e in range(args.warmup_epochs + args.epochs):
            t0 = time.perf_counter()
            batches = trainer.epoch(x, e)
            dt = time.perf_counter() - t0
            log(f"{algo} epoch {e}{' (warm-up)' if e < args.warmup_epochs else ''}: {dt:.3f} s ({batches} batches)")
            if e >= args.warmup_epochs:
                secs.append(dt)
        assert torch.isfinite(trainer.W).all()
        emit({"kind": "epoch", "impl": "torch", "algo": algo, "batches": batches, "examples": x.shape[0],
              "seconds": secs, "s_median": statistics.median(secs)})

    if "AIS" not in args.skip:
        torch_ais(torch, args)


class TorchRbm:
    """dgm4j's RbmTrainer, step for step, in preallocated float32 tensors with in-place/out= ops: positive phase
    p(h|v0); CD: h ~ p(h|v0), PCD: h ~ p(h|chains); k Gibbs steps (v ~ p(v|h), p(h|v), h ~ p(h|v));
    gradient v0^T p(h|v0) / B - v^T p(h|v) / M (and bias sums); velocity = mom * velocity + lr * (grad - decay * W);
    theta += velocity. Minibatches: a fresh permutation per epoch, rows gathered into a buffer, dynamic binarization."""

    def __init__(self, torch, persistent, seed, k=1):
        self.t = torch
        self.gen = torch.Generator().manual_seed(seed)
        self.persistent, self.k = persistent, k
        m = CHAINS if persistent else BATCH
        self.m = m
        self.W = torch.randn(D, F, generator=self.gen) * 0.01
        self.b, self.a = torch.zeros(D), torch.zeros(F)
        self.vW, self.vb, self.va = torch.zeros(D, F), torch.zeros(D), torch.zeros(F)
        self.gW, self.gb, self.ga, self.tmp_b, self.tmp_a = (torch.zeros(D, F), torch.zeros(D), torch.zeros(F),
                                                             torch.zeros(D), torch.zeros(F))
        self.batch, self.ubatch, self.v0 = torch.empty(BATCH, D), torch.empty(BATCH, D), torch.empty(BATCH, D)
        self.h0 = torch.empty(BATCH, F)
        self.hn, self.hs, self.uh = torch.empty(m, F), torch.empty(m, F), torch.empty(m, F)
        self.vn, self.vp, self.uv = torch.empty(m, D), torch.empty(m, D), torch.empty(m, D)
        self.chains = None

    def sample(self, p, u, out):
        u.uniform_(generator=self.gen)
        self.t.lt(u, p, out=out)

    def sample_hidden(self, v, prob, sample):
        self.t.addmm(self.a, v, self.W, out=prob)
        prob.sigmoid_()
        self.sample(prob, self.uh, sample)

    def sample_visible(self, h, prob, sample):
        self.t.addmm(self.b, h, self.W.t(), out=prob)
        prob.sigmoid_()
        self.sample(prob, self.uv, sample)

    def update(self, v0, epoch):
        t = self.t
        B, M = v0.shape[0], self.m
        t.addmm(self.a, v0, self.W, out=self.h0).sigmoid_()                 # positive phase: p(h|v0)
        if self.persistent:
            if self.chains is None:
                self.chains = t.empty(M, D)
                self.sample(t.sigmoid(self.b).expand(M, D), self.uv, self.chains)   # v ~ p(v | h = 0)
            self.vn.copy_(self.chains)
            self.sample_hidden(self.vn, self.hn, self.hs)
        else:
            self.sample(self.h0, self.uh, self.hs)
        for _ in range(self.k):
            self.sample_visible(self.hs, self.vp, self.vn)
            self.sample_hidden(self.vn, self.hn, self.hs)
        if self.persistent:
            self.chains.copy_(self.vn)
        # gradient: v0^T p(h|v0) / B - vn^T p(h|vn) / M
        t.mm(v0.t(), self.h0, out=self.gW)
        self.gW.addmm_(self.vn.t(), self.hn, beta=1.0 / B, alpha=-1.0 / M)
        t.sum(v0, 0, out=self.gb)
        t.sum(self.vn, 0, out=self.tmp_b)
        self.gb.mul_(1.0 / B).add_(self.tmp_b, alpha=-1.0 / M)
        t.sum(self.h0, 0, out=self.ga)
        t.sum(self.hn, 0, out=self.tmp_a)
        self.ga.mul_(1.0 / B).add_(self.tmp_a, alpha=-1.0 / M)
        # momentum SGD with weight decay on W
        mom = MOM0 if epoch < SWITCH else MOM1
        self.gW.add_(self.W, alpha=-DECAY)
        for p, vel, g in ((self.W, self.vW, self.gW), (self.b, self.vb, self.gb), (self.a, self.va, self.ga)):
            vel.mul_(mom).add_(g, alpha=LR)
            p.add_(vel)

    def epoch(self, x, epoch):
        t = self.t
        n = x.shape[0]
        order = t.randperm(n, generator=self.gen)
        batches = 0
        for s in range(0, n, BATCH):
            idx = order[s:s + BATCH]
            if idx.shape[0] < BATCH:           # 50,000 = 500 x 100: never happens
                break
            t.index_select(x, 0, idx, out=self.batch)
            self.sample(self.batch, self.ubatch, self.v0)   # dynamic binarization
            self.update(self.v0, epoch)
            batches += 1
        return batches


def torch_ais(torch, args):
    """RbmAis.forward: base-rate model A (W = 0, a = 0, b_A), runs from exact samples of A; per step one product
    x = v W + a used for the weight and for h; log w += (now - before) (b_B - b_A)^T v
    + sum_j softplus(now x_j) - softplus(before x_j) (accumulated in float64); h ~ sigmoid(now x);
    v ~ sigmoid((1 - now) b_A + now b_B + now h W^T)."""
    gen = torch.Generator().manual_seed(7)
    # a model after a few CD-1 updates on random binary data with marginals in (0.05, 0.95) (as RbmBenchmark)
    p = torch.rand(1000, D, generator=gen) * 0.9 + 0.05
    data = (torch.rand(1000, D, generator=gen) < p).float()
    rbm = TorchRbm(torch, False, seed=8)
    for i in range(20):
        rbm.update(data[(i % 10) * BATCH:(i % 10 + 1) * BATCH], 0)
    counts = data.sum(0)
    pa = (counts + 1.0) / (data.shape[0] + 2.0)
    bA = torch.log(pa / (1 - pa))
    log_z_a = F * np.log(2) + torch.nn.functional.softplus(bA.double()).sum().item()
    W, a, bB = rbm.W, rbm.a, rbm.b
    softplus = torch._C._nn.softplus           # softplus(x, beta, threshold, out=)
    m = AIS_RUNS

    def run(betas):
        v = torch.empty(m, D)
        u = torch.empty(m, D)
        torch.lt(torch.rand(m, D, generator=gen), torch.sigmoid(bA).expand(m, D), out=v)
        x, sc, sp, h, uh = (torch.empty(m, F) for _ in range(5))
        vin, bias = torch.empty(m, D), torch.empty(D)
        diff = bB - bA
        lin = torch.empty(m)
        s_before, s_now = torch.empty(m), torch.empty(m)
        log_w = torch.zeros(m, dtype=torch.float64)
        steps = len(betas) - 1
        for k in range(1, steps + 1):
            now, before = float(np.float32(betas[k])), float(np.float32(betas[k - 1]))
            torch.addmm(a, v, W, out=x)
            torch.mv(v, diff, out=lin)
            torch.mul(x, before, out=sc)
            torch.sum(softplus(sc, 1, 20, out=sp), 1, out=s_before)
            torch.mul(x, now, out=sc)
            torch.sum(softplus(sc, 1, 20, out=sp), 1, out=s_now)
            log_w.add_((lin.mul_(now - before).add_(s_now).sub_(s_before)).double())
            if k < steps:
                sc.sigmoid_()                                         # h ~ p_now(h | v)
                uh.uniform_(generator=gen)
                torch.lt(uh, sc, out=h)
                torch.mul(bA, 1.0 - now, out=bias).add_(bB, alpha=now)
                torch.addmm(bias, h, W.t(), beta=1.0, alpha=now, out=vin)
                vin.sigmoid_()
                u.uniform_(generator=gen)
                torch.lt(u, vin, out=v)
        return (torch.logsumexp(log_w, 0) - np.log(m)).item() + log_z_a

    full = schedule(1.0)
    betas = schedule(args.ais_factor) if args.ais_factor < 1 else full
    run(schedule(0.02))                                                 # warm-up, as RbmBenchmark
    secs = []
    for r in range(args.ais_repeats):
        t0 = time.perf_counter()
        log_z = run(betas)
        secs.append(time.perf_counter() - t0)
        log(f"AIS {len(betas)} betas x {m} runs: {secs[-1]:.3f} s (ln Z = {log_z:.3f})")
    med = statistics.median(secs)
    steps, full_steps = len(betas) - 1, len(full) - 1
    emit({"kind": "ais", "impl": "torch", "betas": len(betas), "steps": steps, "runs": m, "seconds": secs,
          "s_median": med, "full_betas": len(full), "s_full": med * full_steps / steps,
          "extrapolated": steps != full_steps, "log_z": log_z})


# ------------------------------------------------------------------------------------------------------ sklearn

def sklearn_part(args):
    import sklearn
    from sklearn.neural_network import BernoulliRBM
    method, info, _keep = single_thread()
    emit({"kind": "env", "impl": "sklearn", "python": sys.version.split()[0], "executable": sys.executable,
          "sklearn": sklearn.__version__, "numpy": np.__version__, "thread_control": method,
          "threadpool_info": info,
          "env": {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_", "GOTO"))}})

    rng = np.random.default_rng(1)
    flops = 2.0 * BATCH * D * F
    for dt in (np.float32, np.float64):
        a, b = rng.random((BATCH, D)).astype(dt), rng.random((D, F)).astype(dt)
        c = np.empty((BATCH, F), dtype=dt)
        med, lo, hi = measure(lambda: np.dot(a, b, out=c), 0.3, args.gemm_ms, 11)
        emit({"kind": "gemm", "impl": "numpy", "dtype": np.dtype(dt).name, "shape": "NN", "s_median": med,
              "s_min": lo, "s_max": hi, "gflops": flops / med / 1e9})

    x, path = load_mnist_train()
    # BernoulliRBM has no dynamic binarization: one fixed binary sample of the data, drawn once (not timed)
    xb = (rng.random(x.shape, dtype=np.float32) < x).astype(np.float32)
    log(f"MNIST train {x.shape} from {path}, binarized once")
    for dt in (np.float32, np.float64):
        xd = np.ascontiguousarray(xb, dtype=dt)
        name = f"sklearn-{np.dtype(dt).name}"
        if name in args.skip:
            continue
        secs = []
        for e in range(args.warmup_epochs + args.epochs):
            rbm = BernoulliRBM(n_components=F, batch_size=BATCH, learning_rate=LR, n_iter=1, random_state=42 + e)
            t0 = time.perf_counter()
            rbm.fit(xd)
            el = time.perf_counter() - t0
            log(f"{name} epoch {e}{' (warm-up)' if e < args.warmup_epochs else ''}: {el:.3f} s "
                f"(components {rbm.components_.dtype})")
            if e >= args.warmup_epochs:
                secs.append(el)
        emit({"kind": "epoch", "impl": name, "algo": "PCD-1 (sklearn: 100 chains of h, no momentum/decay)",
              "batches": int(np.ceil(xd.shape[0] / BATCH)), "examples": xd.shape[0], "seconds": secs,
              "s_median": statistics.median(secs), "param_dtype": str(rbm.components_.dtype)})


def main():
    global PART
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["torch", "sklearn"], required=True)
    ap.add_argument("--epochs", type=int, default=5, help="timed epochs (median reported; default 5)")
    ap.add_argument("--warmup-epochs", type=int, default=1)
    ap.add_argument("--ais-factor", type=float, default=1.0,
                    help="< 1: standardScaled(factor) schedule, time extrapolated to 14,500 steps")
    ap.add_argument("--ais-repeats", type=int, default=1)
    ap.add_argument("--gemm-ms", type=float, default=50.0)
    ap.add_argument("--skip", default="", help="comma-separated: CD-1, PCD-1, AIS, sklearn-float32, sklearn-float64")
    args = ap.parse_args()
    args.skip = [s for s in args.skip.split(",") if s]
    PART = args.part
    (torch_part if args.part == "torch" else sklearn_part)(args)


if __name__ == "__main__":
    main()

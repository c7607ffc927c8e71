#!/usr/bin/python3
"""PyTorch reference for the dgm4j benchmarks (bench/README.md).

Run with /usr/bin/python3 (Debian's python3-torch 1.13 and python3-numpy), not a pyenv python.
Prints one JSON object per line:
  {"kind": "env", ...}                                   torch version, BLAS library and kernel, environment
  {"kind": "gemm", "size": "S1", "threads": 1, ...}      torch.mm into a pre-allocated out= tensor
  {"kind": "gibbs", "variant": "...", ...}               Gibbs half-step forms on 100x500, ns per element

Timing: after a warm-up, each sample times `inner` back-to-back calls with time.perf_counter (inner is chosen so a
sample lasts at least --sample-ms); the reported figure is the median over --repeats samples, with min and max.
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time

import torch

# Same products as dgm4j.bench.GemmBenchmark: (m, n, k, transA); op(A) is m x k, B is k x n, C is m x n.
SIZES = {
    "S1": (100, 500, 784, False),   # [100x784] * [784x500]
    "S2": (500, 784, 100, True),    # [100x500]^T * [100x784]
    "S3": (100, 1000, 500, False),  # [100x500] * [500x1000]
    "S4": (5000, 200, 784, False),  # [5000x784] * [784x200]
}
ROWS, COLS = 100, 500


def emit(obj):
    print(json.dumps(obj), flush=True)


def blas_library():
    """The BLAS shared object torch has loaded (Debian's torch calls the system libblas through the alternatives)."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and "blas" in parts[-1].lower():
                libs.add(parts[-1])
    openblas = sorted(p for p in libs if "openblas" in os.path.basename(p))
    return sorted(libs), (openblas[0] if openblas else None)


class OpenBlasControl:
    """openblas_set_num_threads on the OpenBLAS instance torch uses: torch.set_num_threads sets the OpenMP/intra-op
    pool, but a generic-BLAS torch build does not tell OpenBLAS (a pthreads build), which otherwise uses every core."""

    def __init__(self, path):
        self.lib = None
        if path:
            try:
                self.lib = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
                self.lib.openblas_get_corename.restype = ctypes.c_char_p
                self.lib.openblas_get_config.restype = ctypes.c_char_p
            except (OSError, AttributeError):
                self.lib = None

    def corename(self):
        return self.lib.openblas_get_corename().decode() if self.lib else None

    def config(self):
        return self.lib.openblas_get_config().decode() if self.lib else None

    def set_threads(self, n):
        if self.lib:
            self.lib.openblas_set_num_threads(ctypes.c_int(n))

    def threads(self):
        return self.lib.openblas_get_num_threads() if self.lib else None


def measure(fn, warmup_s, sample_ms, repeats):
    """Median, min, max seconds per call."""
    end = time.perf_counter() + warmup_s
    calls = 0
    while time.perf_counter() < end or calls < 3:
        fn()
        calls += 1
    # calibrate the number of calls per sample
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
    return statistics.median(samples), min(samples), max(samples), inner


def bench_gemm(size, threads, blas, args):
    m, n, k, trans_a = SIZES[size]
    g = torch.Generator().manual_seed(42)
    if trans_a:
        a_store = torch.rand(k, m, generator=g) * 2 - 1   # A is [100x500], contiguous
        a = a_store.t()                                    # op(A) = A^T, a transposed view: BLAS transA
    else:
        a = torch.rand(m, k, generator=g) * 2 - 1
    b = torch.rand(k, n, generator=g) * 2 - 1
    c = torch.empty(m, n)
    assert b.is_contiguous() and c.is_contiguous() and (a.is_contiguous() or a.t().is_contiguous())
    torch.mm(a, b, out=c)
    ref = a.double() @ b.double()
    err = (c.double() - ref).abs().max().item()
    assert err < 1e-3, f"{size}: max error {err}"
    med, lo, hi, inner = measure(lambda: torch.mm(a, b, out=c), args.warmup, args.sample_ms, args.repeats)
    flops = 2.0 * m * n * k
    emit({"kind": "gemm", "size": size, "threads": threads, "openblas_threads": blas.threads(),
          "torch_threads": torch.get_num_threads(), "m": m, "n": n, "k": k, "transA": trans_a,
          "us_median": med * 1e6, "us_min": lo * 1e6, "us_max": hi * 1e6,
          "gflops_median": flops / med / 1e9, "gflops_min": flops / hi / 1e9, "gflops_max": flops / lo / 1e9,
          "repeats": args.repeats, "calls_per_sample": inner})


def bench_gibbs(args):
    """The Gibbs half-step (prob = sigmoid(x); sample ~ Bernoulli(prob) as 0/1 float32) in several PyTorch forms,
    and sigmoid / Bernoulli alone; all outputs pre-allocated."""
    g = torch.Generator().manual_seed(42)
    x = torch.randn(ROWS, COLS, generator=g) * 2
    p = torch.empty(ROWS, COLS)
    u = torch.empty(ROWS, COLS)
    s = torch.empty(ROWS, COLS)
    mask = torch.empty(ROWS, COLS, dtype=torch.bool)
    p_given = torch.rand(ROWS, COLS, generator=g)

    def rand_lt():  # sigmoid, uniforms, compare written straight into a float32 0/1 tensor
        torch.sigmoid(x, out=p)
        torch.rand(ROWS, COLS, out=u)
        torch.lt(u, p, out=s)

    def uniform_lt():  # same with in-place uniform_
        torch.sigmoid(x, out=p)
        u.uniform_()
        torch.lt(u, p, out=s)

    def rand_lt_bool():  # compare into a bool mask, then convert to float
        torch.sigmoid(x, out=p)
        torch.rand(ROWS, COLS, out=u)
        torch.lt(u, p, out=mask)
        s.copy_(mask)

    def bernoulli_out():
        torch.sigmoid(x, out=p)
        torch.bernoulli(p, out=s)

    def bernoulli_inplace():
        torch.sigmoid(x, out=p)
        s.bernoulli_(p)

    half_steps = {
        "sigmoid+rand+lt": rand_lt,
        "sigmoid+uniform_+lt": uniform_lt,
        "sigmoid+rand+lt(bool)+copy_": rand_lt_bool,
        "sigmoid+bernoulli(out=)": bernoulli_out,
        "sigmoid+bernoulli_": bernoulli_inplace,
    }
    parts = {
        "sigmoid": lambda: torch.sigmoid(x, out=p),
        "bernoulli:rand+lt": lambda: (torch.rand(ROWS, COLS, out=u), torch.lt(u, p_given, out=s)),
        "bernoulli:bernoulli_": lambda: s.bernoulli_(p_given),
    }
    # sanity: samples are 0/1 and their mean matches the mean probability
    rand_lt()
    assert set(s.unique().tolist()) <= {0.0, 1.0}
    for group, table in (("halfStep", half_steps), ("part", parts)):
        for name, fn in table.items():
            med, lo, hi, inner = measure(fn, args.warmup, args.sample_ms, args.repeats)
            n = ROWS * COLS
            emit({"kind": "gibbs", "group": group, "variant": name, "elements": n, "threads": 1,
                  "ns_per_element_median": med * 1e9 / n, "ns_per_element_min": lo * 1e9 / n,
                  "ns_per_element_max": hi * 1e9 / n, "repeats": args.repeats, "calls_per_sample": inner})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts for the products (default 1,2)")
    ap.add_argument("--sizes", default="S1,S2,S3,S4")
    ap.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per case (default 1)")
    ap.add_argument("--sample-ms", type=float, default=100.0, help="minimum duration of one sample (default 100)")
    ap.add_argument("--repeats", type=int, default=21, help="samples per case; the median is reported (default 21)")
    ap.add_argument("--no-gibbs", action="store_true")
    ap.add_argument("--no-gemm", action="store_true")
    args = ap.parse_args()

    libs, openblas_path = blas_library()
    blas = OpenBlasControl(openblas_path)
    emit({"kind": "env", "python": sys.version.split()[0], "executable": sys.executable, "torch": torch.__version__,
          "blas_libraries": libs, "openblas_corename": blas.corename(), "openblas_config": blas.config(),
          "cpu_capability": torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, "cpu") else None,
          "env": {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_", "GOTO"))},
          "cpus": os.cpu_count(), "loadavg": os.getloadavg()})

    if not args.no_gemm:
        for t in [int(v) for v in args.threads.split(",")]:
            torch.set_num_threads(t)
            blas.set_threads(t)
            for size in args.sizes.split(","):
                bench_gemm(size, t, blas, args)
    if not args.no_gibbs:
        torch.set_num_threads(1)
        blas.set_threads(1)
        bench_gibbs(args)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Independent NumPy reference for annealed importance sampling (AIS) on a Bernoulli-Bernoulli RBM.

Written from the equations (Salakhutdinov & Murray 2008), not from dgm4j's Java code, so that a Java test can
compare dgm4j's AIS estimates of ln Z against a second implementation.

Usage:
  ais_reference.py MODEL.safetensors [--runs 100] [--scale 0.3 | --betas 4351] [--burn-in 1000] [--seed 0]
                   [--exact] [--start FILE.npy]

Model: E(v,h) = -b.v - a.h - v W h, with W = `weights` [D,F], b = `visible_bias` [D], a = `hidden_bias` [F].
Base model A: independent Bernoullis over v with biases logit(m), m = visible marginals from `runs` Gibbs chains
(`burn-in` steps, E[v|h] averaged over the second half of the steps); the chains' final states start reverse AIS.
Schedule: equal steps on [0,0.5), [0.5,0.9), [0.9,1] with round(500 s), round(4000 s), round(10000 s) points, then
1.0 (s = --scale; s = 0.3 gives 4351 betas). --betas N picks the s giving exactly N betas instead.

Prints one JSON object:
  {"log_z_base", "forward": {"log_z", "effective_runs"}, "reverse": {...}, "exact_log_z" (or null), "betas", "runs",
   "seconds"}
Non-finite estimates are printed as null. Log weights are accumulated in float64; only the Bernoulli sampling
decisions use float32 (see bernoulli_logit). Errors: message on stderr, exit status 2.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np

MAX_EXACT_BITS = 24
CLIP = 1e-4


class InputError(Exception):
    pass


def fail(msg):
    print(f"ais_reference.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


# ----------------------------------------------------------------------------------------------- model file

_DTYPES = {"F32": "<f4", "F64": "<f8"}


def read_rbm(path):
    """Return (W [D,F], b [D], a [F]) as float64 arrays from a dgm4j safetensors file."""
    if not os.path.isfile(path):
        raise InputError(f"model file not found: {path}")
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise InputError(f"{path}: file too short for a safetensors header ({len(blob)} bytes)")
    (n,) = struct.unpack("<Q", blob[:8])
    if n == 0 or 8 + n > len(blob):
        raise InputError(f"{path}: header length {n} does not fit in a file of {len(blob)} bytes")
    try:
        header = json.loads(blob[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise InputError(f"{path}: malformed JSON header: {e}")
    if not isinstance(header, dict):
        raise InputError(f"{path}: malformed header: not a JSON object")
    data = memoryview(blob)[8 + n:]

    def tensor(name):
        info = header.get(name)
        if info is None:
            raise InputError(f"{path}: missing tensor '{name}'")
        try:
            dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{path}: malformed header entry for '{name}': {info!r}")
        if dtype not in _DTYPES:
            raise InputError(f"{path}: tensor '{name}' has dtype {dtype}, expected F32")
        if (not isinstance(shape, list) or not all(isinstance(s, int) and s >= 0 for s in shape)
                or not isinstance(begin, int) or not isinstance(end, int)):
            raise InputError(f"{path}: malformed shape/offsets for '{name}'")
        dt = np.dtype(_DTYPES[dtype])
        count = int(np.prod(shape)) if shape else 1
        if not (0 <= begin <= end <= len(data)) or end - begin != count * dt.itemsize:
            raise InputError(f"{path}: tensor '{name}' offsets [{begin}, {end}] do not match shape {shape} "
                             f"(data section has {len(data)} bytes)")
        arr = np.frombuffer(data, dtype=dt, count=count, offset=begin).reshape(shape)
        return arr.astype(np.float64)

    W, b, a = tensor("weights"), tensor("visible_bias"), tensor("hidden_bias")
    if W.ndim != 2:
        raise InputError(f"{path}: 'weights' must be 2-D [D, F], got shape {list(W.shape)}")
    D, F = W.shape
    if D == 0 or F == 0:
        raise InputError(f"{path}: empty layer, weights shape {list(W.shape)}")
    if b.shape != (D,):
        raise InputError(f"{path}: 'visible_bias' shape {list(b.shape)} does not match weights [{D}, {F}]")
    if a.shape != (F,):
        raise InputError(f"{path}: 'hidden_bias' shape {list(a.shape)} does not match weights [{D}, {F}]")
    for name, arr in (("weights", W), ("visible_bias", b), ("hidden_bias", a)):
        if not np.all(np.isfinite(arr)):
            raise InputError(f"{path}: tensor '{name}' contains NaN or infinite values")
    return W, b, a


def read_start(path, D):
    if not os.path.isfile(path):
        raise InputError(f"start file not found: {path}")
    try:
        s = np.load(path, allow_pickle=False)
    except Exception as e:  # noqa: BLE001 - any parse failure is an input error
        raise InputError(f"{path}: cannot read .npy: {e}")
    if s.ndim != 2 or s.shape[1] != D or s.shape[0] == 0:
        raise InputError(f"{path}: start rows must have shape [n, {D}], got {list(s.shape)}")
    s = s.astype(np.float64)
    if not np.all((s == 0.0) | (s == 1.0)):
        raise InputError(f"{path}: start rows must contain only 0 and 1")
    return s


# ----------------------------------------------------------------------------------------------- maths

def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def softplus(x):
    return np.logaddexp(0.0, x)


def bernoulli(rng, p):
    return (rng.random(p.shape) < p).astype(np.float64)


def bernoulli_logit(rng, x):
    """Sample Bernoulli(sigmoid(x)) elementwise: u < 1 / (1 + exp(-x))  <=>  u (1 + exp(-x)) < 1.

    Only the sampling decision is made in float32 (several times faster exp); it perturbs the transition
    probabilities by ~1e-7, far below Monte Carlo error. All log-weight arithmetic is float64."""
    t = np.negative(x, dtype=np.float32)
    with np.errstate(over="ignore"):
        np.exp(t, out=t)          # exp(-x); +inf where x is very negative -> never sampled
    t += 1.0
    with np.errstate(invalid="ignore"):   # inf * 0 -> nan, which compares false: never sampled, as p ~ 0 asks
        t *= rng.random(x.shape, dtype=np.float32)
    return (t < 1.0).astype(np.float64)


def row_sum_softplus(z):
    """sum_j softplus(z[:, j]) in float64, via softplus(z) = max(z, 0) + ln(1 + e^-|z|) and a product of the
    factors 1 + e^-|z| (each in (1, 2]; blocks of <= 512 columns so the product stays < 2^512, no overflow)."""
    total = np.sum(np.maximum(z, 0.0), axis=1)
    for j in range(0, z.shape[1], 512):
        t = np.abs(z[:, j:j + 512])
        np.negative(t, out=t)
        np.exp(t, out=t)
        t += 1.0
        total += np.log(np.prod(t, axis=1))
    return total


def vis_to_hid(v, WT):
    """v W for v [runs, D], WT = W^T [F, D] (einsum: faster than a reference-BLAS gemm at these sizes)."""
    return np.einsum("rd,fd->rf", v, WT)


def hid_to_vis(h, WT):
    """h W^T for h [runs, F]."""
    return np.einsum("rf,fd->rd", h, WT)


def logsumexp(x, axis=None):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return np.squeeze(out, axis=axis) if axis is not None else out.item()


def logmeanexp(x):
    return logsumexp(x) - math.log(len(x))


def effective_runs(logw):
    # (sum w)^2 / sum w^2, computed with the maximum weight factored out
    w = np.exp(logw - np.max(logw))
    return float(w.sum() ** 2 / np.sum(w * w))


def schedule(scale):
    def rnd(x):
        return max(1, int(math.floor(x + 0.5)))

    parts = [np.linspace(lo, hi, rnd(c * scale), endpoint=False)
             for lo, hi, c in ((0.0, 0.5, 500), (0.5, 0.9, 4000), (0.9, 1.0, 10000))]
    return np.concatenate(parts + [np.array([1.0])])


def scale_for(n_betas):
    """Smallest scale whose schedule has exactly n_betas points (length is non-decreasing in scale)."""
    lo, hi = 0.0, max(1.0, n_betas / 14500.0 * 2 + 1.0)
    if len(schedule(hi)) < n_betas:
        raise InputError(f"--betas {n_betas} is too large")
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if len(schedule(mid)) >= n_betas:
            hi = mid
        else:
            lo = mid
    if len(schedule(hi)) != n_betas:
        raise InputError(f"--betas {n_betas} is not a length produced by the scaled standard schedule "
                         f"(nearest: {len(schedule(lo))}, {len(schedule(hi))}); use --scale")
    return hi


def gibbs_marginals(rng, W, b, a, v, burn_in):
    acc = np.zeros(W.shape[0])
    count = 0
    first = burn_in // 2
    WT = np.ascontiguousarray(W.T)
    for step in range(burn_in):
        h = bernoulli_logit(rng, a + vis_to_hid(v, WT))
        if step >= first:
            pv = sigmoid(b + hid_to_vis(h, WT))
            v = bernoulli(rng, pv)
            acc += pv.sum(axis=0)
            count += pv.shape[0]
        else:
            v = bernoulli_logit(rng, b + hid_to_vis(h, WT))
    m = acc / count if count else sigmoid(b)
    return np.clip(m, CLIP, 1.0 - CLIP), v


def ais(rng, W, b, a, bA, betas, v):
    """Run AIS along `betas` from states v (exact samples of the distribution at betas[0]); return log weights.

    ln p*_beta(v) = (1-beta) bA.v + beta b.v + sum_j softplus(beta (a_j + (vW)_j))."""
    logw = np.zeros(v.shape[0])
    db = b - bA
    WT = np.ascontiguousarray(W.T)
    x = a + vis_to_hid(v, WT)       # [runs, F] hidden pre-activations at beta = 1
    K = len(betas) - 1
    for k in range(1, K + 1):
        bk, bp = float(betas[k]), float(betas[k - 1])
        # ln p*_{bk}(v) - ln p*_{bp}(v)
        logw += (bk - bp) * (v @ db) + np.sum(softplus(bk * x) - softplus(bp * x), axis=1)
        if k < K:                      # one Gibbs transition leaving p*_{bk} invariant
            h = bernoulli_logit(rng, bk * x)
            pre = hid_to_vis(h, WT)  # visible pre-activation (1-bk) bA + bk (b + W h), computed in place
            pre *= bk
            pre += (1.0 - bk) * bA + bk * b
            v = bernoulli_logit(rng, pre)
            x = a + vis_to_hid(v, WT)
    return logw


def exact_log_z(W, b, a, max_bytes=200 * 2 ** 20):
    D, F = W.shape
    n = min(D, F)
    if n > MAX_EXACT_BITS:
        raise InputError(f"--exact needs 2^min(D,F) states; min(D,F) = {n} > {MAX_EXACT_BITS}")
    # enumerate the smaller layer s (bias c), sum the other layer (bias d) out: ln p*(s) = c.s + sum softplus(d + s M)
    if F <= D:
        M, c, d = np.ascontiguousarray(W.T), a, b      # s = h, M [F, D]
    else:
        M, c, d = W, b, a        # s = v, M [D, F]
    m_other = M.shape[1]
    chunk = max(1, min(2 ** n, max_bytes // (8 * (m_other + n) * 3)))
    bits = np.arange(n, dtype=np.int64)
    parts = []
    for start in range(0, 2 ** n, chunk):
        idx = np.arange(start, min(start + chunk, 2 ** n), dtype=np.int64)
        s = ((idx[:, None] >> bits) & 1).astype(np.float64)
        z = np.einsum("cs,so->co", s, M)
        z += d
        lp = s @ c + row_sum_softplus(z)
        parts.append(logsumexp(lp))
    return logsumexp(np.array(parts))


# ----------------------------------------------------------------------------------------------- main

def finite_or_none(x):
    x = float(x)
    return x if math.isfinite(x) else None


def main(argv=None):
    p = argparse.ArgumentParser(description="Independent NumPy AIS reference for a Bernoulli-Bernoulli RBM.")
    p.add_argument("model", help="dgm4j RBM file (safetensors)")
    p.add_argument("--runs", type=int, default=100, help="number of AIS runs (and base-model Gibbs chains)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--scale", type=float, default=None, help="schedule scale s (default 0.3 -> 4351 betas)")
    g.add_argument("--betas", type=int, default=None, help="schedule length; picks the scale producing it")
    p.add_argument("--burn-in", type=int, default=1000, help="Gibbs steps for the base-model marginals")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--exact", action="store_true", help="also compute ln Z exactly (min(D,F) <= 24)")
    p.add_argument("--start", help=".npy float32 [n, D] of 0/1 rows to start the Gibbs chains")
    args = p.parse_args(argv)

    t0 = time.perf_counter()
    try:
        if args.runs < 1:
            raise InputError("--runs must be >= 1")
        if args.burn_in < 0:
            raise InputError("--burn-in must be >= 0")
        if args.scale is not None and not (args.scale > 0 and math.isfinite(args.scale)):
            raise InputError("--scale must be a positive number")
        if args.betas is not None and args.betas < 4:
            raise InputError("--betas must be >= 4")
        W, b, a = read_rbm(args.model)
        D, F = W.shape
        start = read_start(args.start, D) if args.start else None
        scale = scale_for(args.betas) if args.betas is not None else (args.scale if args.scale is not None else 0.3)
        betas = schedule(scale)
        exact = exact_log_z(W, b, a) if args.exact else None
    except InputError as e:
        fail(str(e))

    rng = np.random.default_rng(args.seed)
    R = args.runs
    if start is not None:
        v0 = start[np.arange(R) % start.shape[0]]
    else:
        v0 = bernoulli(rng, np.broadcast_to(sigmoid(b), (R, D)))
    m, v_model = gibbs_marginals(rng, W, b, a, v0, args.burn_in)
    bA = np.log(m) - np.log1p(-m)
    log_z_base = float(np.sum(softplus(bA)) + F * math.log(2.0))

    v_base = bernoulli(rng, np.broadcast_to(m, (R, D)))
    logw_f = ais(rng, W, b, a, bA, betas, v_base)
    logw_r = ais(rng, W, b, a, bA, betas[::-1], v_model)

    out = {
        "log_z_base": log_z_base,
        "forward": {"log_z": finite_or_none(log_z_base + logmeanexp(logw_f)),
                    "effective_runs": finite_or_none(effective_runs(logw_f))},
        "reverse": {"log_z": finite_or_none(log_z_base - logmeanexp(logw_r)),
                    "effective_runs": finite_or_none(effective_runs(logw_r))},
        "exact_log_z": None if exact is None else float(exact),
        "betas": int(len(betas)),
        "runs": R,
        "seconds": time.perf_counter() - t0,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

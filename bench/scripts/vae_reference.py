#!/usr/bin/python3
"""PyTorch reference for dgm4j.bench.VaeBenchmark (bench/run-vae.sh, bench/README.md): training steps of the
1-stochastic-layer VAE / IWAE of Burda et al. (784-200-200-50, tanh, Gaussian q, p(h) = N(0, I), Bernoulli p(x|h)
through 50-200-200-784), single thread, written as an ordinary PyTorch training loop.

Run with /usr/bin/python3 (Debian's python3-torch 1.13), not a pyenv python. Single thread: torch.set_num_threads(1)
and the OpenBLAS torch calls limited to 1 thread (threadpoolctl, as rbm_reference.py; torch.set_num_threads does not
reach Debian's pthreads OpenBLAS).

One step, float32 throughout (the math of dgm4j's VariationalAutoencoder.logWeights / bound, nothing fused by hand):
  x = (torch.rand(B, 784) < X[idx]).float()                      dynamic binarization of the batch
  h = tanh(tanh(x W1 + b1) W2 + b2); mu = h Wm + bm; log_sigma = h Ws + bs          nn.Linear + torch.tanh
  mu, log_sigma repeated k times per example (repeat_interleave: row i*k + s is example i)
  z = mu + exp(log_sigma) * eps, eps = torch.randn(B*k, 50)
  log q = sum_j log N(z; mu, sigma), log p(z) = sum_j log N(z; 0, 1)
  logits = tanh(tanh(z V1 + c1) V2 + c2) V3 + c3; log p(x|z) = -BCEWithLogits(logits, x repeated k times).sum(1)
  log w = log p(x|z) + log p(z) - log q
  IWAE: L = mean_i(logsumexp_s(log w viewed B x k) - log k); VAE: L = mean(log w)
  loss = -L; optimizer.zero_grad(); loss.backward(); optimizer.step()   torch.optim.Adam(lr=1e-3, eps=1e-4)
Glorot-uniform weights, zero biases, output bias = logit of the (clipped) training mean. The data: MNIST's 60,000
training images as one float32 tensor (dgm4j's "train+validation"), a torch.randperm per epoch.

Prints one JSON object per line (same kinds as VaeBenchmark): env, gemm (torch.mm at S1..S4), train.
"""
import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rbm_reference import load_mnist_images, measure, single_thread  # noqa: E402  (same thread control and GEMM timing)

D, H, Z = 784, 200, 50
WORKS = {  # id: (objective, k, batch, label)
    "iwae50x20": ("IWAE", 50, 20, "IWAE k=50, batch 20"),
    "iwae50x100": ("IWAE", 50, 100, "IWAE k=50, batch 100"),
    "vae1x20": ("VAE", 1, 20, "VAE k=1, batch 20"),
}
GEMM_SIZES = {"S1": (100, 500, 784, False), "S2": (500, 784, 100, True), "S3": (100, 1000, 500, False),
              "S4": (5000, 200, 784, False)}
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def emit(obj):
    print(json.dumps(obj), flush=True)


def log(msg):
    print(f"[torch] {msg}", file=sys.stderr, flush=True)


def load_mnist_60k():
    """All 60,000 training images as float32 in [0, 1] (dgm4j's Datasets.load("mnist", "train+validation"))."""
    return load_mnist_images(None)


def build(torch, train_mean):
    nn = torch.nn
    F = torch.nn.functional

    def gaussian_log_density(z, mu, log_sigma):
        """sum_j log N(z_j; mu_j, exp(log_sigma_j)), per row."""
        u = (z - mu) / torch.exp(log_sigma)
        return (-0.5 * u * u - log_sigma - HALF_LOG_2PI).sum(1)

    def standard_normal_log_density(z):
        return (-0.5 * z * z - HALF_LOG_2PI).sum(1)

    class Vae(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc1, self.enc2 = nn.Linear(D, H), nn.Linear(H, H)
            self.mean, self.log_sigma = nn.Linear(H, Z), nn.Linear(H, Z)
            self.dec1, self.dec2, self.logits = nn.Linear(Z, H), nn.Linear(H, H), nn.Linear(H, D)
            for m in self.modules():
                if isinstance(m, nn.Linear):
                    nn.init.xavier_uniform_(m.weight)
                    nn.init.zeros_(m.bias)
            with torch.no_grad():
                p = train_mean.clamp(1e-4, 1 - 1e-4)
                self.logits.bias.copy_(torch.log(p / (1 - p)))

        def log_weights(self, x, k):
            h = torch.tanh(self.enc2(torch.tanh(self.enc1(x))))
            mu = self.mean(h).repeat_interleave(k, dim=0)
            log_sigma = self.log_sigma(h).repeat_interleave(k, dim=0)
            eps = torch.randn_like(mu)
            z = mu + torch.exp(log_sigma) * eps
            log_q = gaussian_log_density(z, mu, log_sigma)
            log_pz = standard_normal_log_density(z)
            logits = self.logits(torch.tanh(self.dec2(torch.tanh(self.dec1(z)))))
            log_px = -F.binary_cross_entropy_with_logits(logits, x.repeat_interleave(k, dim=0), reduction="none").sum(1)
            return log_px + log_pz - log_q

    def bound(log_w, objective, batch, k):
        if objective == "VAE":
            return log_w.mean()
        return (torch.logsumexp(log_w.view(batch, k), dim=1) - math.log(k)).mean()

    return Vae, bound


def train_work(torch, work, X, train_mean, steps, chunks, warmup_s):
    objective, k, batch, label = WORKS[work]
    Vae, bound = build(torch, train_mean)
    torch.manual_seed(42)
    model = Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-4)
    n = X.shape[0]
    per_epoch = n // batch
    state = {"perm": None, "i": 0}

    def step():
        i = state["i"] % per_epoch
        if i == 0:
            state["perm"] = torch.randperm(n)
        state["i"] += 1
        xb = X[state["perm"][i * batch:(i + 1) * batch]]
        x = (torch.rand(batch, D) < xb).float()
        loss = -bound(model.log_weights(x, k), objective, batch, k)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    first = step()
    t0 = time.perf_counter()
    warm = 0
    while time.perf_counter() - t0 < warmup_s or warm < 20:
        step()
        warm += 1
    log(f"{label}: warm-up {warm} steps in {time.perf_counter() - t0:.1f} s")
    per = max(1, steps // chunks)
    s_per_step, loss_sum, total = [], 0.0, 0.0
    for c in range(chunks):
        a = time.perf_counter()
        for _ in range(per):
            loss_sum += step()
        s = time.perf_counter() - a
        total += s
        s_per_step.append(s / per)
        log(f"{label}: chunk {c}: {per} steps, {s:.3f} s ({1e3 * s / per:.3f} ms/step)")
    if not all(torch.isfinite(p).all() for p in model.parameters()):
        raise SystemExit(f"{label}: parameters became non-finite")
    med = sorted(s_per_step)[len(s_per_step) // 2] if chunks % 2 else \
        0.5 * sum(sorted(s_per_step)[chunks // 2 - 1:chunks // 2 + 1])
    emit({"kind": "train", "impl": "torch", "work": work, "label": label, "objective": objective, "k": k,
          "batch": batch, "warmup_steps": warm + 1, "steps": per * chunks, "chunks": chunks,
          "s_per_step_chunks": s_per_step, "s_per_step_median": med, "s_per_step_mean": total / (per * chunks),
          "steps_per_epoch": per_epoch, "s_epoch": med * per_epoch, "s_epoch_mean": total / (per * chunks) * per_epoch,
          "extrapolated": True, "loss_first": first, "loss_timed_mean": loss_sum / (per * chunks),
          "steps_before_timing": warm + 1})


def bench_gemm(torch, sample_ms):
    g = torch.Generator().manual_seed(42)
    for size, (m, n, k, trans_a) in GEMM_SIZES.items():
        a = (torch.rand(k, m, generator=g) * 2 - 1).t() if trans_a else torch.rand(m, k, generator=g) * 2 - 1
        b = torch.rand(k, n, generator=g) * 2 - 1
        c = torch.empty(m, n)
        med, lo, _ = measure(lambda: torch.mm(a, b, out=c), 0.3, sample_ms, 11)
        flops = 2.0 * m * n * k
        emit({"kind": "gemm", "impl": "torch", "shape": size, "m": m, "n": n, "k": k, "transA": trans_a,
              "s_median": med, "s_min": lo, "gflops": flops / med / 1e9, "gflops_best": flops / lo / 1e9})


KERNEL_NAMES = [  # the same names as VaeBenchmark.kernels, at the IWAE k=50 batch 20 shapes (1000 sample rows)
    "noise: N(0,1) draws (RandomStream.gaussian)", "log q: gaussianLogDensity(z, mu, log sigma)",
    "log p(z): gaussianLogDensity(z) (standard normal)", "log q forward + backward (dz, dmu, dlog sigma)",
    "log p(x|z): bernoulliLogLikelihood (+ x - sigmoid)", "tanh", "tanh backward", "Adam step (all parameters)"]


def bench_kernels(torch, sample_ms):
    """PyTorch's counterparts of the step's non-product kernels, as the training loop writes them (log q forward +
    backward: the expression and torch.autograd.grad through it; Adam: optimizer.step() with gradients in place)."""
    F = torch.nn.functional
    rows = 1000
    g = torch.Generator().manual_seed(5)
    z, mu = torch.randn(rows, Z, generator=g), torch.randn(rows, Z, generator=g)
    ls = 0.1 * torch.randn(rows, Z, generator=g)
    noise = torch.empty(rows, Z)
    h = torch.randn(rows, H, generator=g)
    th = torch.tanh(h)
    gh = torch.randn(rows, H, generator=g)
    logits = torch.randn(rows, D, generator=g)
    x = (torch.rand(rows, D, generator=g) < 0.3).float()
    Vae, _ = build(torch, torch.full((D,), 0.3))
    model = Vae()
    for p in model.parameters():
        p.grad = torch.randn_like(p) * 1e-3
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-4)
    params = sum(p.numel() for p in model.parameters())
    zr, mur, lsr = z.clone().requires_grad_(), mu.clone().requires_grad_(), ls.clone().requires_grad_()
    ones = torch.ones(rows)

    def log_q(z_, mu_, ls_):
        u = (z_ - mu_) / torch.exp(ls_)
        return (-0.5 * u * u - ls_ - HALF_LOG_2PI).sum(1)

    def log_q_backward():
        with torch.enable_grad():
            out = log_q(zr, mur, lsr)
            torch.autograd.grad(out, (zr, mur, lsr), ones)

    pieces = [
        (rows * Z, lambda: torch.randn(rows, Z)),
        (rows * Z, lambda: log_q(z, mu, ls)),
        (rows * Z, lambda: (-0.5 * z * z - HALF_LOG_2PI).sum(1)),
        (rows * Z, log_q_backward),
        (rows * D, lambda: F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)),
        (rows * H, lambda: torch.tanh(h)),
        (rows * H, lambda: torch.ops.aten.tanh_backward(gh, th)),
        (params, opt.step),
    ]
    for name, (n, fn) in zip(KERNEL_NAMES, pieces):
        med, _, _ = measure(fn, 0.5, sample_ms, 11)
        emit({"kind": "kernel", "impl": "torch", "name": name, "elements": n, "us": med * 1e6,
              "ns_per_element": med * 1e9 / n})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps-k50", type=int, default=300)
    ap.add_argument("--steps-vae", type=int, default=1500)
    ap.add_argument("--chunks", type=int, default=5)
    ap.add_argument("--warmup-s", type=float, default=8)
    ap.add_argument("--gemm-ms", type=float, default=100)
    ap.add_argument("--works", default=",".join(WORKS))
    ap.add_argument("--only", default="gemm,kernels,train", help="gemm,kernels,train")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(1)
    method, info, _limiter = single_thread()
    emit({"kind": "env", "impl": "torch", "torch": torch.__version__, "python": sys.version.split()[0],
          "torch_threads": torch.get_num_threads(), "thread_control": method, "threadpool_info": info,
          "steps_k50": args.steps_k50, "steps_vae": args.steps_vae, "chunks": args.chunks, "warmup_s": args.warmup_s})
    only = args.only.split(",")
    if "gemm" in only:
        bench_gemm(torch, args.gemm_ms)
    if "kernels" in only:
        with torch.no_grad():
            bench_kernels(torch, args.gemm_ms)
    if "train" in only:
        t0 = time.perf_counter()
        x, path = load_mnist_60k()
        X = torch.from_numpy(x)
        log(f"MNIST {X.shape[0]} x {X.shape[1]} from {path} in {time.perf_counter() - t0:.1f} s")
        train_mean = X.mean(0)
        for work in args.works.split(","):
            steps = args.steps_vae if WORKS[work][1] == 1 else args.steps_k50
            train_work(torch, work, X, train_mean, steps, args.chunks, args.warmup_s)


if __name__ == "__main__":
    main()

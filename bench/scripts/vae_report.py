#!/usr/bin/python3
"""Turns one bench/run-vae.sh result directory into the Markdown tables of bench/README.md ("VAE / IWAE training").

Reads: dgm4j.jsonl (dgm4j.bench.VaeBenchmark), torch.jsonl (bench/scripts/vae_reference.py), meta.json (run-vae.sh).

Epoch times are extrapolated: the median chunk's seconds per step x steps per epoch (60,000 / batch).
Roofline = the epoch's layer-product FLOPs (forward x W, backward x^T G and G W^T; recorded from dgm4j's gemm calls
and checked against the count by hand) / the single-thread GEMM speed measured in the same run: the fastest sample of
any benchmark product (S1..S4) through dgm4j's gemm or torch.mm. It is the time the products alone would take at the
best speed this machine's BLAS reached in the run; the step's own product shapes (thin: 50- and 200-wide) run slower,
which the "products alone at the step's shapes" figure shows.
Share of the dgm4j step in products: the time spent inside the layer products' gemm calls during real steps
(nanoTime around each call) / the same steps' time; in parentheses the recorded calls replayed alone back to back /
the median step time.
"""
import json
import os
import sys

TARGETS = {"iwae50x20": 1.3, "iwae50x100": 1.3, "vae1x20": 2.0}
ORDER = ["iwae50x20", "iwae50x100", "vae1x20"]


def load_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def fmt(x, digits=2):
    return "–" if x is None else f"{x:.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "–"


def pct(a, b):
    return f"{100 * a / b:.0f}%" if a is not None and b else "–"


def main(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    rows = load_lines(os.path.join(d, "dgm4j.jsonl")) + load_lines(os.path.join(d, "torch.jsonl"))
    env = {r["impl"]: r for r in rows if r["kind"] == "env"}
    gemm = [r for r in rows if r["kind"] == "gemm"]
    train = {(r["impl"], r["work"]): r for r in rows if r["kind"] == "train"}
    products = {r["work"]: r for r in rows if r["kind"] == "products"}
    parts = {r["work"]: r for r in rows if r["kind"] == "parts"}

    best = max(gemm, key=lambda r: r["gflops_best"]) if gemm else None
    speed = best["gflops_best"] * 1e9 if best else None

    title = "VAE / IWAE training step: dgm4j vs PyTorch, " + meta["date"]
    title += " — QUICK smoke run (noisy, few steps)" if meta["quick"] else " — full run"
    out = [f"#### {title}", ""]
    dj, tj = env.get("dgm4j", {}), env.get("torch", {})
    if dj:
        out.append(f"- dgm4j: {dj.get('java')}; {dj.get('numerics')}")
    if tj:
        pools = "; ".join(f"{p.get('internal_api')} {p.get('version')} {p.get('threading_layer')} "
                          f"{p.get('architecture')}, num_threads={p.get('num_threads')}"
                          for p in tj.get("threadpool_info", []))
        out.append(f"- PyTorch {tj.get('torch')} (/usr/bin/python3, Python {tj.get('python')}); "
                   f"torch threads {tj.get('torch_threads')}; {tj.get('thread_control')}: {pools}")
    out.append(f"- settings: {meta['settings']}; OPENBLAS_*/OMP_* environment: {meta['env'] or 'none set'}")
    out.append(f"- load average before/after: {meta['load_before']} / {meta['load_after']} (2 vCPUs)")
    out.append("")
    out.append("Seconds per epoch of MNIST's 60,000 training images, single thread, **extrapolated** from timed steps "
               "(median chunk × 60,000/batch steps); ratios above 1: dgm4j is faster. Roofline = the epoch's "
               "layer-product FLOPs at the best single-thread GEMM speed of the run.")
    out.append("")
    out.append("| work | dgm4j s/epoch | PyTorch s/epoch | PyTorch/dgm4j | target | roofline s | dgm4j/roofline | "
               "PyTorch/roofline | share of dgm4j step in products |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for w in ORDER:
        a, b = train.get(("dgm4j", w)), train.get(("torch", w))
        if not a and not b:
            continue
        label = (a or b)["label"]
        steps = (a or b)["steps"]
        per_epoch = (a or b)["steps_per_epoch"]
        p = products.get(w)
        roof = p["dense_flops"] * per_epoch / speed if p and speed else None
        ta, tb = a and a["s_epoch"], b and b["s_epoch"]
        share = "–"
        if p:
            share = f"{pct(p['s_dense_in_step'], p['s_step_with_timers'])} " \
                    f"(alone {pct(p['s_dense_alone'], a['s_per_step_median'] if a else None)})"
        tgt = TARGETS.get(w)
        met = ""
        if ta and tb and tgt:
            met = " met" if tb / ta >= tgt else " not met"
        out.append(f"| {label} ({steps} steps of {per_epoch}) | {fmt(ta)} | {fmt(tb)} | {ratio(tb, ta)} | "
                   f"≥ {tgt}x{met} | {fmt(roof)} | {ratio(ta, roof)} | {ratio(tb, roof)} | {share} |")
    out.append("")
    if best:
        allg = ", ".join(f"{r['impl']} {r['shape']} {r['gflops']:.1f} (best {r['gflops_best']:.1f})" for r in gemm)
        out.append(f"GEMM speed for the roofline: {best['gflops_best']:.1f} GFLOP/s ({best['impl']} {best['shape']}, "
                   f"fastest sample). All single-thread GEMM measurements, GFLOP/s from the median sample: {allg}.")
        out.append("")

    out.append("Chunk spread (ms per step, min–max over the timed chunks) and the loss, as a check that both sides "
               "train the same model the same way (mean of -L over the timed steps; the two runs see different "
               "random numbers):")
    out.append("")
    out.append("| work | dgm4j ms/step | PyTorch ms/step | dgm4j loss | PyTorch loss |")
    out.append("|---|---|---|---|---|")
    for w in ORDER:
        a, b = train.get(("dgm4j", w)), train.get(("torch", w))
        if not a and not b:
            continue

        def spread(r):
            return f"{1e3 * r['s_per_step_median']:.2f} ({1e3 * min(r['s_per_step_chunks']):.2f}–" \
                   f"{1e3 * max(r['s_per_step_chunks']):.2f})" if r else "–"

        def lossinfo(r):
            return f"{r['loss_timed_mean']:.1f} (first step {r['loss_first']:.1f}, {r['steps_before_timing']} " \
                   f"steps before timing)" if r else "–"
        out.append(f"| {(a or b)['label']} | {spread(a)} | {spread(b)} | {lossinfo(a)} | {lossinfo(b)} |")
    out.append("")

    if products or parts:
        out.append("Where dgm4j's step goes (ms per step). Products: the layer products' gemm calls (count, GFLOP per "
                   "step) timed inside real steps and replayed alone; \"other BLAS\": dgm4j's rank-1 bias broadcasts "
                   "and ones-vector column sums. Parts: a replica of `VaeTrainingTask.step` timed in its parts "
                   "(another run of the same step: its total differs a little from the table's).")
        out.append("")
        out.append("| work | step | layer products in step | GFLOP/step | their GFLOP/s | products alone | "
                   "other BLAS in step | minibatch | noise | forward | backward | Adam | parts total |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for w in ORDER:
            p, q, a = products.get(w), parts.get(w), train.get(("dgm4j", w))
            if not p and not q:
                continue

            def ms(x):
                return f"{1e3 * x:.2f}" if x is not None else "–"
            label = (a or {}).get("label", w)
            step = a["s_per_step_median"] if a else None
            if p:
                prod = f"{ms(p['s_dense_in_step'])} ({p['dense_calls']} calls)"
                gf = f"{p['dense_flops'] / 1e9:.3f}"
                rate = f"{p['dense_flops'] / p['s_dense_in_step'] / 1e9:.1f}"
                alone, other = ms(p["s_dense_alone"]), f"{ms(p['s_other_in_step'])} ({p['other_calls']} calls)"
            else:
                prod = gf = rate = alone = other = "–"
            cols = [ms(q[k]) if q else "–" for k in ("s_minibatch", "s_noise", "s_forward", "s_backward", "s_adam",
                                                     "s_total")]
            out.append(f"| {label} | {ms(step)} | {prod} | {gf} | {rate} | {alone} | {other} | " + " | ".join(cols) + " |")
        out.append("")
        for w in ORDER:
            p = products.get(w)
            if not p or "call_us" not in p:
                continue
            calls = []
            for c, us in zip(p["calls"], p["call_us"]):
                m, n, k = (int(v) for v in c.split()[0].split("x"))
                rate = f"{2 * m * n * k / us / 1e3:.0f} GFLOP/s" if min(m, n, k) > 1 else "rank-1/vector"
                calls.append((us, f"{c} {us:.0f} µs ({rate})"))
            calls.sort(reverse=True)
            out.append(f"- {train.get(('dgm4j', w), {}).get('label', w)}, slowest gemm calls replayed alone "
                       f"(m×n×k of C = op(A) op(B), +C: beta 1): " + "; ".join(t for _, t in calls[:6])
                       + f"; all {len(calls)} calls {sum(u for u, _ in calls) / 1e3:.2f} ms.")
        out.append("")
        if products:
            check = all(abs(p["dense_flops"] - p["expected_dense_flops"]) <= 1e-6 * p["expected_dense_flops"]
                        for p in products.values())
            out.append("Layer-product FLOPs recorded from the gemm calls " + ("equal" if check else "**differ from**")
                       + " the count by hand: 2·(B·(3·216,800 − 156,800) + B·k·3·206,800) per step (encoder 784-200-"
                       "200-(50+50) on B rows, decoder 50-200-200-784 on B·k rows; forward, dW and dx, no dx for the "
                       "data).")
            out.append("")
    kernels = [r for r in rows if r["kind"] == "kernel"]
    if kernels:
        kd = {(r["impl"], r["name"]): r for r in kernels}
        names = list(dict.fromkeys(r["name"] for r in kernels))
        out.append("The step's main non-product kernels alone, at the IWAE k=50, batch 20 shapes (1000 sample rows; "
                   "dgm4j: `VaeBenchmark.kernels`, PyTorch: the training loop's own expressions), µs per call and ns "
                   "per element (medians; the PyTorch/dgm4j ratio above 1: dgm4j is faster):")
        out.append("")
        out.append("| kernel | elements | dgm4j µs | dgm4j ns/el | PyTorch µs | PyTorch ns/el | PyTorch/dgm4j |")
        out.append("|---|---|---|---|---|---|---|")
        for n in names:
            a, b = kd.get(("dgm4j", n)), kd.get(("torch", n))
            el = (a or b)["elements"]
            out.append(f"| {n.replace('|', chr(92) + '|')} | {el:,} | {fmt(a and a['us'], 1)} | "
                       f"{fmt(a and a['ns_per_element'])} | {fmt(b and b['us'], 1)} | {fmt(b and b['ns_per_element'])} | "
                       f"{ratio(b and b['us'], a and a['us'])} |")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])

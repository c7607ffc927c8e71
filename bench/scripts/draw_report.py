#!/usr/bin/python3
"""Turns one bench/run-draw.sh result directory into the Markdown tables of bench/README.md ("DRAW training").

Reads: dgm4j.jsonl (dgm4j.bench.DrawBenchmark), torch.jsonl (bench/scripts/draw_reference.py), meta.json and
busy-before.txt / busy-after.txt (run-draw.sh).

Seconds per step: each round's median chunk; the table gives the median over the rounds (and each round's figure).
Ratio = PyTorch's seconds per step / dgm4j's (above 1: dgm4j is faster), of the medians and per round.
Roofline = the step's layer-product FLOPs (recorded from dgm4j's gemm calls, checked against the count by hand) / the
best single-thread GEMM speed measured in the run (fastest sample of S1..S4 through dgm4j's gemm or torch.mm): the
time the products alone would take; "roofline share" = that time / the measured step time.
Epoch = the median seconds per step x 600 steps (60,000 images / batch 100): extrapolated, not a whole epoch.
"""
import json
import os
import statistics
import sys

ORDER = ["attention", "no-attention"]
TARGET = 1.3


def load_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def ms(x):
    return "–" if x is None else f"{1e3 * x:.0f}"


def main(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    rows = load_lines(os.path.join(d, "dgm4j.jsonl")) + load_lines(os.path.join(d, "torch.jsonl"))
    envs = {}
    for r in rows:
        if r["kind"] == "env":
            envs.setdefault(r["impl"], r)
    gemm = [r for r in rows if r["kind"] == "gemm"]
    train = {}
    for r in rows:
        if r["kind"] == "train":
            train.setdefault((r["impl"], r["work"]), []).append(r)
    products = {r["work"]: r for r in rows if r["kind"] == "products"}
    parts = {(r["impl"], r["work"]): r for r in rows if r["kind"] == "parts"}
    best = max(gemm, key=lambda r: r["gflops_best"]) if gemm else None
    speed = best["gflops_best"] * 1e9 if best else None

    title = "DRAW training step: dgm4j vs PyTorch, " + meta["date"]
    title += " — QUICK smoke run (noisy, few steps)" if meta["quick"] else " — full run"
    out = [f"#### {title}", ""]
    dj, tj = envs.get("dgm4j", {}), envs.get("torch", {})
    if dj:
        out.append(f"- dgm4j: {dj.get('java')}; {dj.get('numerics')}")
    if tj:
        pools = "; ".join(f"{p.get('internal_api')} {p.get('version')} {p.get('threading_layer')} "
                          f"{p.get('architecture')}, num_threads={p.get('num_threads')}"
                          for p in tj.get("threadpool_info", []))
        out.append(f"- PyTorch {tj.get('torch')} (/usr/bin/python3, Python {tj.get('python')}); torch threads "
                   f"{tj.get('torch_threads')}; {tj.get('thread_control')}: {pools}; LSTM: {tj.get('lstm')}")
    out.append(f"- settings: {meta['settings']}; OPENBLAS_*/OMP_* environment: {meta['env'] or 'none set'}")
    loads = [f"{r['impl']} {r['work']} r{r['round']} {r['loadavg_before'].split()[0]}"
             for k in sorted(train) for r in sorted(train[k], key=lambda r: r["round"])]
    out.append(f"- load average (1/5/15 min) before/after the run: {meta['load_before']} / {meta['load_after']} "
               f"(2 vCPUs); 1-min load at the start of each timed work: {', '.join(loads)}")
    busy = os.path.join(d, "busy-before.txt")
    if os.path.exists(busy):
        others = [l.split(None, 3) for l in open(busy) if l.strip()]
        others = [f"{o[3][:90]} (nice {o[1]}, {o[2]}% CPU)" for o in others if len(o) == 4 and float(o[2]) >= 20]
        if others:
            out.append("- busiest processes when the run started (ps, CPU share since each started): " + "; ".join(others))
    out.append("")

    for c in [r for r in rows if r["kind"] == "check" and r["impl"] == "torch"]:
        f = c["float32"]
        errs = ", ".join(f"{k} {v:.1e}" for k, v in f["rel_error"].items())
        out.append(f"Check, PyTorch LSTM {c['lstm']} (same weights, batch and noise, from dgm4j's file; "
                   f"{c['architecture']} DRAW, batch {c['batch']}): loss dgm4j {c['dgm4j']['loss']:.5f}, PyTorch float32 "
                   f"{f['loss']:.5f}; relative differences {errs}; largest gradient difference "
                   f"{f['max_gradient_rel_error']:.1e} of the tensor's largest entry ({f['worst_gradient']}; float64 "
                   f"PyTorch: {c['float64']['max_gradient_rel_error']:.1e}); compared: {', '.join(c.get('compared', []))}. "
                   + ("**Agree.**" if c["agree"] else "**DISAGREE.**"))
        out.append("")

    out.append(f"Seconds per training step (batch 100: minibatch + dynamic binarization, forward over T = 64, "
               f"backpropagation through time, clipping, Adam), single thread; median chunk of each round, median over "
               f"the rounds. Ratio above 1: dgm4j is faster (target ≥ {TARGET}x). Roofline = the step's product FLOPs at "
               f"the best single-thread GEMM speed of the run. Epoch = 600 steps, **extrapolated**.")
    out.append("")
    out.append("| work | dgm4j s/step | PyTorch s/step | PyTorch/dgm4j (rounds) | CPU-time ratio | GFLOP/step | "
               "roofline s/step | roofline share dgm4j / PyTorch | epoch s dgm4j / PyTorch |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for w in ORDER:
        a, b = train.get(("dgm4j", w), []), train.get(("torch", w), [])
        if not a and not b:
            continue
        label = (a or b)[0]["label"]
        ta = statistics.median(r["s_per_step_median"] for r in a) if a else None
        tb = statistics.median(r["s_per_step_median"] for r in b) if b else None
        ca = statistics.median(r["cpu_s_per_step_median"] for r in a) if a else None
        cb = statistics.median(r["cpu_s_per_step_median"] for r in b) if b else None
        rounds = {r["round"]: r["s_per_step_median"] for r in a}
        per_round = " / ".join(f"{t['s_per_step_median'] / rounds[t['round']]:.2f}"
                               for t in sorted(b, key=lambda r: r["round"]) if t["round"] in rounds)
        p = products.get(w)
        flops = p["dense_flops"] if p else None
        roof = flops / speed if flops and speed else None
        ratio = f"**{tb / ta:.2f}x** ({per_round})" if ta and tb else "–"
        cratio = f"{cb / ca:.2f}x" if ca and cb else "–"
        share = (f"{100 * roof / ta:.0f}% / {100 * roof / tb:.0f}%" if roof and ta and tb else "–")
        per_epoch = (a or b)[0]["steps_per_epoch"]
        epoch = f"{ta * per_epoch:.0f} / {tb * per_epoch:.0f}" if ta and tb else "–"
        steps = (a or b)[0]["steps"]
        fl = f"{flops / 1e9:.1f}" if flops else "–"
        rf = f"{roof:.3f}" if roof else "–"
        out.append(f"| {label} ({len(a)}+{len(b)} rounds of {steps} steps) | {ta or float('nan'):.3f} | "
                   f"{tb or float('nan'):.3f} | {ratio} | {cratio} | {fl} | {rf} | {share} | {epoch} |")
    out.append("")
    if best:
        allg = ", ".join(f"{r['impl']} {r['shape']} {r['gflops']:.1f} (best {r['gflops_best']:.1f})" for r in gemm)
        out.append(f"GEMM speed for the roofline: {best['gflops_best']:.1f} GFLOP/s ({best['impl']} {best['shape']}, "
                   f"fastest sample). All single-thread GEMM measurements of the run, GFLOP/s of the median sample: {allg}.")
        out.append("")

    out.append("Chunk spread (ms per step, min–max over all timed chunks of all rounds), CPU time per step (process "
               "CPU seconds / steps: the step's thread plus JIT and GC threads; below the wall time when the process "
               "waits for a CPU), and the loss over the timed steps (both sides start from the same initialisation "
               "scheme and see different random numbers):")
    out.append("")
    out.append("| work | dgm4j ms/step | dgm4j CPU ms/step | PyTorch ms/step | PyTorch CPU ms/step | dgm4j loss | PyTorch loss |")
    out.append("|---|---|---|---|---|---|---|")
    for w in ORDER:
        a, b = train.get(("dgm4j", w), []), train.get(("torch", w), [])
        if not a and not b:
            continue

        def spread(rs):
            if not rs:
                return "–"
            ch = [x for r in rs for x in r["s_per_step_chunks"]]
            return f"{ms(statistics.median(r['s_per_step_median'] for r in rs))} ({ms(min(ch))}–{ms(max(ch))})"

        def cpu(rs):
            return ms(statistics.median(r["cpu_s_per_step_median"] for r in rs)) if rs else "–"

        def loss(rs):
            if not rs:
                return "–"
            each = sorted({f"{r['loss_timed_mean']:.1f}" for r in rs})
            same = " (every round: same seeds)" if len(each) == 1 and len(rs) > 1 else ""
            return f"{' / '.join(each)}{same}, first step {rs[0]['loss_first']:.0f}, " \
                   f"{rs[0]['steps_before_timing']} steps before timing"
        out.append(f"| {(a or b)[0]['label']} | {spread(a)} | {cpu(a)} | {spread(b)} | {cpu(b)} | {loss(a)} | {loss(b)} |")
    out.append("")

    if products or parts:
        out.append("Where the step goes (ms per step). dgm4j products: its layer products' gemm calls timed inside real "
                   "steps (nanoTime around each call), and the recorded calls replayed alone back to back; \"other "
                   "BLAS\": rank-1 bias broadcasts and ones-vector column sums. Parts: a replica of each side's step "
                   "timed in its parts (another run: totals differ a little from the table's; PyTorch's forward "
                   "includes its noise draws, its backward zero_grad).")
        out.append("")
        out.append("| work | side | step | products in step (calls, GFLOP/s) | products alone | other BLAS | minibatch | "
                   "noise | forward | backward | clip | Adam | parts total |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for w in ORDER:
            for impl in ("dgm4j", "torch"):
                q, rs = parts.get((impl, w)), train.get((impl, w), [])
                p = products.get(w) if impl == "dgm4j" else None
                if not q and not p:
                    continue
                step = statistics.median(r["s_per_step_median"] for r in rs) if rs else None
                if p:
                    prod = f"{ms(p['s_dense_in_step'])} ({p['dense_calls']}, {p['dense_flops'] / p['s_dense_in_step'] / 1e9:.0f})"
                    alone, other = ms(p["s_dense_alone"]), f"{ms(p['s_other_in_step'])} ({p['other_calls']})"
                else:
                    prod = alone = other = "–"
                cols = [ms(q.get(k)) if q else "–" for k in ("s_minibatch", "s_noise", "s_forward", "s_backward",
                                                              "s_clip", "s_adam", "s_total")]
                name = "dgm4j" if impl == "dgm4j" else "PyTorch"
                out.append(f"| {w} | {name} | {ms(step)} | {prod} | {alone} | {other} | " + " | ".join(cols) + " |")
        out.append("")
        for w in ORDER:
            p = products.get(w)
            if not p:
                continue
            top = sorted(p["shapes"].items(), key=lambda kv: -kv[1][1])[:5]
            shapes = "; ".join(f"{k} ×{int(v[0])} ({v[1] / 1e9:.2f} GFLOP)" for k, v in top)
            check = abs(p["dense_flops"] - p["expected_dense_flops"]) <= 1e-6 * p["expected_dense_flops"]
            out.append(f"- {w}: {p['dense_flops'] / 1e9:.2f} GFLOP of layer products per step "
                       + ("(equal to the count by hand)" if check else "(**differs from the count by hand**)")
                       + f", largest by FLOPs (m×n×k of C = op(A) op(B), +C: beta 1): {shapes}; "
                       f"the attention's per-example products (not BLAS, not in the roofline): "
                       f"{p['attention_flops'] / 1e9:.2f} GFLOP.")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])

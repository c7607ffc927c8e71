#!/usr/bin/python3
"""Turns one bench/run-rbm.sh result directory into the Markdown tables of bench/README.md ("RBM training and AIS").

Reads: dgm4j.jsonl (dgm4j.bench.RbmBenchmark), torch.jsonl and sklearn.jsonl (bench/scripts/rbm_reference.py),
meta.json (run settings, written by run-rbm.sh).

Roofline = the epoch's (or the AIS run's) matrix products alone, each at the single-thread speed measured in the same
run for its shape (the faster of dgm4j's gemm and torch.mm, fastest sample: other load only ever slows a sample down):
the time to beat with these products on this machine.
Products per update of 100 examples (op shapes 100x784x500, 2*100*784*500 = 78.4 MFLOP each), as dgm4j computes them:
  CD-1:  v0 W, h W^T, v W (3 "forward"), v0^T p(h|v0), v^T p(h|v) (2 gradient)             = 5
  PCD-1: as CD-1 plus chains W (p(h|chains) with the updated weights, before the Gibbs step)  = 6
  AIS:   per step x = v W (weight and h), then h W^T (not after the last beta)               = 2 per step
scikit-learn's BernoulliRBM keeps the chains' hidden samples instead, so its PCD-1 does 5 products per update.
"""
import json
import os
import sys

FLOP = 2.0 * 100 * 784 * 500
# products per unit of work: (NN, NT, TN)
COUNTS = {
    "CD-1": (2, 1, 2),
    "PCD-1": (3, 1, 2),
}
AIS_STEPS = 14_500


def load_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def cell(text):
    """Text for a Markdown table cell (a | inside, as in p(h|v), would split the cell)."""
    return text.replace("|", "\\|")


def fmt(x, digits=2):
    return "–" if x is None else f"{x:.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "–"


def main(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    rows = load_lines(os.path.join(d, "dgm4j.jsonl")) + load_lines(os.path.join(d, "torch.jsonl")) \
        + load_lines(os.path.join(d, "sklearn.jsonl"))
    env = {r["impl"]: r for r in rows if r["kind"] == "env"}
    gemm = {(r["impl"], r["shape"], r.get("dtype", "float32")): r for r in rows if r["kind"] == "gemm"}
    epochs = {(r["impl"], r["algo"].split(" ")[0]): r for r in rows if r["kind"] == "epoch"}
    ais = {r["impl"]: r for r in rows if r["kind"] == "ais"}
    parts = [r for r in rows if r["kind"] == "ais-part"]
    uparts = [r for r in rows if r["kind"] == "update-part"]

    def best(shape):
        c = [gemm[k]["s_min"] for k in ((("dgm4j", shape, "float32")), ("torch", shape, "float32")) if k in gemm]
        return min(c) if c else None

    def own(impl, shape):
        g = gemm.get((impl, shape, "float32"))
        return g["s_min"] if g else None

    shapes = ("NN", "NT", "TN")
    roof = {}
    if all(best(s) for s in shapes):
        for algo, cnt in COUNTS.items():
            roof[algo] = 500 * sum(c * best(s) for c, s in zip(cnt, shapes))
        roof["AIS"] = AIS_STEPS * best("NN") + (AIS_STEPS - 1) * best("NT")

    p = print
    label = "QUICK smoke run (noisy; partial AIS, extrapolated)" if meta["quick"] else "full run"
    p(f"### RBM training and AIS: dgm4j vs PyTorch vs scikit-learn, {meta['date']} — {label}")
    p()
    je, te, se = env.get("dgm4j", {}), env.get("torch", {}), env.get("sklearn", {})
    p(f"- dgm4j: {je.get('java', '?')}; {je.get('numerics', '?')}; "
      f"{je.get('warmup_epochs', '?')} warm-up + {je.get('epochs', '?')} timed epochs (median)")
    p(f"- PyTorch {te.get('torch', '?')}, scikit-learn {se.get('sklearn', '?')}, NumPy {se.get('numpy', '?')} "
      f"({te.get('executable', se.get('executable', '?'))}); single thread via {te.get('thread_control', '?')}")
    blas = {x.get("filepath"): x for e in (te, se) for x in e.get("threadpool_info", []) if x.get("user_api") == "blas"}
    for path, x in blas.items():
        p(f"- BLAS of torch and numpy (threadpool_info): {x.get('internal_api')} {x.get('version')} "
          f"{x.get('threading_layer', '')} {x.get('architecture', '')}, num_threads={x.get('num_threads')} ({path})")
    p(f"- settings: {meta['settings']}; OPENBLAS_*/OMP_* environment: {meta.get('env') or 'none set'}; "
      f"load average before/after: {meta['load_before']} / {meta['load_after']}")
    p()
    p("Seconds, single thread (lower is better); ratios are other / dgm4j (above 1: dgm4j is faster); "
      "roofline = the products alone at the measured GEMM speed (the time to beat), and each time / roofline.")
    p()
    p("| work | dgm4j s | PyTorch s | sklearn f32 s | sklearn f64 s | PyTorch/dgm4j | sklearn f32/dgm4j "
      "| sklearn f64/dgm4j | roofline s | dgm4j/roofline | PyTorch/roofline |")
    p("|---|---|---|---|---|---|---|---|---|---|---|")
    names = {"CD-1": "CD-1 epoch (MNIST 50k, 784-500, batch 100)",
             "PCD-1": "PCD-1 epoch (100 chains)",
             "AIS": "AIS (14,501 betas x 100 runs)"}
    for key in ("CD-1", "PCD-1", "AIS"):
        if key == "AIS":
            j, t = ais.get("dgm4j"), ais.get("torch")
            jv, tv = (j["s_full"] if j else None), (t["s_full"] if t else None)
            s32 = s64 = None
            ext = (j and j["extrapolated"]) or (t and t["extrapolated"])
            name = names[key] + (f" — extrapolated from {j['betas'] if j else t['betas']} betas" if ext else "")
        else:
            j, t = epochs.get(("dgm4j", key)), epochs.get(("torch", key))
            jv, tv = (j["s_median"] if j else None), (t["s_median"] if t else None)
            s32 = s64 = None
            if key == "PCD-1":
                a, b = epochs.get(("sklearn-float32", "PCD-1")), epochs.get(("sklearn-float64", "PCD-1"))
                s32, s64 = (a["s_median"] if a else None), (b["s_median"] if b else None)
            name = names[key]
        r = roof.get(key)
        p(f"| {name} | {fmt(jv)} | {fmt(tv)} | {fmt(s32)} | {fmt(s64)} | {ratio(tv, jv)} | {ratio(s32, jv)} "
          f"| {ratio(s64, jv)} | {fmt(r)} | {ratio(jv, r)} | {ratio(tv, r)} |")
    p()
    p("scikit-learn: `BernoulliRBM(n_components=500, batch_size=100, learning_rate=0.05, n_iter=1).fit(X)` = one "
      "epoch of PCD-1 with 100 persistent chains (it stores their hidden samples: 5 products per update instead of "
      "dgm4j's 6), no momentum, no weight decay, on MNIST binarized once (it has no dynamic binarization); "
      "float32 X keeps float32 parameters, float64 X (what `fit` gets from most users) float64.")
    if roof:
        bits = ", ".join(f"{s} {FLOP / best(s) / 1e9:.1f}" for s in shapes)
        p(f"GEMM speed used for the roofline (GFLOP/s, fastest sample of dgm4j and torch per shape): {bits}.")
    g = ", ".join(f"{impl} {shape}{'' if dt == 'float32' else ' ' + dt} {r['gflops']:.1f}"
                  for (impl, shape, dt), r in sorted(gemm.items()))
    p(f"All GEMM measurements (GFLOP/s from the median sample, 100x784x500): {g}.")
    n64 = gemm.get(("numpy", "NN", "float64"))
    if n64:
        p(f"For scale: sklearn's 5 products per update in float64 at numpy's measured float64 speed take "
          f"{500 * 5 * n64['s_median']:.2f} s per epoch.")
    p()

    # where dgm4j's epoch goes
    if all(own("dgm4j", s) for s in shapes) and any(("dgm4j", a) in epochs for a in COUNTS):
        p("Where dgm4j's time goes (seconds per epoch, medians; products = the update's products at dgm4j's own "
          "gemm speed, fastest sample; the pieces sum to the total up to timer overhead):")
        p()
        p("| epoch | total | Minibatches.next (copy + dynamic binarization) | estimateGradient | of which products "
          "| estimateGradient beyond products | applyGradient (momentum, decay, W += velocity) |")
        p("|---|---|---|---|---|---|---|")
        for algo, cnt in COUNTS.items():
            e = epochs.get(("dgm4j", algo))
            if not e:
                continue
            prod = 500 * sum(c * own("dgm4j", s) for c, s in zip(cnt, shapes))
            pa = e["parts"]
            p(f"| {algo} | {e['s_median']:.2f} | {pa['next']:.3f} | {pa['estimateGradient']:.2f} | {prod:.2f} "
              f"| {pa['estimateGradient'] - prod:.2f} | {pa['applyGradient']:.3f} |")
        p()
    if uparts:
        total = sum(x["us_median"] for x in uparts)
        p(f"dgm4j CD-1 update, non-product pieces timed alone (µs per update; sum {total:.0f} µs = "
          f"{total * 500 / 1e6:.2f} s per 500-update epoch):")
        p()
        p("| piece | µs per update | s per epoch |")
        p("|---|---|---|")
        for x in uparts:
            p(f"| {cell(x['part'])} | {x['us_median']:.0f} | {x['us_median'] * 500 / 1e6:.3f} |")
        p()
    if parts:
        ref = [x for x in parts if x["part"].startswith("for reference")]
        parts = [x for x in parts if not x["part"].startswith("for reference")]
        total = sum(x["us_median"] for x in parts)
        j = ais.get("dgm4j")
        per_step = j["s_median"] / j["steps"] * 1e6 if j else None
        p(f"dgm4j AIS step, pieces timed alone (µs per step, 100 runs; sum {total:.0f} µs"
          + (f", measured whole step {per_step:.0f} µs" if per_step else "") + "):")
        p()
        p("| piece | µs | share of sum |")
        p("|---|---|---|")
        for x in parts:
            p(f"| {cell(x['part'])} | {x['us_median']:.0f} | {100 * x['us_median'] / total:.0f}% |")
        for x in ref:
            p(f"| {cell(x['part'])} | {x['us_median']:.0f} | (not part of the step) |")
        p()


if __name__ == "__main__":
    main(sys.argv[1])

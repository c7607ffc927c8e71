#!/usr/bin/python3
"""Turns one bench/run-gemm.sh result directory into the Markdown tables of bench/README.md.

Reads: java-env.json (BenchInfo), gemm-1t.json and gemm-2t.json (JMH -rf json, us/op), gibbs.json (JMH, ns/element),
torch.jsonl (bench/scripts/torch_reference.py), meta.json (run settings, written by run-gemm.sh).
GFLOP/s = 2*m*n*k / time. JMH figures are the median over all measurement iterations of all forks; PyTorch figures
the median over its samples. 2-thread figures are shown as the min-max range over iterations/samples (the 2 vCPUs are
shared and the scheduler sometimes packs both threads on one), ratios use medians.
"""
import ctypes
import json
import os
import statistics
import sys

SIZES = {  # m, n, k, description
    "S1": (100, 500, 784, "[100x784]·[784x500]"),
    "S2": (500, 784, 100, "[100x500]ᵀ·[100x784]"),
    "S3": (100, 1000, 500, "[100x500]·[500x1000]"),
    "S4": (5000, 200, 784, "[5000x784]·[784x200]"),
}


def load_json(path):
    with open(path) as f:
        return json.load(f)


def load_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


def raw_values(result):
    return [v for fork in result["primaryMetric"]["rawData"] for v in fork]


def jmh_gemm(path):
    """{(size, backend): (median, min, max) GFLOP/s}."""
    out = {}
    for r in load_json(path):
        size, backend = r["params"]["size"], r["params"]["backend"]
        unit = r["primaryMetric"]["scoreUnit"]
        assert unit == "us/op", unit
        m, n, k, _ = SIZES[size]
        g = [2.0 * m * n * k / (us * 1e-6) / 1e9 for us in raw_values(r)]
        out[(size, backend)] = (statistics.median(g), min(g), max(g))
    return out


UNSTABLE = 1.5  # max/min over measurement iterations above which a figure is flagged


def mark(t):
    """Median, flagged with a dagger when the iterations disagree by more than UNSTABLE x."""
    return f"{t[0]:.1f}" + ("†" if t[2] > UNSTABLE * t[1] else "")


def jmh_gibbs(path):
    out = {}
    for r in load_json(path):
        name = r["benchmark"].rsplit(".", 1)[1]
        assert r["primaryMetric"]["scoreUnit"] == "ns/op", r["primaryMetric"]["scoreUnit"]
        v = raw_values(r)
        out[(name, r["params"].get("kernels", "vector"))] = (statistics.median(v), min(v), max(v))
    return out


def openblas_kernel(libs):
    """Kernel (core) name reported by the OpenBLAS the JVM loaded (same CPU detection in this process)."""
    for path in libs:
        if os.path.basename(path).startswith("libopenblas") and os.path.exists(path):
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                return lib.openblas_get_config().decode()
            except (OSError, AttributeError):
                pass
    return "unknown"


def f1(x):
    return f"{x:.1f}"


def rng(t):
    return f"{t[1]:.0f}–{t[2]:.0f}"


def main(d):
    meta = load_json(os.path.join(d, "meta.json"))
    jenv = load_lines(os.path.join(d, "java-env.json"))[0]
    g1 = jmh_gemm(os.path.join(d, "gemm-1t.json"))
    g2 = jmh_gemm(os.path.join(d, "gemm-2t.json"))
    gibbs = jmh_gibbs(os.path.join(d, "gibbs.json"))
    torch_lines = load_lines(os.path.join(d, "torch.jsonl"))
    tenv = next(x for x in torch_lines if x["kind"] == "env")
    tg = {(x["size"], x["threads"]): (x["gflops_median"], x["gflops_min"], x["gflops_max"])
          for x in torch_lines if x["kind"] == "gemm"}
    tgibbs = [x for x in torch_lines if x["kind"] == "gibbs"]

    p = print
    label = "QUICK smoke run (noisy: shared machine, very short JMH settings)" if meta["quick"] else "full run"
    p(f"### dgm4j vs PyTorch, {meta['date']} — {label}")
    p()
    p(f"- JMH: {meta['jmh']}; PyTorch: {meta['torch_args']}")
    p(f"- Java: {jenv['java']}; dgm4j: {jenv['numerics']}; Vector API float lanes: {jenv['vectorFloatLanes']}")
    p(f"- dgm4j native BLAS: {openblas_kernel(jenv['nativeLibraries'])}")
    p(f"- PyTorch {tenv['torch']} ({tenv['executable']}), BLAS: {tenv['openblas_config']}")
    envs = meta.get("env") or "none set"
    p(f"- OPENBLAS_*/OMP_* environment: {envs}; load average before/after: {meta['load_before']} / {meta['load_after']}")
    p()
    p("Matrix products, GFLOP/s (2·m·n·k / time; medians; 2-thread columns are min–max ranges, ratios from medians).")
    p("Peak of this machine's FMA loop: 116.7 GFLOP/s for 1 core, 233.6 for 2.")
    p()
    p("| size | product | native 1T | vector 1T | PyTorch 1T | native/PyTorch 1T "
      "| native 2T | vector 2T | PyTorch 2T | native/PyTorch 2T |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    for s, (_, _, _, desc) in SIZES.items():
        n1, v1, t1 = g1.get((s, "native")), g1.get((s, "vector")), tg.get((s, 1))
        n2, v2, t2 = g2.get((s, "native")), g2.get((s, "vector")), tg.get((s, 2))
        cells = [s, desc,
                 mark(n1) if n1 else "–", mark(v1) if v1 else "–", mark(t1) if t1 else "–",
                 f"{n1[0] / t1[0]:.2f}" if n1 and t1 else "–",
                 rng(n2) if n2 else "–", rng(v2) if v2 else "–", rng(t2) if t2 else "–",
                 f"{n2[0] / t2[0]:.2f}" if n2 and t2 else "–"]
        p("| " + " | ".join(cells) + " |")
    p()
    p(f"† iterations (JMH) or samples (PyTorch) differ by more than {UNSTABLE}x: still warming up, or the machine was busy.")
    p()

    def best(group, prefix=""):
        c = [x for x in tgibbs if x["group"] == group and x["variant"].startswith(prefix)]
        return min(c, key=lambda x: x["ns_per_element_median"]) if c else None

    rows = [
        ("Gibbs half-step: sigmoid + Bernoulli sample", ("halfStep", "vector"), best("halfStep"),
         "RandomStream.sigmoidBernoulli(x, prob, sample)"),
        ("sigmoid alone", ("sigmoid", "vector"), best("part", "sigmoid"), "Elementwise.sigmoid(x, out)"),
        ("Bernoulli sample alone (given p)", ("bernoulli", "vector"), best("part", "bernoulli"),
         "RandomStream.bernoulli(p, sample)"),
    ]
    p("Elementwise, 100x500, single thread, ns per element (medians; lower is better).")
    p()
    p("| operation | dgm4j | dgm4j call | PyTorch (fastest form) | PyTorch form | PyTorch/dgm4j |")
    p("|---|---|---|---|---|---|")
    for name, key, t, call in rows:
        j = gibbs.get(key)
        if not j:
            continue
        tv = t["ns_per_element_median"] if t else None
        js = f"{j[0]:.2f}" + ("†" if j[2] > UNSTABLE * j[1] else "")
        p(f"| {name} | {js} | `{call}` | {tv:.2f} | `{t['variant']}` | {tv / j[0]:.2f}x |" if t
          else f"| {name} | {js} | `{call}` | – | – | – |")
    p()
    p("PyTorch half-step forms (ns/element, median): " + "; ".join(
        f"`{x['variant']}` {x['ns_per_element_median']:.2f}" for x in tgibbs if x["group"] == "halfStep") + ".")


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env bash
# dgm4j vs PyTorch: one joint-training epoch of a 784-500-1000 DBM by stochastic approximation (MNIST, batch 100,
# 10 mean-field sweeps, 100 persistent chains x 5 Gibbs sweeps), single thread, in one run: dgm4j, dgm4j with every
# product dense (-Ddgm4j.binaryProducts=false), PyTorch; prints the ratios.
#
#   bench/run-dbm.sh            full run: 3 rounds of a whole epoch (500 updates) each, ~6 minutes
#   QUICK=1 bench/run-dbm.sh    smoke run: 50 updates each, extrapolated to the epoch (~30 s)
#
# Overrides: ROUNDS (3), EPOCHS, UPDATES, MEAN_FIELD, OUT (result directory), SKIP_BUILD=1, MODEL (a trained DBM
# file to start from instead of a random DBM: its sampled states are sparse, as in real training). MNIST must be in the dgm4j data
# directory. Run it only on a quiet machine (compare `uptime` before and after; the load is recorded).
set -euo pipefail
if [[ -n "${MODEL:-}" ]]; then MODEL=$(realpath "$MODEL"); fi   # relative to the caller's directory
if (( ${ROUNDS:-3} < 1 )); then echo "ROUNDS must be at least 1" >&2; exit 2; fi
cd "$(dirname "$0")/.."

PY=/usr/bin/python3   # Debian's python3-torch
if [[ "${QUICK:-0}" == 1 ]]; then UPDATES=${UPDATES:-50}; else UPDATES=${UPDATES:-0}; fi
EPOCHS=${EPOCHS:-1}; MEAN_FIELD=${MEAN_FIELD:-10}
OUT=${OUT:-bench/target/results/dbm-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo ">> building core + bench (mvn -o -Pbench package -pl bench -am)" >&2
  mvn -q -o -Pbench package -DskipTests -pl bench -am >&2
fi
ARGS=(--epochs "$EPOCHS" --updates "$UPDATES" --mean-field "$MEAN_FIELD")
if [[ -n "${MODEL:-}" ]]; then ARGS+=(--model "$MODEL"); fi
cut -d' ' -f1-3 /proc/loadavg > "$OUT/load_before"
JAVA=(java --add-modules jdk.incubator.vector -Xms512m -Xmx4g -cp "bench/target/dgm4j-bench.jar:bench/target/lib/*")
# ROUNDS rounds, each running the three in turn, so that a slow spell of the machine (other tenants: PyTorch's epoch
# has measured 27.5-33.6 s on different minutes of the same day) falls on all of them; the report takes medians.
: > "$OUT/dgm4j.jsonl"; : > "$OUT/dgm4j-dense.jsonl"; : > "$OUT/torch.jsonl"
for round in $(seq "${ROUNDS:-3}"); do
  echo ">> round $round of ${ROUNDS:-3}" >&2
  "${JAVA[@]}" dgm4j.bench.DbmBenchmark "${ARGS[@]}" >> "$OUT/dgm4j.jsonl" 2> >(grep -v '^WARNING' >&2)
  # the same with every product dense (Blas.gemmBinaryLeft off): what the 0/1 products save
  "${JAVA[@]}" -Ddgm4j.binaryProducts=false dgm4j.bench.DbmBenchmark "${ARGS[@]}" >> "$OUT/dgm4j-dense.jsonl" \
    2> >(grep -v '^WARNING' >&2)
  (cd bench/scripts && "$PY" dbm_reference.py "${ARGS[@]}") >> "$OUT/torch.jsonl"
done
cut -d' ' -f1-3 /proc/loadavg > "$OUT/load_after"
"$PY" - "$OUT" <<'PYEOF' | tee "$OUT/results.md"
import json, os, statistics, sys
out = sys.argv[1]
runs = {}
for impl in ("dgm4j", "dgm4j-dense", "torch"):
    runs[impl] = [json.loads(line) for line in open(os.path.join(out, impl + ".jsonl"))]
    runs[impl] = [r for r in runs[impl] if r["kind"] == "dbm-epoch"]
load = open(os.path.join(out, "load_before")).read().strip(), open(os.path.join(out, "load_after")).read().strip()
med = {k: statistics.median(r["s_median"] for r in v) for k, v in runs.items()}
d = runs["dgm4j"][-1]
per = d["updates_per_epoch"]
print(f"| one joint-training epoch, 784-500-1000, single thread | median of {len(runs['torch'])} rounds, s (ms per update) "
      "| each round, s | PyTorch / this (medians) | PyTorch / this, each round |")
print("|---|---|---|---|---|")
for name, k in (("dgm4j (DbmTrainer)", "dgm4j"), ("dgm4j, every product dense (-Ddgm4j.binaryProducts=false)", "dgm4j-dense"),
                ("PyTorch (same step)", "torch")):
    each = " / ".join(f"{r['s_median']:.1f}" for r in runs[k])
    ratios = " / ".join(f"{t['s_median'] / r['s_median']:.2f}" for r, t in zip(runs[k], runs["torch"]))
    print(f"| {name} | {med[k]:.1f} ({1000 * med[k] / per:.1f}) | {each} | {med['torch'] / med[k]:.2f}x | {ratios} |")
ones = ", ".join(f"{k} {v:.2f}" for k, v in d["ones"].items())
print(f"\nspeed ratio (PyTorch / dgm4j, medians): {med['torch'] / med['dgm4j']:.2f}x; "
      f"{d['updates_timed']} of {per} updates timed per epoch; load before/after {load[0]} / {load[1]}")
print(f"fractions of ones at the end (data and the chains' states): {ones}")
PYEOF

#!/usr/bin/env bash
# dgm4j vs PyTorch: one joint-training epoch of a 784-500-1000 DBM by stochastic approximation (MNIST, batch 100,
# 10 mean-field sweeps, 100 persistent chains x 5 Gibbs sweeps), single thread, both in one run; prints the ratio.
#
#   bench/run-dbm.sh            full run: a whole epoch (500 updates) each, ~2-4 minutes on a quiet machine
#   QUICK=1 bench/run-dbm.sh    smoke run: 50 updates each, extrapolated to the epoch (~30 s)
#
# Overrides: EPOCHS, UPDATES, MEAN_FIELD, OUT (result directory), SKIP_BUILD=1. MNIST must be in the dgm4j data
# directory. Run it only on a quiet machine (compare `uptime` before and after; the load is recorded).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3   # Debian's python3-torch
if [[ "${QUICK:-0}" == 1 ]]; then UPDATES=${UPDATES:-50}; else UPDATES=${UPDATES:-0}; fi
EPOCHS=${EPOCHS:-1}; MEAN_FIELD=${MEAN_FIELD:-10}
OUT=${OUT:-bench/target/results/dbm-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo ">> building core + bench (mvn -o package -pl bench -am)" >&2
  mvn -q -o package -DskipTests -pl bench -am >&2
fi
ARGS=(--epochs "$EPOCHS" --updates "$UPDATES" --mean-field "$MEAN_FIELD")
cut -d' ' -f1-3 /proc/loadavg > "$OUT/load_before"
java --add-modules jdk.incubator.vector -Xms512m -Xmx4g -cp "bench/target/dgm4j-bench.jar:bench/target/lib/*" \
  dgm4j.bench.DbmBenchmark "${ARGS[@]}" > "$OUT/dgm4j.jsonl" 2> >(grep -v '^WARNING' >&2)
(cd bench/scripts && "$PY" dbm_reference.py "${ARGS[@]}") > "$OUT/torch.jsonl"
cut -d' ' -f1-3 /proc/loadavg > "$OUT/load_after"
"$PY" - "$OUT" <<'PYEOF' | tee "$OUT/results.md"
import json, os, sys
out = sys.argv[1]
rows = {}
for impl in ("dgm4j", "torch"):
    for line in open(os.path.join(out, impl + ".jsonl")):
        r = json.loads(line)
        if r["kind"] == "dbm-epoch":
            rows[impl] = r
load = open(os.path.join(out, "load_before")).read().strip(), open(os.path.join(out, "load_after")).read().strip()
d, t = rows["dgm4j"], rows["torch"]
print("| one joint-training epoch, 784-500-1000, single thread | seconds |")
print("|---|---|")
print(f"| dgm4j (DbmTrainer) | {d['s_median']:.1f} |")
print(f"| PyTorch (same step) | {t['s_median']:.1f} |")
print(f"\nspeed ratio (PyTorch / dgm4j): {t['s_median'] / d['s_median']:.2f}x; "
      f"{d['updates_timed']} of {d['updates_per_epoch']} updates timed; load before/after {load[0]} / {load[1]}")
PYEOF

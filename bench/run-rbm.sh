#!/usr/bin/env bash
# dgm4j vs PyTorch vs scikit-learn: one epoch of CD-1 and of PCD-1 (MNIST, 784-500, batch 100, dynamic binarization)
# and forward AIS (14,501 betas x 100 runs), single thread, all in one run; prints a Markdown table
# (bench/scripts/rbm_report.py) and keeps every raw file in the result directory.
#
#   bench/run-rbm.sh              full run (~6-8 minutes on a quiet machine: 1 warm-up + 5 timed epochs of each
#                                 trainer per implementation, 1 full AIS per implementation)
#   QUICK=1 bench/run-rbm.sh      smoke run (~2 minutes: 1 warm-up + 1 timed epoch, AIS on 726 betas extrapolated)
#
# Overrides: EPOCHS, WARMUP_EPOCHS, AIS_FACTOR (1 = the full standard schedule; < 1 = standardScaled, extrapolated),
# AIS_REPEATS, GEMM_MS, OUT (result directory, default bench/target/results/rbm-<date>), SKIP_BUILD=1.
# MNIST must be in the dgm4j data directory (DGM4J_DATA, else $XDG_CACHE_HOME/dgm4j, else ~/.cache/dgm4j).
# OPENBLAS_* variables are left as they are (and recorded); the Python side limits OpenBLAS with threadpoolctl.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3   # Debian's python3-torch, numpy and sklearn live here, not in the pyenv python first on PATH
QUICK=${QUICK:-0}
if [[ "$QUICK" == 1 ]]; then
  EPOCHS=${EPOCHS:-1}; WARMUP_EPOCHS=${WARMUP_EPOCHS:-1}; AIS_FACTOR=${AIS_FACTOR:-0.05}; AIS_REPEATS=${AIS_REPEATS:-1}
  GEMM_MS=${GEMM_MS:-30}
else
  EPOCHS=${EPOCHS:-5}; WARMUP_EPOCHS=${WARMUP_EPOCHS:-1}; AIS_FACTOR=${AIS_FACTOR:-1}; AIS_REPEATS=${AIS_REPEATS:-1}
  GEMM_MS=${GEMM_MS:-100}
fi
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/target/results/rbm-$STAMP}
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo ">> building core + bench (mvn -o -Pbench package -pl bench -am)" >&2
  mvn -q -o -Pbench package -DskipTests -pl bench -am >&2
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load)
COMMON=(--epochs "$EPOCHS" --warmup-epochs "$WARMUP_EPOCHS" --ais-factor "$AIS_FACTOR" --ais-repeats "$AIS_REPEATS"
        --gemm-ms "$GEMM_MS")

echo ">> dgm4j: RbmBenchmark ${COMMON[*]} (log: $OUT/dgm4j.log)" >&2
java --add-modules jdk.incubator.vector -Xms512m -Xmx2g -cp "bench/target/dgm4j-bench.jar:bench/target/lib/*" \
  dgm4j.bench.RbmBenchmark "${COMMON[@]}" > "$OUT/dgm4j.jsonl" 2> >(tee "$OUT/dgm4j.log" | grep -v '^WARNING' >&2)

echo ">> PyTorch: $PY bench/scripts/rbm_reference.py --part torch ${COMMON[*]}" >&2
"$PY" bench/scripts/rbm_reference.py --part torch "${COMMON[@]}" > "$OUT/torch.jsonl" 2> >(tee "$OUT/torch.log" >&2)

echo ">> scikit-learn: $PY bench/scripts/rbm_reference.py --part sklearn ${COMMON[*]}" >&2
"$PY" bench/scripts/rbm_reference.py --part sklearn "${COMMON[@]}" > "$OUT/sklearn.jsonl" \
  2> >(tee "$OUT/sklearn.log" >&2)

"$PY" - "$OUT/meta.json" "$QUICK" "$STAMP" "$LOAD_BEFORE" "$(load)" "${COMMON[*]}" <<'PYEOF'
import json, os, sys
path, quick, stamp, before, after, settings = sys.argv[1:]
env = ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith(("OPENBLAS", "OMP_", "GOTO")))
json.dump({"quick": quick == "1", "date": f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}",
           "load_before": before, "load_after": after, "settings": settings, "env": env}, open(path, "w"))
PYEOF

"$PY" bench/scripts/rbm_report.py "$OUT" | tee "$OUT/results.md"
echo ">> raw results in $OUT" >&2

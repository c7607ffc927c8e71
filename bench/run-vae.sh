#!/usr/bin/env bash
# dgm4j vs PyTorch: training steps of the 1-stochastic-layer IWAE (k=50, batch 20 and batch 100) and VAE (k=1,
# batch 20) on MNIST's 60,000 training images (784-200-200-50 tanh, dynamic binarization, Adam), single thread, in
# one run; epoch times extrapolated from a fixed number of steps; prints a Markdown table (bench/scripts/vae_report.py)
# with the roofline (layer-product FLOPs / the run's GEMM speed) and the share of dgm4j's step spent in products.
#
#   bench/run-vae.sh              full run (~6-8 minutes on a quiet machine: 300 steps of each k=50 work, 1500 of the
#                                 VAE, after >= 8 s of warm-up, per implementation)
#   QUICK=1 bench/run-vae.sh      smoke run (~2 minutes: 40 / 300 steps after 3 s of warm-up)
#
# Overrides: STEPS_K50, STEPS_VAE, CHUNKS, WARMUP_S, GEMM_MS, WORKS (iwae50x20,iwae50x100,vae1x20), OUT (result
# directory, default bench/target/results/vae-<date>), SKIP_BUILD=1, DGM4J_JAVA_OPTS (extra JVM options, e.g. JFR).
# MNIST must be in the dgm4j data directory (DGM4J_DATA, else $XDG_CACHE_HOME/dgm4j, else ~/.cache/dgm4j).
# OPENBLAS_* variables are left as they are (and recorded); the Python side limits OpenBLAS with threadpoolctl.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3   # Debian's python3-torch lives here, not in the pyenv python first on PATH
QUICK=${QUICK:-0}
if [[ "$QUICK" == 1 ]]; then
  STEPS_K50=${STEPS_K50:-40}; STEPS_VAE=${STEPS_VAE:-300}; WARMUP_S=${WARMUP_S:-3}; GEMM_MS=${GEMM_MS:-30}
else
  STEPS_K50=${STEPS_K50:-300}; STEPS_VAE=${STEPS_VAE:-1500}; WARMUP_S=${WARMUP_S:-8}; GEMM_MS=${GEMM_MS:-100}
fi
CHUNKS=${CHUNKS:-5}
WORKS=${WORKS:-iwae50x20,iwae50x100,vae1x20}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/target/results/vae-$STAMP}
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo ">> building core + bench (mvn -o -Pbench package -pl bench -am)" >&2
  mvn -q -o -Pbench package -DskipTests -pl bench -am >&2
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load)
top -bn1 | head -15 > "$OUT/top-before.txt" || true
COMMON=(--steps-k50 "$STEPS_K50" --steps-vae "$STEPS_VAE" --chunks "$CHUNKS" --warmup-s "$WARMUP_S"
        --gemm-ms "$GEMM_MS" --works "$WORKS")

echo ">> dgm4j: VaeBenchmark ${COMMON[*]} (log: $OUT/dgm4j.log)" >&2
# shellcheck disable=SC2086
java --add-modules jdk.incubator.vector -Xms512m -Xmx2g ${DGM4J_JAVA_OPTS:-} \
  -cp "bench/target/dgm4j-bench.jar:bench/target/lib/*" \
  dgm4j.bench.VaeBenchmark "${COMMON[@]}" > "$OUT/dgm4j.jsonl" 2> >(tee "$OUT/dgm4j.log" | grep -v '^WARNING' >&2)
LOAD_MID=$(load)

echo ">> PyTorch: $PY bench/scripts/vae_reference.py ${COMMON[*]}" >&2
"$PY" bench/scripts/vae_reference.py "${COMMON[@]}" > "$OUT/torch.jsonl" 2> >(tee "$OUT/torch.log" >&2)
top -bn1 | head -15 > "$OUT/top-after.txt" || true

"$PY" - "$OUT/meta.json" "$QUICK" "$STAMP" "$LOAD_BEFORE" "$LOAD_MID" "$(load)" "${COMMON[*]}" <<'PYEOF'
import json, os, sys
path, quick, stamp, before, mid, after, settings = sys.argv[1:]
env = ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith(("OPENBLAS", "OMP_", "GOTO")))
json.dump({"quick": quick == "1", "date": f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}",
           "load_before": before, "load_after": f"{mid} (after dgm4j) / {after} (after PyTorch)",
           "settings": settings, "env": env}, open(path, "w"))
PYEOF

"$PY" bench/scripts/vae_report.py "$OUT" | tee "$OUT/results.md"
echo ">> raw results in $OUT" >&2

#!/usr/bin/env bash
# dgm4j vs PyTorch: DRAW training steps at the paper's MNIST sizes (28x28, T=64, LSTMs 256, z 100; with attention
# read 2x2 / write 5x5, and without attention), batch 100, dynamic binarization, clipping at 1000, Adam 1e-3, single
# thread, in one run: first a check that both compute the same loss, gradients and Adam step from the same weights,
# batch and noise (DrawBenchmark --check, draw_reference.py --check), then ROUNDS rounds in which each side (a fresh
# JVM / Python process: warm-up, then STEPS timed steps of each work in CHUNKS chunks) runs in turn, the order
# alternating between rounds; then, once, dgm4j's products (counted and timed) and both sides' step parts. Prints a
# Markdown table (bench/scripts/draw_report.py) with the roofline (the step's product FLOPs / the run's GEMM speed)
# and the epoch time extrapolated to 600 steps (60,000 images).
#
#   bench/run-draw.sh            full run (3 rounds of 9 steps of each work per side; ~15 minutes on a machine
#                                whose other core is busy)
#   QUICK=1 bench/run-draw.sh    smoke run (1 round of 4 steps; ~5 minutes on the busy machine), noisy
#
# Overrides: ROUNDS, STEPS, CHUNKS, WARMUP_S, WARMUP_STEPS, GEMM_MS, WORKS (attention,no-attention), LSTM (cell or
# fused: the PyTorch LSTM, default cell = nn.LSTMCell; fused = dgm4j's one product for the four gates), CHECK=0 (skip
# the check), PROFILE=0 (skip products and parts), OUT (result directory, default bench/target/results/draw-<date>),
# SKIP_BUILD=1, DGM4J_JAVA_OPTS (extra JVM options, e.g. JFR). MNIST must be in the dgm4j data directory.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3   # Debian's python3-torch lives here, not in the pyenv python first on PATH
QUICK=${QUICK:-0}
if [[ "$QUICK" == 1 ]]; then
  ROUNDS=${ROUNDS:-1}; STEPS=${STEPS:-4}; CHUNKS=${CHUNKS:-2}; WARMUP_S=${WARMUP_S:-3}; WARMUP_STEPS=${WARMUP_STEPS:-2}
  GEMM_MS=${GEMM_MS:-30}
else
  ROUNDS=${ROUNDS:-3}; STEPS=${STEPS:-9}; CHUNKS=${CHUNKS:-3}; WARMUP_S=${WARMUP_S:-6}; WARMUP_STEPS=${WARMUP_STEPS:-3}
  GEMM_MS=${GEMM_MS:-100}
fi
WORKS=${WORKS:-attention,no-attention}
LSTM=${LSTM:-cell}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/target/results/draw-$STAMP}
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo ">> building core + bench (mvn -o -Pbench package -pl bench -am)" >&2
  mvn -q -o -Pbench package -DskipTests -pl bench -am >&2
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
# the busiest processes (pid, nice, %cpu, command name and its first arguments), to say what else was running
busy() { ps -eo pid=,ni=,pcpu=,args= --sort=-pcpu | head -8 | cut -c1-200; }
LOAD_BEFORE=$(load)
busy > "$OUT/busy-before.txt" || true
# shellcheck disable=SC2206
JAVA=(java --add-modules jdk.incubator.vector -Xms512m -Xmx2g ${DGM4J_JAVA_OPTS:-}
      -cp "bench/target/dgm4j-bench.jar:bench/target/lib/*" dgm4j.bench.DrawBenchmark)
COMMON=(--steps "$STEPS" --chunks "$CHUNKS" --warmup-s "$WARMUP_S" --warmup-steps "$WARMUP_STEPS" --gemm-ms "$GEMM_MS"
        --works "$WORKS")
: > "$OUT/dgm4j.jsonl"; : > "$OUT/torch.jsonl"
java_side() { "${JAVA[@]}" "$@" >> "$OUT/dgm4j.jsonl" 2> >(tee -a "$OUT/dgm4j.log" | grep -v '^WARNING' >&2); }
torch_side() { "$PY" bench/scripts/draw_reference.py --lstm "$LSTM" "$@" >> "$OUT/torch.jsonl" 2> >(tee -a "$OUT/torch.log" >&2); }

if [[ "${CHECK:-1}" == 1 ]]; then
  # the same computation: dgm4j writes a freshly initialised small DRAW (T=4, LSTMs 32/24, z 8, read 2x2, write 5x5),
  # 8 binarized images and the noise, with its loss, gradients and loss after one clipped Adam step; PyTorch recomputes
  echo ">> check: the same loss, gradients and Adam step from the same weights, batch and noise" >&2
  java_side --check "$OUT/check-small.safetensors" --check-arch small --check-batch 8
  for lstm in fused cell; do
    "$PY" bench/scripts/draw_reference.py --lstm "$lstm" --check "$OUT/check-small.safetensors" >> "$OUT/torch.jsonl" \
      || echo "!! the check FAILED ($lstm): see $OUT/torch.jsonl" >&2
  done
fi

for round in $(seq "$ROUNDS"); do
  only=train
  if [[ "$round" == 1 ]]; then only=gemm,train; fi
  if (( round % 2 == 1 )); then order=(java_side torch_side); else order=(torch_side java_side); fi
  for side in "${order[@]}"; do
    echo ">> round $round of $ROUNDS: ${side%_side} (load $(load))" >&2
    "$side" "${COMMON[@]}" --only "$only" --round "$round"
  done
done
if [[ "${PROFILE:-1}" == 1 ]]; then
  echo ">> once: dgm4j's products and step parts, PyTorch's step parts (load $(load))" >&2
  java_side "${COMMON[@]}" --only products,parts --round 0
  torch_side "${COMMON[@]}" --only parts --round 0
fi
busy > "$OUT/busy-after.txt" || true

"$PY" - "$OUT/meta.json" "$QUICK" "$STAMP" "$LOAD_BEFORE" "$(load)" "${COMMON[*]} --rounds $ROUNDS --lstm $LSTM" <<'PYEOF'
import json, os, sys
path, quick, stamp, before, after, settings = sys.argv[1:]
env = ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith(("OPENBLAS", "OMP_", "GOTO")))
json.dump({"quick": quick == "1", "date": f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}",
           "load_before": before, "load_after": after, "settings": settings, "env": env}, open(path, "w"))
PYEOF

"$PY" bench/scripts/draw_report.py "$OUT" | tee "$OUT/results.md"
echo ">> raw results in $OUT" >&2

#!/usr/bin/env bash
# dgm4j vs PyTorch: matrix products (JMH GemmBenchmark, 1 then 2 threads), the Gibbs half-step (JMH GibbsBenchmark)
# and the PyTorch reference (bench/scripts/torch_reference.py), all in one run; prints a Markdown table
# (bench/scripts/report.py) and keeps every raw file in the result directory.
#
#   bench/run-gemm.sh              full run (~7 minutes: 2 forks x 8 s per JMH case; the Vector API
#                                  code needs several seconds of warm-up before C2 has compiled it)
#   QUICK=1 bench/run-gemm.sh      smoke run (~2 minutes, numbers are noisy)
#
# Overrides: FORKS, WI, I, W, R (JMH forks, warm-up / measurement iterations and their durations), TORCH_ARGS,
# OUT (result directory, default bench/target/results/<date>), SKIP_BUILD=1.
# OPENBLAS_* variables are left as they are (and recorded).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3   # Debian's python3-torch and numpy live here, not in the pyenv python first on PATH
QUICK=${QUICK:-0}
if [[ "$QUICK" == 1 ]]; then
  FORKS=${FORKS:-1}; WI=${WI:-2}; I=${I:-2}; W=${W:-1s}; R=${R:-1s}
  TORCH_ARGS=${TORCH_ARGS:---warmup 0.3 --sample-ms 30 --repeats 5}
else
  FORKS=${FORKS:-2}; WI=${WI:-4}; I=${I:-4}; W=${W:-1s}; R=${R:-1s}
  TORCH_ARGS=${TORCH_ARGS:---warmup 1 --sample-ms 100 --repeats 21}
fi
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-bench/target/results/$STAMP}
mkdir -p "$OUT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo ">> building core + bench (mvn -o -Pbench package -pl bench -am)" >&2
  mvn -q -o -Pbench package -DskipTests -pl bench -am >&2
fi

JAVA=(java --add-modules jdk.incubator.vector -Xms256m -Xmx1g)
CP="bench/target/dgm4j-bench.jar:bench/target/lib/*"
JMH_OPTS=(-f "$FORKS" -wi "$WI" -i "$I" -w "$W" -r "$R" -foe true)
load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(load)

"${JAVA[@]}" -cp "$CP" dgm4j.bench.BenchInfo > "$OUT/java-env.json" 2>/dev/null

jmh() { # name, json file, extra JMH args...
  local name=$1 file=$2; shift 2
  echo ">> JMH $name $* (log: $OUT/$file.log)" >&2
  "${JAVA[@]}" -cp "$CP" org.openjdk.jmh.Main "$name" "${JMH_OPTS[@]}" "$@" -rf json -rff "$OUT/$file.json" \
    > "$OUT/$file.log" 2>&1 || { tail -40 "$OUT/$file.log" >&2; exit 1; }
}
jmh 'dgm4j.bench.GemmBenchmark' gemm-1t -p threads=1
jmh 'dgm4j.bench.GemmBenchmark' gemm-2t -p threads=2
jmh 'dgm4j.bench.GibbsBenchmark' gibbs

echo ">> PyTorch reference: $PY bench/scripts/torch_reference.py $TORCH_ARGS" >&2
# shellcheck disable=SC2086
"$PY" bench/scripts/torch_reference.py $TORCH_ARGS > "$OUT/torch.jsonl"

"$PY" - "$OUT/meta.json" "$QUICK" "$STAMP" "$LOAD_BEFORE" "$(load)" "${JMH_OPTS[*]}" "$TORCH_ARGS" <<'PYEOF'
import json, os, sys
path, quick, stamp, before, after, jmh, torch_args = sys.argv[1:]
env = ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith(("OPENBLAS", "OMP_", "GOTO")))
json.dump({"quick": quick == "1", "date": f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}",
           "load_before": before, "load_after": after, "jmh": jmh, "torch_args": torch_args, "env": env},
          open(path, "w"))
PYEOF

"$PY" bench/scripts/report.py "$OUT" | tee "$OUT/results.md"
echo ">> raw results in $OUT" >&2

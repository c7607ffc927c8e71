#!/usr/bin/env bash
# Issue 21: the IWAE paper's full protocol (Burda et al. 2015, ../shared/notes/reference-results.md), run in the background
# across sessions. Each call starts or resumes whichever run is next, in this order, single-threaded:
#   vae1-k1 (about 3 h here), dbm-full (about 3 h), iwae1-k5 (about 11 h), vae2-k5, iwae2-k5
# with the schedule paper:8 (3,280 epochs: stage i = 3^i epochs at 1e-3 * 10^(-i/7)), 60,000 training images, dynamic
# binarization, batch 20, Adam (0.9, 0.999, 1e-4); checkpoints every CHECKPOINT (default 10m), so a session that ends
# loses at most that much. A finished model is evaluated once with k = 5000 on all 10,000 test images (binarized once,
# seed 1) beside L_1, L_5, L_50, then the next run starts. Progress survives a new work tree: the runs live outside it,
# in RUNS (default $DGM4J_RUNS, else ~/.local/share/dgm4j/full-schedule). On a new machine the directory is empty and
# every run starts again from epoch 0 (the script says so).
#
# dbm-full is the DBM recipe of bench/experiments/dbm.sh (Salakhutdinov & Hinton 2009: 784-500-1000, 100 + 100
# pretraining epochs, 300 joint epochs on 50,000 images), whose README figure (-85.43) was measured before AIS fitted
# its base to the model's own chains and gave a verdict (issue 13): retrained here and evaluated once by `dgm eval ais`
# (forward and reverse, the verdict; NAME.ais.json). Its pretraining (~20 min) is not checkpointed: a session that ends
# inside it starts it again.
#
# Files per run NAME in RUNS: NAME.safetensors (model and checkpoint), NAME.csv (per-epoch monitors: training bound,
# held-out bound on 1,000 test images), NAME.segments.tsv (one line per call that ended: start, end, epochs, wall seconds),
# NAME.trained (training finished), NAME.nll.json (the k = 5000 evaluation; dbm-full: NAME.ais.json), NAME.train.log,
# NAME.nll.log (NAME.ais.log).
#   DGM=path/to/dgm   RUNS=dir   MODELS="vae1-k1 iwae1-k5" (a subset)   SCHEDULE=paper:8   CHECKPOINT=10m
#   STATUS=1: print where every run stands and exit
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-${DGM4J_RUNS:-$HOME/.local/share/dgm4j/full-schedule}}
SCHEDULE=${SCHEDULE:-paper:8}
CHECKPOINT=${CHECKPOINT:-10m}
ORDER="vae1-k1 dbm-full iwae1-k5 vae2-k5 iwae2-k5"
mkdir -p "$RUNS"

spec() {  # name -> objective layers k
  case $1 in
    vae1-k1) echo "vae 1 1" ;;   iwae1-k5) echo "iwae 1 5" ;;
    vae2-k5) echo "vae 2 5" ;;   iwae2-k5) echo "iwae 2 5" ;;
    dbm-full) echo "dbm - -" ;;
    *) echo "unknown run $1" >&2; exit 2 ;;
  esac
}

status() {
  for name in $ORDER; do
    f=$RUNS/$name
    if [[ -f $f.nll.json || -f $f.ais.json ]]; then state="evaluated"
    elif [[ -f $f.trained ]]; then state="trained, not yet evaluated"
    elif [[ -f $f.safetensors ]]; then state="in progress: $(($(wc -l < "$f.csv") - 1)) epochs logged"
    else state="not started"; fi
    # training time: the per-epoch seconds of the CSV log (a session that is stopped mid-run records no segment line)
    wall=0; [[ -f $f.csv ]] && wall=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "seconds") c = i; next} {s += $c} END {print s + 0}' "$f.csv")
    printf '%-9s %s (training time so far: %.1f h)\n' "$name" "$state" "$(awk -v w="$wall" 'BEGIN {print w / 3600}')"
  done
}
if [[ "${STATUS:-0}" == 1 ]]; then status; exit 0; fi

if [[ -z "${DGM:-}" ]]; then
  # Run from a frozen copy of the CLI: rebuilding the work tree (mvn install, ./dgm after an edit) must not replace
  # the jars under a JVM that has hours of training left.
  ./dgm --version >/dev/null 2>&1 || { echo "cannot build dgm4j" >&2; exit 1; }
  snap=$RUNS/cli-snapshot; rm -rf "$snap.new"; mkdir -p "$snap.new"
  cp cli/target/dgm4j-cli.jar "$snap.new/"; cp -r cli/target/lib "$snap.new/lib"
  if [[ -d $snap ]] && pgrep -f "$snap/" >/dev/null; then echo "a run from $snap is still going" >&2; exit 1; fi
  rm -rf "$snap"; mv "$snap.new" "$snap"
  DGM_CMD=(java --add-modules jdk.incubator.vector -XX:MaxDirectMemorySize=16g -cp "$snap/dgm4j-cli.jar:$snap/lib/*" dgm4j.cli.Main)
else
  DGM_CMD=("$DGM")
fi
"${DGM_CMD[@]}" data fetch mnist >/dev/null 2>&1
for name in ${MODELS:-$ORDER}; do
  read -r objective layers k < <(spec "$name")
  f=$RUNS/$name
  if [[ ! -f $f.trained ]]; then
    if [[ -f $f.safetensors ]]; then
      echo "$(date -Is) $name: resuming $f.safetensors"
      start=(--resume "$f.safetensors")
    else
      echo "$(date -Is) $name: no checkpoint in $RUNS: starting from epoch 0"
      start=(--force)
    fi
    t0=$(date +%s); e0=$( [[ -f $f.csv ]] && echo $(($(wc -l < "$f.csv") - 1)) || echo 0 )
    set +e
    if [[ $objective == dbm ]]; then
      "${DGM_CMD[@]}" train dbm --data mnist --hidden 500,1000 --threads 1 --seed 1 --chains 100 --gibbs-steps 5 \
        --mean-field-iterations 10 --lr 0.001 --lr-decay 1.000015 --weight-decay 0.0002 --sparsity-targets 0.2,0.1 \
        --pretrain-epochs 100 --epochs 300 --checkpoint-every "$CHECKPOINT" --out "$f.safetensors" --log "$f.csv" \
        --pictures "$f" "${start[@]}" >> "$f.train.log" 2>&1
    else
      "${DGM_CMD[@]}" train "$objective" --data mnist --layers "$layers" --k "$k" --schedule "$SCHEDULE" --threads 1 --seed 1 \
        --checkpoint-every "$CHECKPOINT" --out "$f.safetensors" --log "$f.csv" --pictures "$f" "${start[@]}" \
        >> "$f.train.log" 2>&1
    fi
    rc=$?
    set -e
    e1=$( [[ -f $f.csv ]] && echo $(($(wc -l < "$f.csv") - 1)) || echo 0 )
    printf '%s\t%s\t%s-%s\t%s\n' "$(date -d @"$t0" -Is)" "$(date -Is)" "$e0" "$e1" "$(($(date +%s) - t0))" >> "$f.segments.tsv"
    if [[ $rc != 0 ]]; then echo "$(date -Is) $name: training stopped (exit $rc); see $f.train.log" >&2; exit $rc; fi
    touch "$f.trained"
    echo "$(date -Is) $name: trained"
  fi
  if [[ $objective == dbm ]]; then
    if [[ ! -f $f.ais.json ]]; then
      echo "$(date -Is) $name: AIS forward and reverse, the verdict"
      "${DGM_CMD[@]}" eval ais "$f.safetensors" --data mnist --threads 1 --json "$f.ais.json.tmp" > "$f.ais.log" 2>&1
      mv "$f.ais.json.tmp" "$f.ais.json"
      echo "$(date -Is) $name: $(grep -v '\[' "$f.ais.log" | tail -n 2 | tr '\n' ' ')"
    fi
  elif [[ ! -f $f.nll.json ]]; then
    echo "$(date -Is) $name: evaluating with k = 5000 on all 10,000 test images"
    "${DGM_CMD[@]}" eval nll "$f.safetensors" --data mnist --k 5000 --bounds 1,5,50 --threads 1 --json "$f.nll.json.tmp" \
      > "$f.nll.log" 2>&1
    mv "$f.nll.json.tmp" "$f.nll.json"
    echo "$(date -Is) $name: $(grep -i 'nll\|log-likelihood' "$f.nll.log" | tail -n 2 | tr '\n' ' ')"
  fi
done
status

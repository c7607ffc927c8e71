#!/usr/bin/env bash
# The VAE / IWAE results of README.md (issue 5), one after another, single-threaded: MNIST (60,000 training images,
# dynamic binarization), the paper's architectures, Adam, the paper's schedule cut after stage 3 (paper:3 = 1 + 3 + 9
# = 13 epochs at 1e-3, 7.2e-4, 5.2e-4), batch 20; then the test NLL with k = 5000 (test set binarized once, seed 1),
# the bounds L_1, L_5, L_50 and the active units. Outputs in runs/exp/ (models, per-epoch CSV logs, pictures, logs,
# JSON results). About 100 minutes in all on this machine (k = 50 runs: ~15 minutes each to train).
#   DGM=path/to/dgm (default ./dgm)   SCHEDULE=paper:3   MODELS="vae1-k1 iwae1-k5 ..." (a subset)
#   EXAMPLES=N: measure on the first N test images only (k = 5000 on all 10,000 costs ~10 minutes per 1-layer model
#   on a quiet core, 50 million decoder passes)   EVAL_ONLY=1: measure models already trained
set -euo pipefail
cd "$(dirname "$0")/../.."
DGM=${DGM:-./dgm}
SCHEDULE=${SCHEDULE:-paper:3}
$DGM data fetch mnist
mkdir -p runs/exp
run() {
  name=$1; objective=$2; layers=$3; k=$4
  case " ${MODELS:-$name} " in *" $name "*) ;; *) return 0 ;; esac
  [[ "${EVAL_ONLY:-0}" == 1 ]] || $DGM train "$objective" --data mnist --layers "$layers" --k "$k" --schedule "$SCHEDULE" --threads 1 --seed 1 --force \
    --out runs/exp/$name.safetensors --log runs/exp/$name.csv --pictures runs/exp/$name 2>&1 | tee runs/exp/$name.train.log | grep -v '\['
  $DGM eval nll runs/exp/$name.safetensors --data mnist --k 5000 --bounds 1,5,50 --threads 1 --json runs/exp/$name.nll.json \
    ${EXAMPLES:+--examples $EXAMPLES} \
    2>&1 | tee runs/exp/$name.nll.log | grep -v '\['
}
run vae1-k1   vae  1 1
run iwae1-k5  iwae 1 5
run iwae1-k50 iwae 1 50
run vae1-k5   vae  1 5
run vae1-k50  vae  1 50
run iwae2-k5  iwae 2 5
run vae2-k5   vae  2 5

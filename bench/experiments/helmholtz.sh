#!/usr/bin/env bash
# The Helmholtz machine results of README.md, one after another, single-threaded: a 784-200-200 sigmoid belief net with
# a sigmoid recognition net on MNIST (the first 50,000 training images, dynamic binarization), Adam lr 0.003, batch 20,
# 50 epochs, trained by reweighted wake-sleep (k = 5, wake and sleep q-updates) and by plain wake-sleep; then the test
# NLL with k = 5000 on the first 1,000 test images (binarized once, seed 1) beside L_1, L_5, L_50. About 20 minutes in
# all on this machine. Outputs in runs/exp/ (models, per-epoch CSV logs, samples, logs, JSON results).
#   DGM=path/to/dgm (default ./dgm)   EPOCHS=50   EXAMPLES=1000 (empty: all 10,000)   MODELS="hm-rws5 hm-ws" (a subset)
set -euo pipefail
cd "$(dirname "$0")/../.."
DGM=${DGM:-./dgm}
EPOCHS=${EPOCHS:-50}
EXAMPLES=${EXAMPLES-1000}
$DGM data fetch mnist
mkdir -p runs/exp
run() {
  name=$1; shift
  case " ${MODELS:-$name} " in *" $name "*) ;; *) return 0 ;; esac
  $DGM train helmholtz --data mnist --layers 200,200 "$@" --lr 0.003 --epochs "$EPOCHS" --threads 1 --seed 1 --force \
    --out runs/exp/$name.safetensors --log runs/exp/$name.csv --pictures runs/exp/$name 2>&1 | tee runs/exp/$name.train.log | grep -v '\['
  $DGM eval nll runs/exp/$name.safetensors --data mnist --k 5000 --bounds 1,5,50 --threads 1 --json runs/exp/$name.nll.json \
    ${EXAMPLES:+--examples $EXAMPLES} 2>&1 | tee runs/exp/$name.nll.log | grep -v '\['
}
run hm-rws5 --algorithm rws --k 5
run hm-ws   --algorithm ws

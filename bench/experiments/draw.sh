#!/usr/bin/env bash
# DRAW on MNIST (Gregor et al. 2015, sec. 4.2): the paper's model, T = 64 steps, LSTMs of 256 units, z of 100, with a
# 2 x 2 read and 5 x 5 write attention, and the same without attention; the same number of epochs for both, Adam
# lr 0.001, batch 100, dynamic binarization of the 60,000 training images; then the test bound with the KL in closed form
# (the paper's figure: 80.97 nats with attention, 87.40 without) beside L_1, L_5 and L_50 on the test images (binarized
# once, seed 1), samples, the canvas step by step and an animation. Single-threaded.
# Cost measured on this machine (AMD EPYC, 2 busy vCPUs, 2026-12-03; 20 minibatches of 100 timed): with attention
# 0.89 s CPU per minibatch (1.9 s wall at a load of 7), i.e. one epoch of 600 minibatches = 9 min CPU (19 min wall);
# without attention 1.77 s CPU (3.7 s wall): 18 min CPU (37 min wall). A killed run continues from its checkpoint when
# the script is started again (the model file is also the checkpoint, written every 30 minutes).
#   DGM=path/to/dgm (default ./dgm)   EPOCHS=20   EXAMPLES=1000 (empty: all 10,000)   K=50   MODELS="draw-attention draw-none"
set -euo pipefail
cd "$(dirname "$0")/../.."
DGM=${DGM:-./dgm}
EPOCHS=${EPOCHS:-20}
EXAMPLES=${EXAMPLES-1000}
K=${K:-50}
$DGM data fetch mnist
mkdir -p runs/exp
run() {
  name=$1; shift
  case " ${MODELS:-$name} " in *" $name "*) ;; *) return 0 ;; esac
  out=runs/exp/$name.safetensors
  continue=(--force)
  [ -f "$out" ] && continue=(--resume "$out")
  $DGM train draw --data mnist --steps 64 "$@" --hidden 256 --latent 100 --batch 100 --lr 0.001 --epochs "$EPOCHS" \
    --checkpoint-every 30m --threads 1 --seed 1 "${continue[@]}" \
    --out "$out" --log runs/exp/$name.csv --pictures runs/exp/$name 2>&1 | tee -a runs/exp/$name.train.log | grep -v '\['
  $DGM eval nll "$out" --data mnist --k "$K" --bounds 1,5 --threads 1 --json runs/exp/$name.nll.json \
    ${EXAMPLES:+--examples $EXAMPLES} 2>&1 | tee runs/exp/$name.nll.log | grep -v '\['
  $DGM sample "$out" --out runs/exp/$name/samples-final.png --count 100 --gif runs/exp/$name/steps-final.gif --threads 1
}
run draw-attention --attention --read 2 --write 5
run draw-none --no-attention

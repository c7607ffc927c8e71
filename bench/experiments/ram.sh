#!/usr/bin/env bash
# Recurrent attention on translated and cluttered MNIST (60 x 60; Mnih et al. 2014, Ba et al. 2015): the same model
# trained by REINFORCE with a learned baseline (M = 1, the RAM recipe) and by WS-RAM (M = 5 glimpse sequences from the
# inference network, control variates), the same number of updates (epochs of 500 minibatches of 100 images, the
# 50,000 training canvases; Adam lr 0.001, clip 10); 6 glimpses of 3 patches of 12 x 12, 3 scales, location std 0.15,
# LSTM 256. Per epoch the CSV log holds train_error / heldout_error (glimpses from the policy, 1000 images each) and
# gradient_variance over 10 repeated estimates on a fixed minibatch: the lecture's two curves, by epoch. Then the test
# error (glimpses from the policy, one sequence per image) and a picture of the glimpses. Single-threaded.
# Papers [recalled]: RAM 1.84% test error on 60 x 60 translated MNIST (8 glimpses), 4.04% on cluttered; WS-RAM's own
# figures are not checked (shared/notes/reference-results.md).
# Cost measured on this machine (2 busy vCPUs, load about 7, 2026-12; 20 minibatches of 100 timed after 8 of warm-up):
# REINFORCE 0.06 s CPU per minibatch (0.16-0.23 s wall), i.e. one epoch = 0.5 min CPU (1.3-1.9 min wall); the bound with
# q = prior the same; WS-RAM with M = 5 0.30 s CPU (0.64-0.88 s wall): 2.5 min CPU (5.3-7.3 min wall) per epoch; WS-RAM
# with M = 1 0.07 s CPU. Epoch-end monitors add 3-10 s. A killed run continues from its checkpoint when the script is
# started again (the model file is also the checkpoint, written every 30 minutes).
#   DGM=path/to/dgm (default ./dgm)   EPOCHS=20   DATA="mnist-translated mnist-cluttered"   RULES="reinforce ws"
set -euo pipefail
cd "$(dirname "$0")/../.."
DGM=${DGM:-./dgm}
EPOCHS=${EPOCHS:-20}
$DGM data fetch mnist
mkdir -p runs/exp
for data in ${DATA:-mnist-translated mnist-cluttered}; do
  for rule in ${RULES:-reinforce ws}; do
    name=ram-$data-$rule
    out=runs/exp/$name.safetensors
    continue=(--force)
    [ -f "$out" ] && continue=(--resume "$out")
    samples=1
    [ "$rule" = ws ] && samples=5
    $DGM train ram --data "$data" --rule "$rule" --samples "$samples" --glimpses 6 --batch 100 --lr 0.001 --epochs "$EPOCHS" \
      --checkpoint-every 30m --threads 1 --seed 1 "${continue[@]}" \
      --out "$out" --log runs/exp/$name.csv --pictures runs/exp/$name 2>&1 | tee -a runs/exp/$name.train.log | grep -v '\['
    $DGM eval classify "$out" --data "$data" --threads 1 2>&1 | tee runs/exp/$name.test.log | grep -v '\['
    $DGM attention "$out" --data "$data" --count 32 --out runs/exp/$name/glimpses-test.png --threads 1
  done
done

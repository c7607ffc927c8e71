#!/usr/bin/env bash
# The RBM results of README.md ("Results on real data"), one after another, single-threaded.
# Each model: train, then AIS (published schedule, 100 runs; --reverse where the README gives reverse AIS).
# Outputs in runs/exp/ (models, per-epoch CSV logs, pictures, logs). About 70 minutes in all on this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
for d in mnist fashion-mnist reuters-grain; do ./dgm data fetch $d; done
mkdir -p runs/exp
train() { name=$1; shift; ./dgm train rbm --threads 1 --seed 1 --out runs/exp/$name.safetensors --log runs/exp/$name.csv "$@" 2>&1 | tee runs/exp/$name.train.log | grep -v '\[' ; }
ais() { name=$1; shift; ./dgm eval ais runs/exp/$name.safetensors --threads 1 "$@" 2>&1 | tee runs/exp/$name.ais.log | grep -v '\[' ; }
M=(--data mnist --hidden 500 --pictures)
train cd1  "${M[@]}" runs/exp/cd1  --cd 1  --epochs 20 --lr 0.05;  ais cd1  --data mnist
train cd3  "${M[@]}" runs/exp/cd3  --cd 3  --epochs 20 --lr 0.05;  ais cd3  --data mnist
train cd25 "${M[@]}" runs/exp/cd25 --cd 25 --epochs 10 --lr 0.05;  ais cd25 --data mnist --reverse
train pcd1 "${M[@]}" runs/exp/pcd1 --pcd 1 --chains 100 --epochs 30 --lr 0.005 --lr-final 0;  ais pcd1 --data mnist --reverse
train pcdc "${M[@]}" runs/exp/pcdc --pcd 1 --chains 100 --centered --epochs 100 --lr 0.01 --lr-final 0;  ais pcdc --data mnist --reverse
train pcdc200 "${M[@]}" runs/exp/pcdc200 --pcd 1 --chains 100 --centered --epochs 200 --lr 0.01 --lr-final 0;  ais pcdc200 --data mnist --reverse
train rs --data reuters-grain --visible softmax --hidden 50 --cd 1 --lr 0.005 --weight-decay 0.0001 --epochs 200 --batch 50
ais rs --data reuters-grain --betas 0.2 --runs 20
./dgm topics runs/exp/rs.safetensors --units 10
train gfm --data fashion-mnist --visible gaussian --hidden 200 --lr 0.005 --epochs 10 --pictures runs/exp/gfm
ais gfm --data fashion-mnist

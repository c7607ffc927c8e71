#!/usr/bin/env bash
# The RBM results of README.md ("Results on real data"), one after another, single-threaded.
# Each model: train, then AIS (published schedule, 100 runs, forward and reverse with the verdict; JSON in runs/exp/NAME.ais.json).
# Outputs in runs/exp/ (models, per-epoch CSV logs, pictures, logs). About 70 minutes in all on this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
for d in mnist fashion-mnist reuters-grain; do ./dgm data fetch $d; done
mkdir -p runs/exp
train() { name=$1; shift; ./dgm train rbm --threads 1 --seed 1 --force --out runs/exp/$name.safetensors --log runs/exp/$name.csv "$@" 2>&1 | tee runs/exp/$name.train.log | grep -v '\[' ; }
ais() { name=$1; shift; ./dgm eval ais runs/exp/$name.safetensors --threads 1 "$@" --json runs/exp/$name.ais.json 2>&1 | tee runs/exp/$name.ais.log | grep -v '\[' ; }
M=(--data mnist --hidden 500 --pictures)
MODELS=${MODELS:-"cd1 cd3 cd25 pcd1 pcdc pcdc200 rs gfm"}
want() { case " $MODELS " in *" $1 "*) return 0 ;; esac; return 1; }
want cd1 && { train cd1  "${M[@]}" runs/exp/cd1  --cd 1  --epochs 20 --lr 0.05; ais cd1  --data mnist; }
want cd3 && { train cd3  "${M[@]}" runs/exp/cd3  --cd 3  --epochs 20 --lr 0.05; ais cd3  --data mnist; }
want cd25 && { train cd25 "${M[@]}" runs/exp/cd25 --cd 25 --epochs 10 --lr 0.05; ais cd25 --data mnist; }
want pcd1 && { train pcd1 "${M[@]}" runs/exp/pcd1 --pcd 1 --chains 100 --epochs 30 --lr 0.005 --lr-final 0; ais pcd1 --data mnist; }
want pcdc && { train pcdc "${M[@]}" runs/exp/pcdc --pcd 1 --chains 100 --centered --epochs 100 --lr 0.01 --lr-final 0; ais pcdc --data mnist; }
want pcdc200 && { train pcdc200 "${M[@]}" runs/exp/pcdc200 --pcd 1 --chains 100 --centered --epochs 200 --lr 0.01 --lr-final 0; ais pcdc200 --data mnist; }
want rs && { train rs --data reuters-grain --visible softmax --hidden 50 --cd 1 --lr 0.005 --weight-decay 0.0001 --epochs 200 --batch 50
./dgm eval ais runs/exp/rs.safetensors --threads 1 --data reuters-grain --betas 0.2 --runs 20 2>&1 | tee runs/exp/rs.ais.log | grep -v '\['
  ./dgm topics runs/exp/rs.safetensors --units 10; }
want gfm && { train gfm --data fashion-mnist --visible gaussian --hidden 200 --lr 0.005 --epochs 10 --pictures runs/exp/gfm
ais gfm --data fashion-mnist; }
true

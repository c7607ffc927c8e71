#!/usr/bin/env bash
# Replicated softmax against LDA-50 and the unigram model in held-out perplexity (README.md, "Replicated softmax"), on
# the SpamAssassin emails (4,812 train / 1,202 test after dropping empty ones, 2,000 words): issue 13, deliverable 7.
#
# Replicated softmax as Salakhutdinov & Hinton (2009) train it, as far as the paper says: 50 hidden units, minibatches
# of 100, CD with the Gibbs steps rising from 1 to 5 over training (--cd 1 --steps-final 5). The paper runs 100,000
# updates and gives no learning rate, weight decay or momentum; those are the Reuters run's (rbm.sh): lr 0.005, weight
# decay 1e-4, momentum 0.5 then 0.9. EPOCHS=600 is 28,800 updates (48 per epoch), ~15 min single-threaded here (AIS ~72 min, LDA ~1 min);
# EPOCHS=2075 is the paper's 100,000.
# Held-out perplexity: dgm eval ais (forward and reverse AIS per document length, 2,901 betas, 20 runs, as for Reuters;
# prints the unigram model too), then MALLET LDA-50 on the same tokens, vocabulary and split (bench LdaBaseline).
# Outputs in runs/exp/ (gitignored). STEPS="train ais lda" selects stages.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${DATA:-spam-assassin}; EPOCHS=${EPOCHS:-600}; NAME=${NAME:-rs-$DATA}
STEPS=${STEPS:-"train ais lda"}
want() { case " $STEPS " in *" $1 "*) return 0 ;; esac; return 1; }
./dgm data fetch "$DATA"
mkdir -p runs/exp
if want train; then
  /usr/bin/time -f "train wall %e s" ./dgm train rbm --threads 1 --seed 1 --data "$DATA" --visible softmax --hidden 50 \
    --cd 1 --steps-final 5 --lr 0.005 --weight-decay 0.0001 --batch 100 --epochs "$EPOCHS" \
    --out runs/exp/$NAME.safetensors --log runs/exp/$NAME.csv --force 2>&1 | tee runs/exp/$NAME.train.log | grep -v '\['
  ./dgm topics runs/exp/$NAME.safetensors --units 10 | tee runs/exp/$NAME.topics.txt
fi
if want ais; then
  /usr/bin/time -f "ais wall %e s" ./dgm eval ais runs/exp/$NAME.safetensors --threads 1 --data "$DATA" --betas 0.2 --runs 20 \
    --json runs/exp/$NAME.ais.json 2>&1 | tee runs/exp/$NAME.ais.log | grep -v '\['
fi
if want lda; then
  [ -f bench/target/dgm4j-bench.jar ] || mvn -q -o -Pbench package -DskipTests -pl bench -am
  java -cp 'bench/target/dgm4j-bench.jar:bench/target/lib/*' dgm4j.bench.LdaBaseline "${DGM4J_DATA:-$HOME/.cache/dgm4j}" \
    50 1000 50 0.01 10 "$DATA" 2>&1 | tee runs/exp/$NAME.lda.log
fi

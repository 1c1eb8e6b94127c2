#!/usr/bin/env bash
# Retrains the shipped base model in one command:
#   simulate normal traffic (several topologies x seeds) -> export-tensors -> train.py -> model + card
#
#   model-training/retrain.sh                 # simulator data (needs the lazykoala CLI: ./lazykoala)
#   model-training/retrain.sh --synthetic     # synthetic stand-in data (no Java needed)
#
# Environment (all optional):
#   TOPOLOGIES  topologies to simulate (default: every simulator/src/main/resources/topologies/*.yaml)
#   SEEDS       simulator seeds (default "1001 1002 1003"; evaluation must use other seeds)
#   HOURS       simulated hours per topology and seed (default 3)
#   EPOCHS      training epochs (default 12; 20 with --synthetic)
#   MAX_TRAIN   training images drawn (deterministically) from all that were exported (default 80000)
#   EVAL_SEED   seed of the labelled fault runs (2 h, 8 random faults per topology) used for the
#               detection check in the card (default 2001; EVAL_SEED=none skips it)
#   CAL_SEED    seed of fresh normal runs (2 h per topology) the shipped calibration is re-computed on
#               with recalibrate.py (default 3001; CAL_SEED=none keeps the held-out calibration)
#   WORK        scratch directory (default: a fresh temporary directory, removed at the end)
#   OUT         model to write (default flink-jobs/src/main/resources/models/base.onnx)
#   CARD        model card to write (default model-training/MODEL_CARD.md; PNGs next to it)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

PY=/usr/bin/python3
SEEDS="${SEEDS:-1001 1002 1003}"
HOURS="${HOURS:-3}"
EPOCHS="${EPOCHS:-12}"
MAX_TRAIN="${MAX_TRAIN:-80000}"
EVAL_SEED="${EVAL_SEED:-2001}"
CAL_SEED="${CAL_SEED:-3001}"
OUT="${OUT:-flink-jobs/src/main/resources/models/base.onnx}"
CARD="${CARD:-model-training/MODEL_CARD.md}"
synthetic=false
[[ "${1:-}" == "--synthetic" ]] && synthetic=true

if ! "$PY" -c 'import torch, onnx, numpy, matplotlib' 2>/dev/null; then
  echo "retrain: $PY cannot import torch, onnx, numpy and matplotlib; install python3-torch python3-onnx python3-numpy python3-matplotlib" >&2
  exit 2
fi

if [[ -n "${WORK:-}" ]]; then
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
fi
tensors="$WORK/tensors"
evaltensors="$WORK/eval-tensors"
caltensors="$WORK/cal-tensors"
rm -rf "$tensors" "$evaltensors" "$caltensors"
mkdir -p "$tensors" "$evaltensors" "$caltensors"
recalibrate=false
eval_args=()

if $synthetic; then
  # Stand-in until simulator data can be exported: 24 made-up services, 2500 steps (3.5 h) each.
  "$PY" model-training/make_synthetic.py --out "$tensors" --services 24 --steps 2500 --seed 7
  EPOCHS="${EPOCHS_SYNTHETIC:-20}"
else
  if [[ -z "${TOPOLOGIES:-}" ]]; then
    TOPOLOGIES="$(ls simulator/src/main/resources/topologies/*.yaml | xargs -n1 basename | sed 's/\.yaml$//' | tr '\n' ' ')"
  fi
  if ! ./lazykoala export-tensors --help >/dev/null 2>&1; then
    echo "retrain: ./lazykoala export-tensors does not run here (see flink-jobs/target/lazykoala-build.log)" >&2
    exit 2
  fi
  for topology in $TOPOLOGIES; do
    for seed in $SEEDS; do
      name="$topology-$seed"
      echo "retrain: simulating $name (${HOURS} h, no faults)"
      ./lazykoala simulate --topology "$topology" --seed "$seed" --duration "${HOURS}h" --no-faults -f \
        --out "$WORK/$name.lkrec" --labels "$WORK/$name.labels.json"
      echo "retrain: exporting tensors of $name"
      ./lazykoala export-tensors --recording "$WORK/$name.lkrec" --labels "$WORK/$name.labels.json" \
        --out "$tensors" --name "$name"
      rm -f "$WORK/$name.lkrec"
    done
    if [[ "$EVAL_SEED" != "none" ]]; then
      name="$topology-$EVAL_SEED-faults"
      echo "retrain: simulating $name (2 h, 8 random faults) for the detection check"
      ./lazykoala simulate --topology "$topology" --seed "$EVAL_SEED" --duration 2h --fault random:8 -f \
        --out "$WORK/$name.lkrec" --labels "$WORK/$name.labels.json"
      ./lazykoala export-tensors --recording "$WORK/$name.lkrec" --labels "$WORK/$name.labels.json" \
        --out "$evaltensors" --name "$name"
      rm -f "$WORK/$name.lkrec"
      eval_args=(--eval-tensors "$evaltensors")
    fi
    if [[ "$CAL_SEED" != "none" ]]; then
      name="$topology-$CAL_SEED"
      echo "retrain: simulating $name (2 h, no faults) for the calibration"
      ./lazykoala simulate --topology "$topology" --seed "$CAL_SEED" --duration 2h --no-faults -f \
        --out "$WORK/$name.lkrec" --labels "$WORK/$name.labels.json"
      ./lazykoala export-tensors --recording "$WORK/$name.lkrec" --labels "$WORK/$name.labels.json" \
        --out "$caltensors" --name "$name"
      rm -f "$WORK/$name.lkrec"
      recalibrate=true
    fi
  done
fi

how="model-training/retrain.sh (TOPOLOGIES=\"${TOPOLOGIES:-}\" SEEDS=\"$SEEDS\" HOURS=$HOURS EPOCHS=$EPOCHS MAX_TRAIN=$MAX_TRAIN EVAL_SEED=$EVAL_SEED CAL_SEED=$CAL_SEED)"
$synthetic && how="model-training/retrain.sh --synthetic"
"$PY" model-training/train.py --tensors "$tensors" --out "$OUT" --card "$CARD" --epochs "$EPOCHS" --seed 42 \
  --max-train-images "$MAX_TRAIN" --provenance "$how" "${eval_args[@]}"
if $recalibrate; then
  # The held-out part shares the training seeds; unseen seeds give the honest normal distribution.
  "$PY" model-training/recalibrate.py --model "$OUT" --tensors "$caltensors" --out "$OUT" --card "$CARD" "${eval_args[@]}"
fi
echo "retrain: wrote $OUT and $CARD"

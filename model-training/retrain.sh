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
#   HOURS       simulated hours per topology and seed (default 6)
#   EPOCHS      training epochs (default 30; 20 with --synthetic)
#   WORK        scratch directory (default: a fresh temporary directory, removed at the end)
#   OUT         model to write (default flink-jobs/src/main/resources/models/base.onnx)
#   CARD        model card to write (default model-training/MODEL_CARD.md; PNGs next to it)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

PY=/usr/bin/python3
SEEDS="${SEEDS:-1001 1002 1003}"
HOURS="${HOURS:-6}"
EPOCHS="${EPOCHS:-30}"
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
rm -rf "$tensors"
mkdir -p "$tensors"

if $synthetic; then
  # Stand-in until simulator data can be exported: 24 made-up services, 2500 steps (3.5 h) each.
  "$PY" model-training/make_synthetic.py --out "$tensors" --services 24 --steps 2500 --seed 7
  EPOCHS="${EPOCHS_SYNTHETIC:-20}"
else
  if [[ -z "${TOPOLOGIES:-}" ]]; then
    TOPOLOGIES="$(ls simulator/src/main/resources/topologies/*.yaml | xargs -n1 basename | sed 's/\.yaml$//' | tr '\n' ' ')"
  fi
  for topology in $TOPOLOGIES; do
    for seed in $SEEDS; do
      name="$topology-$seed"
      echo "retrain: simulating $name (${HOURS} h, no faults)"
      ./lazykoala simulate --topology "$topology" --seed "$seed" --duration "${HOURS}h" --no-faults \
        --out "$WORK/$name.lkrec" --labels "$WORK/$name.labels.json"
      echo "retrain: exporting tensors of $name"
      ./lazykoala export-tensors --recording "$WORK/$name.lkrec" --labels "$WORK/$name.labels.json" \
        --out "$tensors/$name.npy"
    done
  done
fi

how="model-training/retrain.sh${1:+ $1} (SEEDS=\"$SEEDS\" HOURS=$HOURS EPOCHS=$EPOCHS${TOPOLOGIES:+ TOPOLOGIES=\"$TOPOLOGIES\"})"
$synthetic && how="model-training/retrain.sh --synthetic"
"$PY" model-training/train.py --tensors "$tensors" --out "$OUT" --card "$CARD" --epochs "$EPOCHS" --seed 42 \
  --provenance "$how"
echo "retrain: wrote $OUT and $CARD"

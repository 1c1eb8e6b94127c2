#!/usr/bin/env bash
# Regenerates the shipped recordings with the CLI itself (deterministic: same seeds, same files
# as long as the simulator does not change). Run from anywhere: data/recordings/generate.sh
set -euo pipefail
cd "$(dirname "$0")"
lk=../../lazykoala
sim() { "$lk" simulate --topology shop --duration 10m --force "$@"; }
sim --seed 11 --no-faults                          --out shop-normal.lkrec        --labels shop-normal.labels.json
sim --seed 12 --fault cpu_hog:currency@5m+3m*0.9   --out shop-cpu-hog.lkrec       --labels shop-cpu-hog.labels.json
sim --seed 13 --fault latency:payment@5m+3m*0.8    --out shop-latency.lkrec       --labels shop-latency.labels.json
sim --seed 14 --fault packet_loss:catalog@5m+3m*0.7 --out shop-packet-loss.lkrec  --labels shop-packet-loss.labels.json
sim --seed 15 --fault crash_restart:cart@5m+2m     --out shop-crash-restart.lkrec --labels shop-crash-restart.labels.json

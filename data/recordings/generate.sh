#!/usr/bin/env bash
# Regenerates the shipped recordings with the CLI itself (deterministic: same seeds, same files
# as long as the simulator does not change). Run from anywhere: data/recordings/generate.sh
# The faults start 6 minutes in: the job scores a service after 5 minutes of history (the long
# channel's window) and judges it by its own calibration 30 s later, so a fault at 6 minutes meets a
# warmed-up detector, as it would in a cluster watched for longer than the demo runs.
set -euo pipefail
cd "$(dirname "$0")"
lk=../../lazykoala
sim() { "$lk" simulate --topology shop --force "$@"; }
sim --seed 11 --duration 10m --no-faults                          --out shop-normal.lkrec        --labels shop-normal.labels.json
sim --seed 12 --duration 11m --fault cpu_hog:currency@6m+3m*0.9    --out shop-cpu-hog.lkrec       --labels shop-cpu-hog.labels.json
sim --seed 13 --duration 11m --fault latency:payment@6m+3m*0.8     --out shop-latency.lkrec       --labels shop-latency.labels.json
sim --seed 14 --duration 11m --fault packet_loss:catalog@6m+3m*0.7 --out shop-packet-loss.lkrec   --labels shop-packet-loss.labels.json
sim --seed 15 --duration 11m --fault crash_restart:cart@6m+2m      --out shop-crash-restart.lkrec --labels shop-crash-restart.labels.json

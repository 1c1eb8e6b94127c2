#!/usr/bin/python3
"""Writes a synthetic tensor set (normal traffic only) in the export-tensors layout.

  /usr/bin/python3 model-training/make_synthetic.py --out DIR [--services 20] [--steps 2000] [--seed 1]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lazykoala_training import synthetic  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="directory to write synthetic.npy + synthetic.json into")
    p.add_argument("--services", type=int, default=20)
    p.add_argument("--steps", type=int, default=2000, help="steps (5 s) per service, including a 124-step warm-up")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--name", default="synthetic")
    a = p.parse_args(argv)
    if a.services < 1 or a.steps <= 130:
        p.error("--services must be >= 1 and --steps > 130 (the warm-up is 124 steps)")
    n = synthetic.write(a.out, a.services, a.steps, a.seed, a.name)
    print(f"wrote {n} images to {os.path.join(a.out, a.name + '.npy')}")


if __name__ == "__main__":
    main()

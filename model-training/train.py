#!/usr/bin/python3
"""Trains the Lazy Koala service autoencoder from scratch and exports it as ONNX with its contract.

  /usr/bin/python3 model-training/train.py --tensors DIR --out model.onnx [--card MODEL_CARD.md]
      [--epochs 30] [--lr 0.002] [--seed 42] ...

DIR holds float32 .npy images [N,3,8,13] (+ JSON sidecars) written by `lazykoala export-tensors`,
normal periods only (rows in labelled fault periods are left out). The last --holdout of each file's
time span is not trained on: it picks the epoch kept and calibrates the scores.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lazykoala_training import contract as C  # noqa: E402
from lazykoala_training import model as M  # noqa: E402
from lazykoala_training import pipeline  # noqa: E402
from lazykoala_training import tensors  # noqa: E402
from lazykoala_training import training as T  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    pipeline.add_common_args(p)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--width1", type=int, default=8, help="channels of the first convolution")
    p.add_argument("--width2", type=int, default=16, help="channels of the stride-2 convolution")
    p.add_argument("--latent", type=int, default=16, help="size of the bottleneck")
    a = p.parse_args(argv)
    if a.epochs < 1 or not 0 < a.holdout < 1:
        pipeline.fail("--epochs must be >= 1 and --holdout between 0 and 1")
    log = (lambda *_: None) if a.quiet else (lambda m: print(m, flush=True))
    try:
        data = tensors.load_dir(a.tensors)
        T.seed_everything(a.seed, a.threads)
        hp = M.default_hparams()
        hp.update(channels=data.images.shape[1], rows=data.images.shape[2], features=data.images.shape[3],
                  width1=a.width1, width2=a.width2, latent=a.latent)
        net = M.build(hp)
        prefix = "synthetic-ae" if pipeline.data_kind(data.sources) == "synthetic" else "ae"
        pipeline.run(data, net, a, prefix, log=log)
    except C.ContractError as e:
        pipeline.fail(str(e))


if __name__ == "__main__":
    main()

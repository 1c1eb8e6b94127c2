#!/usr/bin/python3
"""Fine-tunes a per-service model from a base model (an ONNX file written by train.py).

  /usr/bin/python3 model-training/finetune.py --base base.onnx --tensors DIR --service NS/NAME
      --out NAME.onnx [--card CARD.md] [--epochs 10] [--lr 0.0005]

Starts from the base model's weights, trains on the service's own normal images (rows of DIR whose
sidecar service key is --service; all rows when --service is omitted) and re-calibrates the scores on
the service's held-out history, so its health reads against that service's own normal.
"""
import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lazykoala_training import contract as C  # noqa: E402
from lazykoala_training import onnx_io  # noqa: E402
from lazykoala_training import pipeline  # noqa: E402
from lazykoala_training import tensors  # noqa: E402
from lazykoala_training import training as T  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    pipeline.add_common_args(p)
    p.add_argument("--base", required=True, help="the base model (.onnx written by train.py)")
    p.add_argument("--service", help="service key (as in the sidecar, e.g. shop/cart) whose images to use")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--lr", type=float, default=5e-4)
    a = p.parse_args(argv)
    if a.epochs < 1 or not 0 < a.holdout < 1:
        pipeline.fail("--epochs must be >= 1 and --holdout between 0 and 1")
    log = (lambda *_: None) if a.quiet else (lambda m: print(m, flush=True))
    try:
        if not os.path.exists(a.base):
            raise C.ContractError(f"base model {a.base} does not exist")
        T.seed_everything(a.seed, a.threads)
        net, base_contract = onnx_io.load_model(a.base)
        data = tensors.load_dir(a.tensors)
        base_layout = C.layout_from_sidecar(base_contract)
        C.check_same_layout(base_layout, data.layout, f"tensor set {a.tensors}")
        if a.service:
            raw = np.array([s.split(":", 1)[1] for s in data.services], dtype=object)
            rows = np.nonzero(raw == a.service)[0]
            if len(rows) == 0:
                known = sorted(set(raw))[:5]
                raise C.ContractError(f"no images of service {a.service} in {a.tensors} (services there include {known})")
            data = tensors.subset(data, rows)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", a.service or "all")
        pipeline.run(data, net, a, f"{base_contract['version']}-ft-{slug}", base_model=base_contract["version"], log=log)
    except C.ContractError as e:
        pipeline.fail(str(e))


if __name__ == "__main__":
    main()

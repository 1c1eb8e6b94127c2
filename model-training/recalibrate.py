#!/usr/bin/python3
"""Re-calibrates a model's scores on other normal data, keeping its weights.

  /usr/bin/python3 model-training/recalibrate.py --model base.onnx --tensors DIR --out base.onnx

The held-out part of the training runs shares their seeds, so its score quantiles can be optimistic
for unseen worlds. This replaces calibration.score_quantiles with the quantiles of the scores of all
rows flagged normal in DIR (use simulator runs with seeds used neither for training nor evaluation)
and gives the model a new version (<old>-cal-<digest>), since its health values change.
"""
import argparse
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lazykoala_training import contract as C  # noqa: E402
from lazykoala_training import onnx_io  # noqa: E402
from lazykoala_training import pipeline  # noqa: E402
from lazykoala_training import tensors  # noqa: E402
from lazykoala_training import training as T  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="ONNX model written by train.py or finetune.py")
    p.add_argument("--tensors", required=True, help="normal tensor sets to calibrate on")
    p.add_argument("--out", required=True, help="ONNX file to write (may be --model)")
    a = p.parse_args(argv)
    try:
        if not os.path.exists(a.model):
            raise C.ContractError(f"model {a.model} does not exist")
        T.seed_everything(0)
        net, contract = onnx_io.load_model(a.model)
        data = tensors.load_dir(a.tensors)
        C.check_same_layout(C.layout_from_sidecar(contract), data.layout, f"tensor set {a.tensors}")
        scores = T.image_scores(net, data.images)
        calibration = T.calibrate(scores)
        share = T.feature_error_share(net, data.images)
        if share is not None:
            calibration["feature_error_share"] = [round(s, 6) for s in share]
        calibration["source"] = ("all normal images of " + ", ".join(s["file"] for s in data.sources)
                                 + " (recalibrate.py; not used for training)")
        digest = hashlib.sha256(json.dumps(calibration["score_quantiles"], sort_keys=True).encode()).hexdigest()[:8]
        previous = contract["version"]
        contract["calibration"] = calibration
        contract["version"] = f"{previous}-cal-{digest}"
        contract.setdefault("training", {})["recalibrated_from"] = previous
        onnx_io.export(net, contract, a.out)
        print(f"wrote {a.out}, version {contract['version']}, score quantiles {calibration['score_quantiles']}")
    except C.ContractError as e:
        pipeline.fail(str(e))


if __name__ == "__main__":
    main()

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
from lazykoala_training import evaluation  # noqa: E402
from lazykoala_training import onnx_io  # noqa: E402
from lazykoala_training import pipeline  # noqa: E402
from lazykoala_training import tensors  # noqa: E402
from lazykoala_training import training as T  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="ONNX model written by train.py or finetune.py")
    p.add_argument("--tensors", required=True, help="normal tensor sets to calibrate on")
    p.add_argument("--out", required=True, help="ONNX file to write (may be --model)")
    p.add_argument("--card", help="model card to append a re-calibration section to")
    p.add_argument("--eval-tensors", help="labelled tensor sets for a detection check with the new calibration")
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
        if a.card:
            append_card(a, contract, previous, data, net)
    except C.ContractError as e:
        pipeline.fail(str(e))


def append_card(a, contract, previous, data, net):
    cal = contract["calibration"]
    lines = ["", "## Re-calibration (the shipped calibration)",
             f"`{contract['version']}` has the weights of `{previous}` with its calibration re-computed by "
             f"`model-training/recalibrate.py` on all {cal['samples']} normal images of "
             f"{', '.join(s['file'] for s in data.sources)} (runs used neither for training nor for the "
             "detection check); the calibration table and histogram above are the original held-out ones.", "",
             "| quantile | score |", "|---|---|"]
    for k in sorted(cal["score_quantiles"], key=float):
        lines.append(f"| {k} | {cal['score_quantiles'][k]:.6g} |")
    if a.eval_tensors:
        check = evaluation.detection_check(net, tensors.load_dir(a.eval_tensors, drop_abnormal=False), cal)
        lines += ["", f"Detection check with this calibration: {check['normal_above_q999']:.4f} of "
                  f"{check['normal_rows']} normal service-steps above q0.999; per fault, on average "
                  f"{check.get('mean_above_q999', float('nan')):.2f} of the target's steps above q0.999 and "
                  f"{check.get('mean_top1', float('nan')):.2f} with the highest score of its world."]
    with open(a.card, "a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

"""The steps train.py and finetune.py share: split, train, calibrate, export, card."""
import os
import shlex
import sys

import numpy as np

from . import card as CARD
from . import contract as C
from . import evaluation
from . import model as M
from . import onnx_io
from . import tensors
from . import training as T


def data_kind(sources):
    kinds = {str(s.get("source", "export-tensors")) for s in sources}
    return "+".join(sorted(kinds))


def subsample(idx, limit, seed):
    """A deterministic random subset of at most limit rows (kept in their original order)."""
    if not limit or len(idx) <= limit:
        return idx
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(idx, size=limit, replace=False))


def add_common_args(p):
    p.add_argument("--tensors", required=True, help="directory of .npy tensor files from `lazykoala export-tensors`")
    p.add_argument("--out", required=True, help="ONNX file to write")
    p.add_argument("--card", help="model card markdown to write (PNGs go next to it)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--holdout", type=float, default=0.2, help="fraction of each file's time span held out for calibration")
    p.add_argument("--max-train-images", type=int, default=0, help="subsample the training rows to at most this many (0 = all)")
    p.add_argument("--max-val-images", type=int, default=20000,
                   help="held-out rows used for the per-epoch loss (all of them calibrate; 0 = all)")
    p.add_argument("--threads", type=int, default=1, help="torch threads (results are reproducible for a fixed count)")
    p.add_argument("--version", help="model version (default: derived from the weights)")
    p.add_argument("--eval-tensors", help="labelled tensor sets (with faults) for a detection check in the card")
    p.add_argument("--provenance", help="how this run was started (e.g. the retrain.sh command), for the model card")
    p.add_argument("--quiet", action="store_true")


def run(data, net, args, prefix, base_model=None, log=print):
    """Trains net on data, writes args.out (+ args.card); returns the contract written."""
    T.seed_everything(args.seed, args.threads)
    train_idx, hold_idx = tensors.split_by_time(data, args.holdout)
    train_idx = subsample(train_idx, args.max_train_images, args.seed)
    log(f"{len(train_idx)} training images, {len(hold_idx)} held-out images, {len(set(data.services))} services")
    # The per-epoch held-out loss only picks the epoch kept: a subset is enough. Calibration uses all.
    val_idx = subsample(hold_idx, args.max_val_images, args.seed + 1)
    history = T.train(net, data.images[train_idx], data.images[val_idx], args.epochs, args.batch_size,
                      args.lr, args.seed, log=log)
    scores = T.image_scores(net, data.images[hold_idx])
    calibration = T.calibrate(scores)
    share = T.feature_error_share(net, data.images[hold_idx])
    if share is not None:
        calibration["feature_error_share"] = [round(s, 6) for s in share]
    version = args.version or f"{prefix}-{T.weights_digest(net)}"
    training_data = {
        "kind": data_kind(data.sources),
        "description": "; ".join(sorted({s.get("description") or s.get("recording") or s["file"] for s in data.sources})),
        "files": len(data.sources),
        "services": len(set(data.services)),
        "images_train": int(len(train_idx)),
        "images_holdout": int(len(hold_idx)),
        "holdout_fraction": args.holdout,
        "dropped_abnormal": data.dropped_abnormal,
        "dropped_nonfinite": data.dropped_nonfinite,
        "sources": data.sources,
    }
    training = {
        "hparams": net.hparams,
        "parameters": M.parameter_count(net),
        "multiply_adds": M.multiply_adds(net),
        "epochs": args.epochs,
        "best_epoch": history["best_epoch"],
        "batch_size": args.batch_size,
        "lr": args.lr,
        "seed": args.seed,
        "threads": args.threads,
        "opset": onnx_io.OPSET,
        "train_loss": [round(v, 8) for v in history["train_loss"]],
        "val_loss": [round(v, 8) for v in history["val_loss"]],
        "base_model": base_model,
    }
    check = None
    if getattr(args, "eval_tensors", None):
        eval_data = tensors.load_dir(args.eval_tensors, drop_abnormal=False)
        C.check_same_layout(data.layout, eval_data.layout, f"tensor set {args.eval_tensors}")
        check = evaluation.detection_check(net, eval_data, calibration)
        check["tensors"] = [s["file"] for s in eval_data.sources]
        training["detection_check"] = {k: v for k, v in check.items() if k != "faults"}
        log(f"detection check: {training['detection_check']}")
    contract = C.build_contract(data.layout, calibration, version, training_data, training)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    onnx_io.export(net, contract, args.out)
    size = os.path.getsize(args.out)
    log(f"wrote {args.out} ({size} bytes), version {version}, score quantiles {calibration['score_quantiles']}")
    if args.card:
        command = "/usr/bin/python3 " + " ".join(shlex.quote(a) for a in sys.argv)
        files = CARD.write(args.card, contract, history, scores, share,
                           {"model_path": args.out, "model_bytes": size, "command": command,
                            "provenance": args.provenance, "detection_check": check})
        log("wrote " + ", ".join(files))
    return contract


def fail(message):
    """User mistakes end with one sentence and exit code 2, never a stack trace."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)

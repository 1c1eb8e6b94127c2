"""Model card: markdown + PNG loss curves + calibration histogram."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import contract as C  # noqa: E402


def _loss_png(history, path, title):
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    ax.plot(history["epoch"], history["train_loss"], marker="o", ms=3, label="training (MSE)")
    ax.plot(history["epoch"], history["val_loss"], marker="o", ms=3, label="held-out (MSE)")
    ax.axvline(history["best_epoch"], color="grey", ls=":", label=f"kept: epoch {history['best_epoch']}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean squared error")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def _calibration_png(scores, quantiles, path, title):
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    s = np.maximum(np.asarray(scores), 1e-12)
    bins = np.logspace(np.log10(s.min()), np.log10(s.max() * 1.01), 50)
    ax.hist(s, bins=bins, color="#4a7ebb")
    for q, v in sorted(quantiles.items(), key=lambda kv: float(kv[0])):
        if q in ("0.5", "0.9", "0.99", "0.999"):
            ax.axvline(v, color="#c0392b", ls="--", lw=1)
            ax.text(v, ax.get_ylim()[1] * 0.9, f" q{q}", rotation=90, va="top", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("anomaly score (per-image MSE), held-out normal images")
    ax.set_ylabel("images")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def write(card_path, contract, history, holdout_scores, feature_share, info):
    """Writes the markdown card and its two PNGs (named after the card) next to it."""
    directory = os.path.dirname(os.path.abspath(card_path))
    os.makedirs(directory, exist_ok=True)
    stem = os.path.splitext(os.path.basename(card_path))[0].lower()
    loss_png, cal_png = f"{stem}_loss.png", f"{stem}_calibration.png"
    version = contract["version"]
    _loss_png(history, os.path.join(directory, loss_png), f"Loss, model {version}")
    _calibration_png(holdout_scores, contract["calibration"]["score_quantiles"],
                     os.path.join(directory, cal_png), f"Calibration, model {version}")
    td = contract["training_data"]
    tr = contract["training"]
    q = contract["calibration"]["score_quantiles"]
    synthetic = "synthetic" in str(td.get("kind", "")).lower()
    lines = [f"# Model card: {version}", ""]
    if synthetic:
        lines += ["> **Trained on SYNTHETIC data** (made-up feature series in the image layout, not the",
                  "> simulator and not the job's encoder). It makes the scorer testable; its scores and",
                  "> health values are not meaningful for real services. Retrain with `model-training/retrain.sh`.", ""]
    lines += [
        "## What it is",
        f"A convolutional autoencoder ({tr['hparams']['architecture']}: {tr['parameters']} weights, "
        f"{tr['multiply_adds']} multiply-adds per image) that reconstructs one service's image "
        f"`[N,{contract['input_shape'][1]},{contract['input_shape'][2]},{contract['input_shape'][3]}]` "
        f"(input `{contract['input_name']}`, output `{contract['output_name']}`, ONNX opset {tr['opset']}). "
        "The anomaly score is the mean squared reconstruction error of the image; the health is that "
        "score placed in the calibration below (docs/MODEL.md).",
        "",
        f"- file: `{info.get('model_path', '')}` ({info.get('model_bytes', 0)} bytes)",
        f"- base model: {tr.get('base_model') or 'none (trained from scratch)'}",
        f"- features: {', '.join(contract['features'])}",
        f"- channels (trailing windows, s): {contract['channel_windows_s']}; step {contract['step_s']} s; "
        f"look-back offsets (steps): {contract['lookback_offsets']}",
        f"- normalisation: {contract['normalisation']}",
        "",
        "## Data",
        f"- kind: {td.get('kind')}",
        f"- {td.get('images_train')} training images, {td.get('images_holdout')} held-out images "
        f"(last {td.get('holdout_fraction')} of each file's time span), {td.get('services')} services, "
        f"{td.get('files')} tensor files; {td.get('dropped_abnormal', 0)} images in fault periods and "
        f"{td.get('dropped_nonfinite', 0)} non-finite images left out",
        "",
        "| file | images | services | description |",
        "|---|---|---|---|",
    ]
    for s in td.get("sources", []):
        what = s.get("description") or (f"recording {s['recording']}" if s.get("recording") else "")
        lines.append(f"| {s.get('file')} | {s.get('images')} | {s.get('services')} | {what} |")
    lines += [
        "",
        "## Training",
        f"- {tr['epochs']} epochs, batch {tr['batch_size']}, Adam lr {tr['lr']}, seed {tr['seed']}, "
        f"{tr['threads']} thread(s); kept epoch {history['best_epoch']} (lowest held-out loss)",
        f"- final training loss {history['train_loss'][-1]:.6g}, best held-out loss {min(history['val_loss']):.6g}",
        f"- wall time {sum(history['seconds']):.1f} s",
        *([f"- produced by: `{info['provenance']}`"] if info.get("provenance") else []),
        f"- command: `{info.get('command', '')}`",
        "",
        f"![loss curves]({loss_png})",
        "",
        "## Calibration",
        f"Scores of the {contract['calibration']['samples']} held-out normal images:",
        "",
        "| quantile | score |",
        "|---|---|",
    ]
    for k in sorted(q, key=float):
        lines.append(f"| {k} | {q[k]:.6g} |")
    lines += [
        "",
        f"mean {contract['calibration']['mean']:.6g}, max {contract['calibration']['max']:.6g}.",
        "",
        f"![calibration histogram]({cal_png})",
        "",
    ]
    if feature_share:
        lines += ["Share of the reconstruction error per feature on held-out normal data (the baseline an "
                  "explanation is read against):", "", "| feature | share |", "|---|---|"]
        for name, share in zip(contract["features"], feature_share):
            lines.append(f"| {name} | {share:.3f} |")
        lines.append("")
    check = info.get("detection_check")
    if check:
        lines += ["## Detection check",
                  f"On labelled tensor sets not used for training ({', '.join(check['tensors'])}): "
                  f"{check['normal_above_q999'] if check['normal_above_q999'] is None else format(check['normal_above_q999'], '.4f')} "
                  f"of {check['normal_rows']} normal service-steps score above q0.999 (health < 0.5; 0.001 expected). "
                  "Per fault, the target service's steps inside the fault: share above q0.999, share where it has "
                  "the highest score of its world (raw score only, no ranking), median score / q0.999.", ""]
        if check["faults"]:
            lines += ["| file | fault | service | steps | above q0.999 | top-1 | median / q0.999 |",
                      "|---|---|---|---|---|---|---|"]
        else:
            lines.append("(The sets hold no labelled faults.)")
        for f in check["faults"]:
            lines.append(f"| {f['file']} | {f['type']} | {f['service']} | {f['steps']} | {f['above_q999']:.2f} | "
                         f"{f['top1']:.2f} | {f['median_score_over_q999']:.2f} |")
        if check.get("faults"):
            lines.append(f"| **mean** | | | | {check['mean_above_q999']:.2f} | {check['mean_top1']:.2f} | |")
        lines.append("")
    lines += [
        "## Limits",
        "- Trained on normal periods only; it recognises what it has not seen, not what is wrong.",
        "- Its calibration holds for traffic like its training data; a per-service fine-tuned model "
        "(`model-training/finetune.py`) re-calibrates on that service's own history.",
        "",
    ]
    with open(card_path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    return [card_path, os.path.join(directory, loss_png), os.path.join(directory, cal_png)]

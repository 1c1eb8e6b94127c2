"""Deterministic training, scoring and score calibration."""
import hashlib
import os
import random
import time

import numpy as np
import torch

from . import model as M

# The quantiles every contract carries (DESIGN.md) and the extra tail points added when the
# held-out set is large enough to estimate them (at least 10 samples beyond the quantile).
REQUIRED_QUANTILES = [0.5, 0.9, 0.99, 0.999]
EXTRA_QUANTILES = [0.75, 0.95, 0.9999]


def seed_everything(seed, threads=1):
    """Same seed, same data, same thread count -> bit-identical weights on one machine."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    os.environ.setdefault("PYTHONHASHSEED", str(seed))


def image_scores(model, images, batch=4096):
    """Per-image anomaly score = mean squared reconstruction error over all C*R*F pixels.

    io.lazykoala.job.scoring.OnnxScorer computes the same number from the ONNX output.
    """
    model.eval()
    out = np.empty(len(images), dtype=np.float64)
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = torch.from_numpy(np.ascontiguousarray(images[i:i + batch]))
            err = (model(x) - x) ** 2
            out[i:i + batch] = err.reshape(len(x), -1).mean(dim=1).double().numpy()
    return out


def feature_error_share(model, images, batch=4096):
    """Mean share of the squared error per feature on the given images (the normal baseline)."""
    model.eval()
    total = None
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = torch.from_numpy(np.ascontiguousarray(images[i:i + batch]))
            err = ((model(x) - x) ** 2).sum(dim=(0, 1, 2)).double().numpy()
            total = err if total is None else total + err
    return (total / total.sum()).tolist() if total is not None and total.sum() > 0 else None


def calibrate(scores):
    """Distribution of scores on held-out normal data, stored as quantiles in the contract."""
    scores = np.asarray(scores, dtype=np.float64)
    n = len(scores)
    qs = {}
    for q in sorted(REQUIRED_QUANTILES + EXTRA_QUANTILES):
        if q in REQUIRED_QUANTILES or n * (1.0 - q) >= 10:
            # "higher" keeps quantiles real observed scores (no interpolation below the true tail).
            qs[format(q, "g")] = float(np.quantile(scores, q, method="higher"))
    # Strictly increasing quantiles keep the Java health mapping well defined even when scores tie.
    keys = sorted(qs, key=float)
    for a, b in zip(keys, keys[1:]):
        if qs[b] <= qs[a]:
            qs[b] = float(np.nextafter(qs[a], np.inf)) * (1 + 1e-6)
    return {
        "score_quantiles": qs,
        "samples": int(n),
        "mean": float(scores.mean()),
        "max": float(scores.max()),
        "source": "held-out normal images (last part of each tensor file in time)",
    }


def train(model, train_images, val_images, epochs, batch_size, lr, seed, log=print, weight_decay=0.0):
    """Adam on MSE; keeps the weights of the epoch with the lowest validation loss."""
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    x_train = torch.from_numpy(np.ascontiguousarray(train_images))
    history = {"epoch": [], "train_loss": [], "val_loss": [], "seconds": []}
    best, best_state = float("inf"), None
    for epoch in range(1, epochs + 1):
        start = time.time()
        model.train()
        perm = torch.randperm(len(x_train), generator=gen)
        total, count = 0.0, 0
        for i in range(0, len(perm), batch_size):
            xb = x_train[perm[i:i + batch_size]]
            opt.zero_grad()
            loss = torch.mean((model(xb) - xb) ** 2)
            loss.backward()
            opt.step()
            total += float(loss) * len(xb)
            count += len(xb)
        val = float(np.mean(image_scores(model, val_images)))
        history["epoch"].append(epoch)
        history["train_loss"].append(total / count)
        history["val_loss"].append(val)
        history["seconds"].append(time.time() - start)
        log(f"epoch {epoch}/{epochs}: train loss {total / count:.6f}, held-out loss {val:.6f} ({time.time() - start:.1f} s)")
        if val < best:
            best, best_state = val, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    history["best_epoch"] = history["epoch"][int(np.argmin(history["val_loss"]))]
    return history


def weights_digest(model):
    h = hashlib.sha256()
    for k, v in sorted(model.state_dict().items()):
        h.update(k.encode())
        h.update(v.detach().numpy().tobytes())
    return h.hexdigest()[:10]

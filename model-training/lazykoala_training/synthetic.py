"""Synthetic normal-traffic images, for tests and for a stand-in model until simulator data exists.

This is NOT the job's encoder: it imitates the image layout (trailing-window means at look-back
offsets, padded min-max against each service's own expanding history) on made-up feature series.
Models trained on it are labelled "synthetic" in their contract and card.
"""
import json
import os

import numpy as np

from . import contract as C


def _service_series(rng, steps):
    """[steps, 13] raw feature values of one service with daily-ish load and correlated features."""
    t = np.arange(steps)
    base = rng.lognormal(3.0, 1.0)                        # requests/s
    period = rng.uniform(600, 2400)                       # steps
    ar = np.zeros(steps)
    eps = rng.normal(0, 0.03, steps)
    for i in range(1, steps):
        ar[i] = 0.95 * ar[i - 1] + eps[i]
    load = base * (1 + 0.3 * np.sin(2 * np.pi * t / period + rng.uniform(0, 6.28))) * np.exp(ar)
    load = np.maximum(load, 0.01)
    fanout = rng.choice([0.0, 0.5, 1.0, 2.0, 3.0])
    dur = rng.lognormal(2.0, 0.7)                         # ms
    size_in, size_out = rng.lognormal(6, 1), rng.lognormal(7, 1)
    util = load / (base * 2.5)
    f = np.zeros((steps, len(C.FEATURES)))
    f[:, 0] = rng.poisson(load * 5) / 5.0
    f[:, 1] = rng.poisson(load * fanout * 5) / 5.0
    f[:, 2] = rng.poisson(load * 5 * 0.002) / 5.0
    f[:, 3] = dur * (1 + 0.5 * util ** 2) * rng.lognormal(0, 0.05, steps)
    f[:, 4] = f[:, 3] * 2.5 * rng.lognormal(0, 0.1, steps)
    f[:, 5] = f[:, 0] * size_in * rng.lognormal(0, 0.05, steps)
    f[:, 6] = f[:, 0] * size_out * rng.lognormal(0, 0.05, steps)
    f[:, 7] = rng.poisson(0.02 * 5, steps) / 5.0
    f[:, 8] = rng.uniform(0.1, 1.0) * rng.lognormal(0, 0.1, steps)
    f[:, 9] = rng.poisson(util * 2, steps)
    f[:, 10] = 0.0
    f[:, 11] = 0.02 + load * rng.uniform(0.001, 0.01) * rng.lognormal(0, 0.05, steps)
    f[:, 12] = rng.uniform(1e8, 1e9) * (1 + 0.05 * np.cumsum(rng.normal(0, 0.01, steps)))
    return f


def _trailing_mean(x, w):
    c = np.cumsum(np.vstack([np.zeros((1, x.shape[1])), x]), axis=0)
    out = np.empty_like(x)
    for t in range(len(x)):
        lo = max(0, t + 1 - w)
        out[t] = (c[t + 1] - c[lo]) / (t + 1 - lo)
    return out


def service_images(rng, steps, warmup=None):
    """Images [n, 3, 8, 13] of one service for every step after the warm-up."""
    windows = [int(w // C.STEP_S) for w in C.CHANNEL_WINDOWS_S]
    offsets = np.array(C.LOOKBACK_OFFSETS)
    warmup = warmup if warmup is not None else offsets.max() + max(windows)
    x = _service_series(rng, steps)
    chans = np.stack([_trailing_mean(x, w) for w in windows])        # [3, T, F]
    lo = np.minimum.accumulate(x, axis=0)
    hi = np.maximum.accumulate(x, axis=0)
    span = np.maximum(hi - lo, 1e-6 * np.maximum(np.abs(hi), 1.0))
    pad = C.NORMALISATION["padding"]
    t_idx = np.arange(warmup, steps)
    rows = t_idx[:, None] - offsets[None, :]                         # [n, 8]
    raw = chans[:, rows, :]                                         # [3, n, 8, F]
    lo_p = (lo - span * (pad - 1) / 2)[t_idx][None, :, None, :]
    img = (raw - lo_p) / (span[t_idx] * pad)[None, :, None, :]
    return np.ascontiguousarray(img.transpose(1, 0, 2, 3)).astype(np.float32), t_idx


def write(out_dir, services, steps, seed, name="synthetic"):
    """Writes <name>.npy + <name>.json like export-tensors would; returns the image count."""
    rng = np.random.default_rng(seed)
    os.makedirs(out_dir, exist_ok=True)
    imgs, svc, ts = [], [], []
    start_ms = 1_700_000_000_000
    for s in range(services):
        im, t_idx = service_images(rng, steps)
        imgs.append(im)
        svc += [f"synthetic/svc-{s}"] * len(im)
        ts += [int(start_ms + t * C.STEP_S * 1000) for t in t_idx]
    arr = np.concatenate(imgs).astype("<f4")
    np.save(os.path.join(out_dir, name + ".npy"), arr)
    sidecar = {
        "description": f"synthetic normal traffic ({services} services x {steps} steps, seed {seed}); not simulator data",
        "source": "synthetic",
        "seed": seed,
        "services": svc,
        "timestamps": ts,
        "features": C.FEATURES,
        "channel_windows_s": C.CHANNEL_WINDOWS_S,
        "step_s": C.STEP_S,
        "lookback_offsets": C.LOOKBACK_OFFSETS,
        "normalisation": C.NORMALISATION,
    }
    with open(os.path.join(out_dir, name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(sidecar, fh)
    return len(arr)

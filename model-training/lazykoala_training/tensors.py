"""Loading the tensor sets written by `lazykoala export-tensors` (and by synthetic.py).

A tensor set is a directory of float32 .npy files shaped [N, 3, 8, 13] (little-endian, C order),
each optionally with a JSON sidecar of the same stem. The sidecar fields used here (all optional):
  services    per-row service key (list of N strings), or the distinct services when
              service_index (list of N ints) is given
  timestamps  per-row window end, epoch ms (list of N numbers)
  normal      per-row flag; rows flagged false are left out (fault periods)
  faults      list of {start_ms, end_ms} intervals; rows inside one are left out
  contract / features / channel_windows_s / step_s / lookback_offsets / normalisation
              the layout the encoder used; it must match across all files
  description, topology, seed, recording   copied into the model's training_data description
"""
import glob
import json
import os
from dataclasses import dataclass, field

import numpy as np

from . import contract as C


@dataclass
class TensorSet:
    images: np.ndarray                 # float32 [N, C, R, F]
    services: np.ndarray               # object [N] service key per row ("" when unknown)
    timestamps: np.ndarray             # int64 [N], row order when unknown
    layout: dict
    sources: list = field(default_factory=list)   # one description dict per file
    dropped_abnormal: int = 0
    dropped_nonfinite: int = 0
    normal: np.ndarray = None          # bool [N]; all true unless loaded with drop_abnormal=False
    faults: list = field(default_factory=list)   # the sidecars' fault intervals (with "service" when known)

    def __len__(self):
        return len(self.images)


def _sidecar_for(npy_path):
    stem = npy_path[:-4]
    for candidate in (stem + ".json", npy_path + ".json", stem + ".meta.json"):
        if os.path.exists(candidate):
            with open(candidate, encoding="utf-8") as fh:
                return json.load(fh)
    return {}


def _per_row_services(sidecar, n):
    services = sidecar.get("services")
    if services is None:
        return np.array([""] * n, dtype=object)
    if "service_index" in sidecar:
        idx = sidecar["service_index"]
        return np.array([services[i] for i in idx], dtype=object)
    if len(services) == n:
        return np.array(services, dtype=object)
    if len(services) == 1:
        return np.array(services * n, dtype=object)
    raise C.ContractError(f"sidecar lists {len(services)} services for {n} images and no service_index")


def load_file(path, expected_layout=None, drop_abnormal=True):
    """One .npy (+ sidecar) as a TensorSet with non-finite rows removed, and abnormal rows too unless told."""
    arr = np.load(path, allow_pickle=False)
    if arr.dtype != np.float32:
        raise C.ContractError(f"{path} holds {arr.dtype} but float32 images were expected")
    sidecar = _sidecar_for(path)
    layout = C.layout_from_sidecar(sidecar)
    if expected_layout is not None:
        C.check_same_layout(expected_layout, layout, path)
    shape = [len(layout["channel_windows_s"]), len(layout["lookback_offsets"]), len(layout["features"])]
    if arr.ndim != 4 or list(arr.shape[1:]) != shape:
        raise C.ContractError(f"{path} has shape {list(arr.shape)} but [N, {shape[0]}, {shape[1]}, {shape[2]}] was expected")
    n = arr.shape[0]
    services = _per_row_services(sidecar, n)
    ts = np.asarray(sidecar.get("timestamps", np.arange(n)), dtype=np.int64)
    if len(ts) != n:
        raise C.ContractError(f"{path} has {n} images but its sidecar has {len(ts)} timestamps")
    normal = np.ones(n, dtype=bool)
    if "normal" in sidecar:
        normal &= np.asarray(sidecar["normal"], dtype=bool)
    for fault in sidecar.get("faults", []):
        start = fault.get("start_ms", fault.get("start"))
        end = fault.get("end_ms", fault.get("end"))
        normal &= ~((ts >= start) & (ts <= end))
    keep = normal.copy() if drop_abnormal else np.ones(n, dtype=bool)
    dropped_abnormal = int(n - keep.sum())
    finite = np.isfinite(arr).reshape(n, -1).all(axis=1)
    dropped_nonfinite = int((keep & ~finite).sum())
    keep &= finite
    desc = {k: sidecar[k] for k in ("description", "topology", "seed", "recording", "source") if k in sidecar}
    desc["file"] = os.path.basename(path)
    desc["images"] = int(keep.sum())
    desc["services"] = int(len(set(services[keep]))) if keep.any() else 0
    return TensorSet(arr[keep], services[keep], ts[keep], layout, [desc], dropped_abnormal, dropped_nonfinite,
                     normal[keep], list(sidecar.get("faults", [])))


def load_dir(directory, drop_abnormal=True):
    """All .npy files under a directory (sorted, so the order and thus training are deterministic)."""
    if not os.path.isdir(directory):
        raise C.ContractError(f"tensor directory {directory} does not exist")
    paths = sorted(glob.glob(os.path.join(directory, "**", "*.npy"), recursive=True))
    if not paths:
        raise C.ContractError(f"tensor directory {directory} holds no .npy files")
    parts, layout = [], None
    for p in paths:
        part = load_file(p, layout, drop_abnormal)
        layout = layout or part.layout
        parts.append(part)
    ts_parts = []
    for i, p in enumerate(parts):
        ts_parts.append(p.timestamps)
    result = TensorSet(
        images=np.concatenate([p.images for p in parts]),
        # Service keys are made unique per file: the same name in two simulated worlds is two services.
        services=np.concatenate([np.array([f"{i}:{s}" for s in p.services], dtype=object) for i, p in enumerate(parts)]),
        timestamps=np.concatenate(ts_parts),
        layout=layout,
        sources=[d for p in parts for d in p.sources],
        dropped_abnormal=sum(p.dropped_abnormal for p in parts),
        dropped_nonfinite=sum(p.dropped_nonfinite for p in parts),
        normal=np.concatenate([p.normal for p in parts]),
        faults=[dict(f, file_index=i) for i, p in enumerate(parts) for f in p.faults],
    )
    result.file_index = np.concatenate([np.full(len(p), i) for i, p in enumerate(parts)])
    if len(result) == 0:
        raise C.ContractError(f"tensor directory {directory} holds no normal, finite images")
    return result


def split_by_time(ts_set, holdout_fraction):
    """Train/held-out split: the last holdout_fraction of each file's time span is held out.

    Neighbouring images share most of their pixels (the windows overlap), so a random split would leak
    the held-out data into training and make the calibration optimistic. A time split does not.
    """
    file_index = getattr(ts_set, "file_index", np.zeros(len(ts_set), dtype=int))
    held = np.zeros(len(ts_set), dtype=bool)
    for f in np.unique(file_index):
        rows = file_index == f
        ts = ts_set.timestamps[rows]
        cut = np.quantile(ts, 1.0 - holdout_fraction) if len(ts) else 0
        held[rows] = ts > cut
    if held.sum() == 0 or held.sum() == len(held):
        raise C.ContractError(f"a holdout fraction of {holdout_fraction} leaves no data on one side of the split")
    return np.nonzero(~held)[0], np.nonzero(held)[0]


def subset(ts_set, rows):
    """The given rows of a TensorSet (file provenance kept)."""
    file_index = getattr(ts_set, "file_index", np.zeros(len(ts_set), dtype=int))
    result = TensorSet(ts_set.images[rows], ts_set.services[rows], ts_set.timestamps[rows], ts_set.layout,
                       ts_set.sources, ts_set.dropped_abnormal, ts_set.dropped_nonfinite, ts_set.normal[rows],
                       ts_set.faults)
    result.file_index = file_index[rows]
    return result

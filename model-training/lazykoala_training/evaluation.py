"""A quick detection check of a trained model on labelled tensor sets (normal and fault periods).

Not the project's evaluation (that is `lazykoala evaluate`, ranking included): it only asks whether the
model's raw score separates the faulty service from the rest. For each labelled fault: the fraction of
the target service's steps inside the fault scoring above q0.999 of normal (health below 0.5), and the
fraction of steps at which the target has the highest score of its world. For normal rows: the
fraction above q0.999 (about 0.001 when the calibration carries over to unseen seeds).
"""
import numpy as np

from . import training as T


def detection_check(net, data, calibration):
    scores = T.image_scores(net, data.images)
    q999 = calibration["score_quantiles"]["0.999"]
    file_index = getattr(data, "file_index", np.zeros(len(data), dtype=int))
    normal = data.normal if data.normal is not None else np.ones(len(data), dtype=bool)
    result = {
        "normal_rows": int(normal.sum()),
        "normal_above_q999": float(np.mean(scores[normal] > q999)) if normal.any() else None,
        "faults": [],
    }
    for f in data.faults:
        fi = f.get("file_index", 0)
        start, end = f.get("start_ms", f.get("start")), f.get("end_ms", f.get("end"))
        target = f"{fi}:{f.get('service', '')}"
        in_world = (file_index == fi) & (data.timestamps >= start) & (data.timestamps <= end)
        rows = np.nonzero(in_world & (data.services == target))[0]
        if len(rows) == 0:
            continue
        top = 0
        for r in rows:
            same_step = np.nonzero(in_world & (data.timestamps == data.timestamps[r]))[0]
            top += int(scores[r] >= scores[same_step].max())
        result["faults"].append({
            "service": f.get("service"),
            "type": f.get("type"),
            "file": data.sources[fi]["file"] if fi < len(data.sources) else str(fi),
            "steps": int(len(rows)),
            "above_q999": float(np.mean(scores[rows] > q999)),
            "top1": top / len(rows),
            "median_score_over_q999": float(np.median(scores[rows]) / q999),
        })
    if result["faults"]:
        result["mean_above_q999"] = float(np.mean([f["above_q999"] for f in result["faults"]]))
        result["mean_top1"] = float(np.mean([f["top1"] for f in result["faults"]]))
    return result

"""The fixed feature/image contract and the JSON stored under metadata key "lazykoala.contract".

The Java side (io.lazykoala.job.scoring.ModelContract) parses exactly these fields; keep both in step.
"""
import json

METADATA_KEY = "lazykoala.contract"
CONTRACT_FORMAT = 1

FEATURES = [
    "requests_received_per_s",
    "requests_sent_per_s",
    "errors_per_s",
    "duration_mean_ms",
    "duration_p95_ms",
    "bytes_received_per_s",
    "bytes_sent_per_s",
    "retransmits_per_s",
    "rtt_ms",
    "accept_queue_length",
    "accept_queue_overflows_per_s",
    "cpu_cores",
    "memory_bytes",
]
CHANNEL_WINDOWS_S = [10, 60, 300]
CHANNEL_NAMES = ["short", "medium", "long"]
LOOKBACK_OFFSETS = [0, 1, 2, 4, 8, 16, 32, 64]
STEP_S = 5
INPUT_NAME = "images"
OUTPUT_NAME = "reconstruction"
IMAGE_SHAPE = [len(CHANNEL_WINDOWS_S), len(LOOKBACK_OFFSETS), len(FEATURES)]  # [3, 8, 13]
NORMALISATION = {"kind": "padded-minmax", "padding": 1.3}
SCORE = "mean_squared_error"


class ContractError(ValueError):
    """A tensor set or base model that does not follow the contract (message is one sentence)."""


def layout_from_sidecar(sidecar):
    """The image layout a sidecar describes; fields it omits take the DESIGN.md defaults."""
    src = sidecar.get("contract", sidecar)
    return {
        "features": list(src.get("features", FEATURES)),
        "channel_windows_s": [float(w) for w in src.get("channel_windows_s", CHANNEL_WINDOWS_S)],
        "step_s": float(src.get("step_s", STEP_S)),
        "lookback_offsets": [int(o) for o in src.get("lookback_offsets", LOOKBACK_OFFSETS)],
        "normalisation": dict(src.get("normalisation", NORMALISATION)),
    }


def default_layout():
    return layout_from_sidecar({})


def check_same_layout(expected, actual, what):
    """Raise ContractError naming the first field in which two layouts differ."""
    for key in ("features", "channel_windows_s", "step_s", "lookback_offsets"):
        if expected[key] != actual[key]:
            raise ContractError(f"{what} has {key} {actual[key]} but {expected[key]} was expected")
    ek, ak = expected["normalisation"].get("kind"), actual["normalisation"].get("kind")
    if ek != ak:
        raise ContractError(f"{what} is normalised with {ak!r} but {ek!r} was expected")
    ep, ap = expected["normalisation"].get("padding"), actual["normalisation"].get("padding")
    if ep is not None and ap is not None and abs(float(ep) - float(ap)) > 1e-9:
        raise ContractError(f"{what} uses normalisation padding {ap} but {ep} was expected")


def build_contract(layout, calibration, version, training_data, training=None):
    """The contract JSON object. calibration must hold score_quantiles with at least 0.5..0.999."""
    channels, rows, cols = len(layout["channel_windows_s"]), len(layout["lookback_offsets"]), len(layout["features"])
    contract = {
        "format": CONTRACT_FORMAT,
        "input_name": INPUT_NAME,
        "output_name": OUTPUT_NAME,
        "input_shape": [-1, channels, rows, cols],
        "features": layout["features"],
        "channel_windows_s": layout["channel_windows_s"],
        "channel_names": CHANNEL_NAMES[:channels],
        "step_s": layout["step_s"],
        "lookback_offsets": layout["lookback_offsets"],
        "normalisation": layout["normalisation"],
        "score": SCORE,
        "calibration": calibration,
        "version": version,
        "training_data": training_data,
    }
    if training is not None:
        contract["training"] = training
    return contract


def to_json(contract):
    return json.dumps(contract, sort_keys=True, separators=(",", ":"))

"""ONNX export with the contract in metadata_props, and reading a model back for fine-tuning."""
import io
import json

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from . import contract as C
from . import model as M

OPSET = 17  # DESIGN.md: opset <= 17 (Debian torch 1.13 exports up to 17)


def export(model, contract, path, doc=""):
    """Writes model as ONNX with a dynamic batch axis; returns the onnx.ModelProto written."""
    model.eval()
    hp = model.hparams
    dummy = torch.zeros(2, hp["channels"], hp["rows"], hp["features"])
    buf = io.BytesIO()
    torch.onnx.export(
        model, dummy, buf,
        input_names=[C.INPUT_NAME], output_names=[C.OUTPUT_NAME],
        dynamic_axes={C.INPUT_NAME: {0: "N"}, C.OUTPUT_NAME: {0: "N"}},
        opset_version=OPSET, do_constant_folding=True, export_params=True,
    )
    proto = onnx.load_from_string(buf.getvalue())
    del proto.metadata_props[:]
    entry = proto.metadata_props.add()
    entry.key = C.METADATA_KEY
    entry.value = C.to_json(contract)
    proto.producer_name = "lazykoala-model-training"
    proto.doc_string = doc or f"Lazy Koala service autoencoder {contract['version']}"
    proto.graph.name = "lazykoala_autoencoder"
    onnx.checker.check_model(proto)
    onnx.save(proto, path)
    return proto


def read_contract(path):
    proto = onnx.load(path)
    for p in proto.metadata_props:
        if p.key == C.METADATA_KEY:
            return json.loads(p.value), proto
    raise C.ContractError(f"{path} carries no {C.METADATA_KEY} metadata")


def load_model(path):
    """Rebuilds the torch model of an ONNX file written by export() (its weights are initializers).

    The architecture is in contract.training.hparams. Initializers are matched by parameter name;
    the exporter may rename folded constants, so unmatched ones are matched by shape in graph order.
    """
    contract, proto = read_contract(path)
    hp = contract.get("training", {}).get("hparams")
    if hp is None:
        raise C.ContractError(f"{path} does not record its architecture, so it cannot be fine-tuned")
    model = M.build(hp)
    inits = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}
    state = model.state_dict()
    unused = [name for name in inits if name not in state]
    new_state = {}
    for name, tensor in state.items():
        if name in inits and tuple(inits[name].shape) == tuple(tensor.shape):
            new_state[name] = torch.from_numpy(np.array(inits[name]))
            continue
        match = next((u for u in unused if tuple(inits[u].shape) == tuple(tensor.shape)), None)
        if match is None:
            raise C.ContractError(f"{path} has no weights for {name} {tuple(tensor.shape)}")
        unused.remove(match)
        new_state[name] = torch.from_numpy(np.array(inits[match]))
    model.load_state_dict(new_state)
    return model, contract

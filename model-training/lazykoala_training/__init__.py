"""Training, calibration and ONNX export of the Lazy Koala service autoencoder.

Everything here follows the image/model contract of ../shared/DESIGN.md (see contract.py): the
images come from the job's own encoder through `lazykoala export-tensors`, so training and serving
use one code path for the features, and the exported ONNX carries its contract in metadata_props.
"""

"""Unit tests of the training package: /usr/bin/python3 -m unittest discover -s model-training/tests"""
import json
import os
import sys
import tempfile
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lazykoala_training import contract as C  # noqa: E402
from lazykoala_training import model as M  # noqa: E402
from lazykoala_training import onnx_io  # noqa: E402
from lazykoala_training import synthetic  # noqa: E402
from lazykoala_training import tensors  # noqa: E402
from lazykoala_training import training as T  # noqa: E402


class CalibrationTest(unittest.TestCase):
    def test_required_quantiles_present_and_increasing(self):
        scores = np.random.default_rng(1).lognormal(-3, 0.5, 5000)
        cal = T.calibrate(scores)
        q = cal["score_quantiles"]
        for k in ("0.5", "0.9", "0.99", "0.999"):
            self.assertIn(k, q)
        values = [q[k] for k in sorted(q, key=float)]
        self.assertTrue(all(b > a for a, b in zip(values, values[1:])), values)
        self.assertAlmostEqual(q["0.5"], float(np.median(scores)), delta=0.01 * q["0.5"])
        self.assertNotIn("0.9999", q)  # 5000 samples cannot estimate a 1-in-10000 tail

    def test_ties_still_strictly_increasing(self):
        q = T.calibrate(np.ones(100))["score_quantiles"]
        values = [q[k] for k in sorted(q, key=float)]
        self.assertTrue(all(b > a for a, b in zip(values, values[1:])), values)


class ExportTest(unittest.TestCase):
    def test_round_trip_weights_and_contract(self):
        torch.manual_seed(3)
        net = M.build(M.default_hparams())
        cal = T.calibrate(np.linspace(0.01, 0.1, 100))
        contract = C.build_contract(C.default_layout(), cal, "t-1", {"kind": "test"}, {"hparams": net.hparams})
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.onnx")
            onnx_io.export(net, contract, path)
            back, read = onnx_io.load_model(path)
            self.assertEqual(read["input_shape"], [-1, 3, 8, 13])
            self.assertEqual(read["features"], C.FEATURES)
            self.assertEqual(read["calibration"]["score_quantiles"], cal["score_quantiles"])
            x = torch.rand(4, 3, 8, 13)
            net.eval()
            back.eval()
            self.assertTrue(torch.allclose(net(x), back(x)))


class TensorLoadingTest(unittest.TestCase):
    def test_fault_rows_and_layout_mismatch(self):
        with tempfile.TemporaryDirectory() as d:
            synthetic.write(d, services=2, steps=200, seed=1)
            full = tensors.load_dir(d)
            side = os.path.join(d, "synthetic.json")
            meta = json.load(open(side))
            meta["faults"] = [{"start_ms": meta["timestamps"][10], "end_ms": meta["timestamps"][19]}]
            json.dump(meta, open(side, "w"))
            cut = tensors.load_dir(d)
            self.assertEqual(len(full) - len(cut), 20)  # 10 steps x 2 services
            meta["features"] = C.FEATURES[:12]
            json.dump(meta, open(side, "w"))
            with self.assertRaises(C.ContractError):
                tensors.load_dir(d)

    def test_time_split_holds_out_the_end(self):
        with tempfile.TemporaryDirectory() as d:
            synthetic.write(d, services=2, steps=300, seed=1)
            data = tensors.load_dir(d)
            tr, ho = tensors.split_by_time(data, 0.25)
            self.assertLess(data.timestamps[tr].max(), data.timestamps[ho].min())
            self.assertAlmostEqual(len(ho) / len(data), 0.25, delta=0.02)


if __name__ == "__main__":
    unittest.main()

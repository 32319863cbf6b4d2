#!/usr/bin/python3
"""Checks every .onnx file in a directory with onnx.checker.check_model(full_check=True) (the ONNX
spec checker plus strict shape inference), and that simdnet's documented interface holds: one
float input with a symbolic batch dimension, outputs with the same symbolic batch dimension.

  /usr/bin/python3 test/interop/checker/check_onnx.py <dir>
"""
import glob
import os
import sys

import onnx

paths = sorted(glob.glob(os.path.join(sys.argv[1], '*.onnx')))
if not paths:
    sys.exit(f'no .onnx files in {sys.argv[1]}')
failed = 0
for p in paths:
    name = os.path.basename(p)
    try:
        m = onnx.load(p)
        onnx.checker.check_model(m, full_check=True)
        (inp,) = m.graph.input
        assert inp.type.tensor_type.elem_type == onnx.TensorProto.FLOAT, 'input is not float'
        batch = inp.type.tensor_type.shape.dim[0].dim_param
        assert batch, 'the batch dimension is not symbolic'
        for o in m.graph.output:
            assert o.type.tensor_type.shape.dim[0].dim_param == batch, f'output {o.name} has another batch dimension'
    except Exception as e:  # noqa: BLE001 - report every failing file
        failed += 1
        print(f'FAIL {name}: {e}')
print(f'onnx.checker (onnx {onnx.__version__}, full_check): {len(paths) - failed} of {len(paths)} files pass')
sys.exit(1 if failed else 0)

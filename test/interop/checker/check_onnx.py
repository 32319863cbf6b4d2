#!/usr/bin/python3
"""Checks every .onnx file in a directory with onnx.checker.check_model(full_check=True) (the ONNX
spec checker plus strict shape inference), and that simdnet's documented interface holds: inputs
with one symbolic batch dimension (one float input; a column pipeline's files: float numbers and
dates, string categories and booleans, as listed in the "simdnet.inputs" metadata), outputs with
the same symbolic batch dimension.

  /usr/bin/python3 test/interop/checker/check_onnx.py <dir>
"""
import glob
import json
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
        meta = {p.key: p.value for p in m.metadata_props}
        layout = json.loads(meta['simdnet.inputs']) if 'simdnet.inputs' in meta else None
        if layout is None:
            assert len(m.graph.input) == 1, 'expected one input'
        else:
            assert [i.name for i in m.graph.input] == [l['input'] for l in layout], 'inputs differ from simdnet.inputs'
        batch = m.graph.input[0].type.tensor_type.shape.dim[0].dim_param
        assert batch, 'the batch dimension is not symbolic'
        for k, inp in enumerate(m.graph.input):
            kind = layout[k]['kind'] if layout else 'numeric'
            want = onnx.TensorProto.STRING if kind in ('categorical', 'boolean') else onnx.TensorProto.FLOAT
            assert inp.type.tensor_type.elem_type == want, f'input {inp.name} ({kind}) has element type {inp.type.tensor_type.elem_type}'
            assert inp.type.tensor_type.shape.dim[0].dim_param == batch, f'input {inp.name} has another batch dimension'
        for o in m.graph.output:
            assert o.type.tensor_type.shape.dim[0].dim_param == batch, f'output {o.name} has another batch dimension'
    except Exception as e:  # noqa: BLE001 - report every failing file
        failed += 1
        print(f'FAIL {name}: {e}')
print(f'onnx.checker (onnx {onnx.__version__}, full_check): {len(paths) - failed} of {len(paths)} files pass')
sys.exit(1 if failed else 0)

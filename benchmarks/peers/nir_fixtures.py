#!/usr/bin/python3
"""Writes the small .nir fixtures of Myelin's NIR reader tests, in the layout of NIR's own writer (h5py):
a root dataset "version" and a group "node" holding the graph: "type", a group "nodes" (one group per node with
its "type" and parameter datasets) and "edges" (a string array of [source, target] pairs).

usage: nir_fixtures.py OUTDIR     (needs apt-get install -y python3-h5py)
"""
import os
import sys

import h5py
import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
f32 = np.float32


def put(group, node):
    for k, v in node.items():
        if isinstance(v, dict):
            put(group.create_group(k), v)
        elif isinstance(v, str):
            group.create_dataset(k, data=v, dtype=h5py.string_dtype())
        elif k == 'edges':
            group.create_dataset(k, data=np.array(v, dtype=object), dtype=h5py.string_dtype())
        else:
            group.create_dataset(k, data=v)


def write(name, graph, version='1.0.0'):
    with h5py.File(os.path.join(out, name), 'w') as f:
        f.create_dataset('version', data=version, dtype=h5py.string_dtype())
        put(f.create_group('node'), graph)


rng = np.random.default_rng(1)
n3 = lambda v: np.full(3, v, dtype=f32)
recurrent = {
    'type': 'NIRGraph',
    'nodes': {
        'input': {'type': 'Input', 'shape': np.array([3])},
        'lif': {'type': 'CubaLIF', 'tau_mem': n3(0.02), 'tau_syn': n3(0.005), 'r': n3(1.0), 'v_leak': n3(0.0),
                'v_reset': n3(0.0), 'v_threshold': n3(1.0), 'w_in': n3(1.0)},
        'w_rec': {'type': 'Linear', 'weight': rng.normal(size=(3, 3)).astype(f32)},
        'output': {'type': 'Output', 'shape': np.array([3])},
    },
    'edges': [['input', 'lif'], ['lif', 'w_rec'], ['w_rec', 'lif'], ['lif', 'output']],
}
every = {
    'type': 'NIRGraph',
    'nodes': {
        'input': {'type': 'Input', 'shape': np.array([4])},
        'affine': {'type': 'Affine', 'weight': rng.normal(size=(3, 4)).astype(f32), 'bias': np.zeros(3, f32)},
        'scale': {'type': 'Scale', 'scale': n3(2.0)},
        'delay': {'type': 'Delay', 'delay': n3(0.001)},
        'li': {'type': 'LI', 'tau': n3(0.01), 'r': n3(1.0), 'v_leak': n3(0.0)},
        'cubali': {'type': 'CubaLI', 'tau_mem': n3(0.01), 'tau_syn': n3(0.002), 'r': n3(1.0), 'v_leak': n3(0.0),
                   'w_in': n3(1.0)},
        'i': {'type': 'I', 'r': n3(1.0)},
        'if': {'type': 'IF', 'r': n3(1.0), 'v_threshold': n3(1.0), 'v_reset': n3(0.0)},
        'lif': {'type': 'LIF', 'tau': n3(0.0025), 'r': n3(1.0), 'v_leak': n3(0.0), 'v_threshold': n3(0.1)},
        'threshold': {'type': 'Threshold', 'threshold': n3(0.5)},
        'linear': {'type': 'Linear', 'weight': rng.normal(size=(3, 3)).astype(f32)},
        'rnn': recurrent,
        'conv1d': {'type': 'Conv1d', 'weight': rng.normal(size=(2, 1, 3)).astype(f32), 'stride': np.array([1]),
                   'padding': np.array([1]), 'dilation': np.array([1]), 'groups': 1, 'bias': np.zeros(2, f32)},
        'conv2d': {'type': 'Conv2d', 'weight': rng.normal(size=(2, 1, 3, 3)).astype(f32),
                   'stride': np.array([1, 1]), 'padding': np.array([1, 1]), 'dilation': np.array([1, 1]),
                   'groups': 1, 'bias': np.zeros(2, f32), 'input_shape': np.array([4, 4])},
        'sumpool': {'type': 'SumPool2d', 'kernel_size': np.array([2, 2]), 'stride': np.array([2, 2]),
                    'padding': np.array([0, 0])},
        'avgpool': {'type': 'AvgPool2d', 'kernel_size': np.array([2, 2]), 'stride': np.array([2, 2]),
                    'padding': np.array([0, 0])},
        'flatten': {'type': 'Flatten', 'start_dim': 0, 'end_dim': -1, 'input_type': np.array([2, 1, 1])},
        'output': {'type': 'Output', 'shape': np.array([3])},
        'image': {'type': 'Input', 'shape': np.array([1, 4, 4])},
        'features': {'type': 'Output', 'shape': np.array([2])},
    },
    'edges': [['input', 'affine'], ['affine', 'scale'], ['scale', 'delay'], ['delay', 'li'], ['li', 'cubali'],
              ['cubali', 'i'], ['i', 'if'], ['if', 'lif'], ['lif', 'threshold'], ['threshold', 'linear'],
              ['linear', 'rnn'], ['rnn', 'output'],
              ['image', 'conv2d'], ['conv2d', 'sumpool'], ['sumpool', 'avgpool'], ['avgpool', 'flatten'],
              ['flatten', 'features']],
}
# conv1d is declared but unconnected on purpose: info lists it, the checks leave it alone
write('every-node.nir', every)
write('lif.nir', {'type': 'NIRGraph', 'nodes': {
    'input': {'type': 'Input', 'shape': np.array([1])},
    '0': {'type': 'Affine', 'weight': np.array([[1.0]], f32), 'bias': np.array([0.0], f32)},
    '1': {'type': 'LIF', 'tau': np.array([0.0025], f32), 'r': np.array([1.0], f32), 'v_leak': np.array([0.0], f32),
          'v_threshold': np.array([0.1], f32)},
    'output': {'type': 'Output', 'shape': np.array([1])}},
    'edges': [['input', '0'], ['0', '1'], ['1', 'output']]}, version='0.1.1')
write('missing-field.nir', {'type': 'NIRGraph', 'nodes': {
    'input': {'type': 'Input', 'shape': np.array([2])},
    'fc': {'type': 'Affine', 'weight': np.ones((2, 2), f32)},
    'output': {'type': 'Output', 'shape': np.array([2])}},
    'edges': [['input', 'fc'], ['fc', 'output']]})
write('unknown-type.nir', {'type': 'NIRGraph', 'nodes': {
    'input': {'type': 'Input', 'shape': np.array([2])},
    'mystery': {'type': 'Izhikevich', 'a': np.ones(2, f32)},
    'output': {'type': 'Output', 'shape': np.array([2])}},
    'edges': [['input', 'mystery'], ['mystery', 'output']]})
write('shape-mismatch.nir', {'type': 'NIRGraph', 'nodes': {
    'input': {'type': 'Input', 'shape': np.array([3])},
    'fc': {'type': 'Affine', 'weight': np.ones((2, 4), f32), 'bias': np.zeros(2, f32)},
    'output': {'type': 'Output', 'shape': np.array([2])}},
    'edges': [['input', 'fc'], ['fc', 'output']]})

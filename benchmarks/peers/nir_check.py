#!/usr/bin/python3
"""Checks with h5py (an independent HDF5 reader) that a .nir file has the structure NIR's reader expects: a "version"
string, a group "node" whose "type" is b"NIRGraph", whose "nodes" are groups each with a string "type" and the fields
of its type, and whose "edges" is an (n x 2) array of strings naming nodes (recursively for subgraphs). Prints
what it found; exits 1 on the first violation.

usage: nir_check.py FILE.nir    (apt-get install -y python3-h5py)
"""
import sys

import h5py

REQUIRED = {
    'Input': ['shape'], 'Output': ['shape'], 'Affine': ['weight', 'bias'], 'Linear': ['weight'], 'Scale': ['scale'],
    'Conv1d': ['weight', 'stride', 'padding', 'dilation', 'groups', 'bias'],
    'Conv2d': ['weight', 'stride', 'padding', 'dilation', 'groups', 'bias'], 'Flatten': ['start_dim', 'end_dim'],
    'SumPool2d': ['kernel_size', 'stride', 'padding'], 'AvgPool2d': ['kernel_size', 'stride', 'padding'],
    'Threshold': ['threshold'], 'Delay': ['delay'], 'I': ['r'], 'IF': ['r', 'v_threshold'],
    'LI': ['tau', 'r', 'v_leak'], 'LIF': ['tau', 'r', 'v_leak', 'v_threshold'],
    'CubaLI': ['tau_mem', 'tau_syn', 'r', 'v_leak'], 'CubaLIF': ['tau_mem', 'tau_syn', 'r', 'v_leak', 'v_threshold'],
}


def text(v):
    v = v[()]
    return v.decode('utf8') if isinstance(v, bytes) else str(v)


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def check(group, where, counts):
    if text(group['type']) != 'NIRGraph':
        fail(where + ': type is not NIRGraph')
    names = set(group['nodes'].keys())
    for name, node in group['nodes'].items():
        t = text(node['type'])
        counts[t] = counts.get(t, 0) + 1
        if t == 'NIRGraph':
            check(node, where + '/' + name, counts)
            continue
        for field in REQUIRED.get(t, None) or fail(where + '/' + name + ': unknown type ' + t):
            if field not in node:
                fail('%s/%s (%s): field %s missing' % (where, name, t, field))
    edges = group['edges'][()]
    if edges.size and (edges.ndim != 2 or edges.shape[1] != 2):
        fail(where + ': edges are not (n x 2)')
    for a, b in edges:
        for x in (a, b):
            x = x.decode('utf8') if isinstance(x, bytes) else str(x)
            if x not in names:
                print('warning: %s: edge names %s, not a node' % (where, x))


with h5py.File(sys.argv[1], 'r') as f:
    print('version', text(f['version']))
    counts = {}
    check(f['node'], 'node', counts)
    print('ok:', ', '.join('%d %s' % (n, t) for t, n in sorted(counts.items())))

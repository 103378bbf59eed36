"""Checks .nir files the way the reference implementation (neuromorphs/NIR 1.0.x, nir/serialization.py and nir/ir/)
reads them, with h5py and numpy only (the nir package cannot be installed here).

Written for Myelin from a reading of the reference's code, not copied from it. What it reproduces:
  - read_version: the root dataset "version" must be an HDF5 string (h5py gives bytes) that decodes as UTF-8;
  - read: hdf2dict over the group "node" (groups become dicts, datasets become their value, bytes are decoded),
    then dict2NIRNode: a dispatch on "type" to the node class, whose from_dict passes every other key to the
    class's constructor, so a missing required key or a key the class does not take is an error;
  - each class's __post_init__: the parameters that must have one shape, weights at least 2-D, the defaults
    (v_reset = zeros_like(v_threshold), w_in = ones), and the input_type/output_type it derives;
  - NIRGraph: edges as (n x 2) strings naming nodes of the graph, then type_check=True (the default of nir.read):
    type inference from the Input nodes (Conv, pooling and Flatten output shapes computed) and the check that
    every edge's output type equals the next node's input type.

Prints one summary line per node, field, edge and the version, which the Java test compares with what it wrote;
exits 1 with the reason on the first violation.

usage: python3 nir_reference_check.py FILE...
"""
import sys

import h5py
import numpy as np


class Violation(Exception):
    pass


def fail(msg):
    raise Violation(msg)


def to_py(item):
    v = item[()]
    return v.decode("utf8") if isinstance(v, bytes) else v


def hdf_to_dict(group):
    out = {}
    for key, item in group.items():
        if isinstance(item, h5py.Group):
            out[key] = hdf_to_dict(item)
        elif isinstance(item, h5py.Dataset):
            out[key] = to_py(item)
    return out


# constructor arguments per node class: (required, optional); from_dict hands every key but "type" over
NEURON_EXTRA = ("input_type", "output_type", "metadata")
CLASSES = {
    "Input": (("shape",), ("metadata",)),  # from_dict turns shape into input_type
    "Output": (("shape",), ("metadata",)),
    "Affine": (("weight", "bias"), NEURON_EXTRA),
    "Linear": (("weight",), ("metadata",)),
    "Scale": (("scale",), ("metadata",)),
    "Delay": (("delay",), NEURON_EXTRA),
    "Threshold": (("threshold",), NEURON_EXTRA),
    "Flatten": (("start_dim", "end_dim"), NEURON_EXTRA),
    "Conv1d": (("input_shape", "weight", "stride", "padding", "dilation", "groups", "bias"), NEURON_EXTRA),
    "Conv2d": (("input_shape", "weight", "stride", "padding", "dilation", "groups", "bias"), NEURON_EXTRA),
    "SumPool2d": (("kernel_size", "stride", "padding"), NEURON_EXTRA),
    "AvgPool2d": (("kernel_size", "stride", "padding"), NEURON_EXTRA),
    "I": (("r",), NEURON_EXTRA),
    "IF": (("r", "v_threshold"), ("v_reset",) + NEURON_EXTRA),
    "LI": (("tau", "r", "v_leak"), NEURON_EXTRA),
    "LIF": (("tau", "r", "v_leak", "v_threshold"), ("v_reset",) + NEURON_EXTRA),
    "CubaLI": (("tau_syn", "tau_mem", "r", "v_leak"), ("w_in",) + NEURON_EXTRA),
    "CubaLIF": (("tau_syn", "tau_mem", "r", "v_leak", "v_threshold"), ("v_reset", "w_in") + NEURON_EXTRA),
    "NIRGraph": (("nodes", "edges"), ("input_type", "output_type", "metadata")),
}

# the parameters whose shapes each class asserts equal; the first one gives the neuron's shape
SAME_SHAPE = {
    "CubaLI": ("v_leak", "tau_syn", "tau_mem", "r"),
    "CubaLIF": ("v_threshold", "tau_syn", "tau_mem", "r", "v_leak", "v_reset"),
    "IF": ("r", "v_threshold", "v_reset"),
    "LI": ("r", "tau", "v_leak"),
    "LIF": ("r", "tau", "v_leak", "v_reset", "v_threshold"),
    "I": ("r",),
    "Delay": ("delay",),
    "Scale": ("scale",),
    "Threshold": ("threshold",),
}


class Node:
    def __init__(self, type_, params, input_type, output_type, graph=None):
        self.type = type_
        self.params = params
        self.input_type = input_type  # dict name -> np array, a value None when unknown
        self.output_type = output_type
        self.graph = graph


def conv_out(shape, padding, dilation, kernel, stride):
    shape = np.atleast_1d(np.array(shape))
    n = len(shape)
    if isinstance(padding, str):
        fail("string padding '%s' is not inferred by this checker" % padding)

    def per_dim(x):
        x = np.atleast_1d(np.array(x))
        return np.repeat(x, n) if len(x) == 1 else x

    p, d, k, s = per_dim(padding), per_dim(dilation), per_dim(kernel), per_dim(stride)
    return np.floor((shape + 2 * p - d * (k - 1) - 1) / s + 1).astype(int)


def flatten_out(shape, start, end):
    shape = list(np.array(shape))
    start = start + len(shape) if start < 0 else start
    end = end + len(shape) if end < 0 else end
    return np.array(shape[:start] + [int(np.prod(shape[start:end + 1]))] + shape[end + 1:])


def make_node(path, d):
    if not isinstance(d, dict):
        fail("%s: a node must be a group" % path)
    if "type" not in d:
        fail("%s: no dataset 'type'" % path)
    t = d["type"]
    if not isinstance(t, str):
        fail("%s: 'type' is %r, not a string" % (path, t))
    if t not in CLASSES:
        fail("%s: unknown node type %r" % (path, t))
    required, optional = CLASSES[t]
    keys = set(d) - {"type"}
    for k in required:
        if k not in keys:
            fail("%s (%s): missing required field '%s'" % (path, t, k))
    extra = keys - set(required) - set(optional)
    if extra:
        fail("%s (%s): fields the %s constructor does not take: %s" % (path, t, t, sorted(extra)))
    p = {k: v for k, v in d.items() if k not in ("type", "metadata")}
    if "metadata" in d and not isinstance(d["metadata"], dict):
        fail("%s: metadata must be a group" % path)
    if t == "NIRGraph":
        return make_graph(path, d)
    for k, v in p.items():
        if k != "metadata" and isinstance(v, str):
            fail("%s (%s): field '%s' is a string, not a number array" % (path, t, k))
    if t in ("Input", "Output"):
        shape = np.atleast_1d(np.array(p["shape"]))
        if shape.dtype.kind not in "iu":
            fail("%s (%s): shape has dtype %s, not an integer type" % (path, t, shape.dtype))
        return Node(t, p, {"input": shape}, {"output": shape})
    if t in SAME_SHAPE:
        if t in ("IF", "LIF", "CubaLIF") and "v_reset" not in p:
            p["v_reset"] = np.zeros_like(p["v_threshold"])
        if t in ("CubaLI", "CubaLIF"):
            p["w_in"] = np.ones_like(np.array(p["v_leak"])) * p.get("w_in", 1.0)
        names = SAME_SHAPE[t]
        shapes = [np.shape(p[k]) for k in names]
        if any(s != shapes[0] for s in shapes):
            fail("%s (%s): parameters %s must have one shape, have %s" % (path, t, list(names), shapes))
        s = np.array(shapes[0])
        return Node(t, p, {"input": s}, {"output": s})
    if t in ("Affine", "Linear"):
        w = np.asarray(p["weight"])
        if w.ndim < 2:
            fail("%s (%s): weight must be at least 2D, is %s" % (path, t, w.shape))
        if t == "Affine" and np.shape(p["bias"]) != w.shape[:-2] + (w.shape[-2],):
            # the reference does not assert this, but an Affine whose bias does not fit its output cannot run
            fail("%s (Affine): bias shape %s does not fit weight %s" % (path, np.shape(p["bias"]), w.shape))
        return Node(t, p, {"input": np.array(w.shape[:-2] + (w.shape[-1],))},
                    {"output": np.array(w.shape[:-2] + (w.shape[-2],))})
    if t in ("Conv1d", "Conv2d"):
        w = np.asarray(p["weight"])
        if w.ndim != (3 if t == "Conv1d" else 4):
            fail("%s (%s): weight has %d dimensions" % (path, t, w.ndim))
        inp = out = None
        if p.get("input_shape") is not None:
            sp = np.atleast_1d(np.array(p["input_shape"]))
            inp = np.array([w.shape[1] * p["groups"], *sp])
            out = np.array([w.shape[0], *conv_out(sp, p["padding"], p["dilation"], w.shape[2:], p["stride"])])
        return Node(t, p, {"input": inp}, {"output": out})
    if t in ("SumPool2d", "AvgPool2d"):
        return Node(t, p, {"input": None}, {"output": None})
    if t == "Flatten":
        it = p.get("input_type")
        it = None if it is None else np.atleast_1d(np.array(it))
        out = None if it is None else flatten_out(it, int(p["start_dim"]), int(p["end_dim"]))
        return Node(t, p, {"input": it}, {"output": out})
    fail("%s: no rule for %s" % (path, t))


def undefined(types):
    return types is None or any(v is None for v in types.values())


def make_graph(path, d):
    if not isinstance(d["nodes"], dict):
        fail("%s: 'nodes' must be a group" % path)
    nodes = {k: make_node(path + "/" + k, v) for k, v in d["nodes"].items()}
    raw = d["edges"]
    if isinstance(raw, str):
        fail("%s: 'edges' must be an (n x 2) string array" % path)
    raw = np.asarray(raw)
    if raw.size == 0:
        raw = raw.reshape(0, 2)
    if raw.ndim != 2 or raw.shape[1] != 2:
        fail("%s: 'edges' has shape %s, not (n, 2)" % (path, raw.shape))
    edges = []
    for a, b in raw:
        for x in (a, b):
            if not isinstance(x, (bytes, str)):
                fail("%s: edge end %r is not a string" % (path, x))
        a = a.decode("utf8") if isinstance(a, bytes) else a
        b = b.decode("utf8") if isinstance(b, bytes) else b
        edges.append((a, b))
    g = Node("NIRGraph", {}, None, None, graph=(nodes, edges))
    infer_types(path, g)
    check_types(path, g)
    return g


def update_io_types(g):
    nodes, _ = g.graph
    g.input_type = {k: n.input_type["input"] for k, n in nodes.items() if n.type == "Input"}
    g.output_type = {k: n.output_type["output"] for k, n in nodes.items() if n.type == "Output"}


def infer_types(path, g):
    nodes, edges = g.graph
    if not nodes:
        return
    for e in edges:
        for x in e:
            if x not in nodes:
                fail("%s: edge %s -> %s names no node '%s'" % (path, e[0], e[1], x))
    roots = set(nodes) - {b for _, b in edges}
    for k in sorted(roots):
        n = nodes[k]
        if undefined(n.input_type):
            fail("%s: node '%s' has no Input before it and no input type" % (path, k))
        if n.type != "Input":
            name = "input_" + k
            nodes[name] = Node("Input", {}, dict(n.input_type), {"output": n.input_type["input"]})
            edges.append((name, k))
    update_io_types(g)
    ready = [e for e in edges if e[0] in g.input_type]
    if not ready:
        fail("%s: type inference finds no edge out of an Input node" % path)
    seen = set(e[0] for e in ready)
    while ready:
        a, b = ready.pop()
        pre, post = nodes[a], nodes[b]
        if post.type == "NIRGraph":
            infer_types(path + "/" + b, post)
        if undefined(post.input_type):
            post.input_type = {k.replace("output", "input"): v for k, v in pre.output_type.items()}
        elif len(post.input_type) != len(pre.output_type) or not np.array_equal(
                np.array(list(pre.output_type.values()), dtype=object if undefined(pre.output_type) else None),
                np.array(list(post.input_type.values()))):
            fail("%s: type mismatch %s.output %s -> %s.input %s" % (
                path, a, list(pre.output_type.values()), b, list(post.input_type.values())))
        if post.type == "Output":
            post.output_type = {"output": post.input_type["input"]}
        if undefined(post.output_type):
            inp = post.input_type["input"]
            if post.type in ("Conv1d", "Conv2d"):
                w = np.asarray(post.params["weight"])
                sp = inp[1:]
                post.output_type = {"output": np.array(
                    [w.shape[0], *conv_out(sp, post.params["padding"], post.params["dilation"], w.shape[2:],
                                           post.params["stride"])])}
            elif post.type in ("SumPool2d", "AvgPool2d"):
                sp = conv_out(pre.output_type["output"][1:], post.params["padding"], 1, post.params["kernel_size"],
                              post.params["stride"])
                post.output_type = {"output": np.array([inp[0], *sp])}
            elif post.type == "Flatten":
                out = flatten_out(inp, int(post.params["start_dim"]), int(post.params["end_dim"]))
                if np.prod(inp) != np.prod(out):
                    fail("%s: Flatten %s changes the number of elements" % (path, b))
                post.output_type = {"output": out}
        seen.add(b)
        ready += [e for e in edges if e[0] == b and e[1] not in seen]
    leaves = set(nodes) - {a for a, _ in edges}
    if not leaves:
        fail("%s: type inference finds no leaf (Output) node" % path)
    for k in sorted(leaves):
        n = nodes[k]
        if n.type != "Output":
            if undefined(n.output_type):
                fail("%s: leaf node '%s' (%s) is no Output and has no output type" % (path, k, n.type))
            name = "output_" + k
            nodes[name] = Node("Output", {}, {"input": n.output_type["output"]}, dict(n.output_type))
            edges.append((k, name))
    update_io_types(g)


def check_types(path, g):
    nodes, edges = g.graph
    for a, b in edges:
        pre, post = nodes[a], nodes[b]
        if post.type == "NIRGraph":
            check_types(path + "/" + b, post)
        if undefined(pre.output_type):
            fail("%s: pre node %s has no output type" % (path, a))
        if undefined(post.input_type):
            fail("%s: post node %s has no input type" % (path, b))
        if len(pre.output_type) != len(post.input_type):
            fail("%s: type length mismatch %s -> %s" % (path, a, b))
        if len(pre.output_type) != 1:
            fail("%s: multiple input/output types are not supported (%s -> %s)" % (path, a, b))
        po = list(pre.output_type.values())[0]
        pi = list(post.input_type.values())[0]
        if not np.array_equal(po, pi):
            fail("%s: type mismatch %s.output %s -> %s.input %s" % (path, a, po, b, pi))


def fmt(x):
    return repr(float(x))


def summarise(prefix, group, out):
    """What the file holds, as the Java side wrote it: node types, fields (dtype, shape, sum), metadata, edges."""
    out.append("node %s %s" % (prefix or "/", group["type"][()].decode("utf8")))
    for k in sorted(group.keys()):
        item = group[k]
        if k == "nodes":
            for c in sorted(item.keys()):
                summarise(prefix + "/" + c, item[c], out)
        elif k == "edges":
            for a, b in item[()]:
                out.append("edge %s %s %s" % (prefix or "/", a.decode("utf8"), b.decode("utf8")))
        elif k == "metadata":
            for m in sorted(item.keys()):
                v = item[m][()]
                out.append("meta %s %s %s" % (prefix, m, v.decode("utf8") if isinstance(v, bytes) else fmt(v)))
        elif k != "type":
            v = np.asarray(item[()])
            out.append("field %s %s %s %s %s" % (prefix, k, v.dtype.name, "x".join(str(s) for s in v.shape),
                                                 fmt(np.sum(v.astype(np.float64)))))


def check(fn):
    with h5py.File(fn, "r") as f:
        if "version" not in f:
            fail("no root dataset 'version'")
        v = f["version"][()]
        if not isinstance(v, bytes):
            fail("version is %r, not an HDF5 string" % (v,))
        version = v.decode("utf8")
        if "node" not in f or not isinstance(f["node"], h5py.Group):
            fail("no group 'node'")
        top = hdf_to_dict(f["node"])
        node = make_node("", top)
        if node.type != "NIRGraph":
            fail("the top node is a %s" % node.type)
        out = ["version " + version]
        summarise("", f["node"], out)
        nodes, edges = node.graph
        out.append("typed %s %s" % (
            ",".join("%s=%s" % (k, "x".join(str(int(s)) for s in np.atleast_1d(v)))
                     for k, v in sorted(node.input_type.items())),
            ",".join("%s=%s" % (k, "x".join(str(int(s)) for s in np.atleast_1d(v)))
                     for k, v in sorted(node.output_type.items()))))
        return out


def main():
    bad = 0
    for fn in sys.argv[1:]:
        print("file " + fn)
        try:
            for line in check(fn):
                print(line)
            print("ok")
        except Violation as e:
            print("FAIL " + str(e))
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

package org.myelin.nir;

import java.util.List;
import java.util.Map;
import org.myelin.core.MyelinException;

/** What the NIR specification requires of each node type, and the sizes a node's parameters imply. */
final class NirTypes {
    private NirTypes() {
    }

    /** Mandatory fields per type (NIRGraph: nodes and edges, checked by the reader). */
    static final Map<String, List<String>> REQUIRED = Map.ofEntries(
            Map.entry("Input", List.of("shape")),
            Map.entry("Output", List.of("shape")),
            Map.entry("Affine", List.of("weight", "bias")),
            Map.entry("Linear", List.of("weight")),
            Map.entry("Scale", List.of("scale")),
            Map.entry("Conv1d", List.of("weight", "stride", "padding", "dilation", "groups", "bias")),
            Map.entry("Conv2d", List.of("weight", "stride", "padding", "dilation", "groups", "bias")),
            Map.entry("Flatten", List.of("start_dim", "end_dim")),
            Map.entry("SumPool2d", List.of("kernel_size", "stride", "padding")),
            Map.entry("AvgPool2d", List.of("kernel_size", "stride", "padding")),
            Map.entry("Threshold", List.of("threshold")),
            Map.entry("Delay", List.of("delay")),
            Map.entry("I", List.of("r")),
            Map.entry("IF", List.of("r", "v_threshold")),
            Map.entry("LI", List.of("tau", "r", "v_leak")),
            Map.entry("LIF", List.of("tau", "r", "v_leak", "v_threshold")),
            Map.entry("CubaLI", List.of("tau_mem", "tau_syn", "r", "v_leak")),
            Map.entry("CubaLIF", List.of("tau_mem", "tau_syn", "r", "v_leak", "v_threshold")),
            Map.entry("NIRGraph", List.of()));

    /** Per-neuron types: every array-valued parameter has one value per neuron. */
    private static final java.util.Set<String> ELEMENTWISE = java.util.Set.of("Scale", "Threshold", "Delay", "I",
            "IF", "LI", "LIF", "CubaLI", "CubaLIF");

    static boolean known(String type) {
        return REQUIRED.containsKey(type);
    }

    static String knownTypes() {
        return String.join(", ", new java.util.TreeSet<>(REQUIRED.keySet()));
    }

    /** Checks field shapes that the type fixes; throws naming the node and the field. */
    static void check(NirNode n) {
        String owner = "NIR node '" + n.name() + "' (" + n.type() + ")";
        switch (n.type()) {
            case "Affine", "Linear" -> {
                NirArray w = n.field("weight");
                if (w.shape().length != 2) {
                    throw new MyelinException(owner + ": field 'weight' must be a matrix (out x in), has shape "
                            + java.util.Arrays.toString(w.shape()));
                }
                if (n.type().equals("Affine")) {
                    NirArray b = n.field("bias");
                    if (b.size() != 1 && b.size() != w.shape()[0]) {
                        throw new MyelinException(owner + ": field 'bias' has " + b.size() + " values, field 'weight'"
                                + " has " + w.shape()[0] + " outputs");
                    }
                }
            }
            case "Input", "Output" -> {
                for (double v : n.field("shape").values()) {
                    if (!(v >= 1)) {
                        throw new MyelinException(owner + ": field 'shape' must hold sizes >= 1, has " + v);
                    }
                }
            }
            default -> {
                if (ELEMENTWISE.contains(n.type())) {
                    neurons(n, owner);
                }
            }
        }
    }

    /** Neurons of an elementwise node: the common size of its array fields, or -1 when all are scalars. */
    private static int neurons(NirNode n, String owner) {
        int size = -1;
        String first = null;
        for (Map.Entry<String, NirArray> e : n.fields().entrySet()) {
            NirArray a = e.getValue();
            if (a.isText() || a.shape().length == 0) {
                continue;
            }
            if (size < 0) {
                size = a.size();
                first = e.getKey();
            } else if (a.size() != size && a.size() != 1) {
                throw new MyelinException(owner + ": field '" + e.getKey() + "' has " + a.size() + " values, field '"
                        + first + "' has " + size);
            }
        }
        return size;
    }

    private static int product(NirArray shape) {
        long p = 1;
        for (double v : shape.values()) {
            p *= (long) v;
        }
        return (int) Math.min(Integer.MAX_VALUE, p);
    }

    static int inputSize(NirNode n) {
        return switch (n.type()) {
            case "Input", "Output" -> product(n.field("shape"));
            case "Affine", "Linear" -> n.field("weight").shape()[1];
            case "NIRGraph" -> ioSize(n.graph(), "Input");
            default -> ELEMENTWISE.contains(n.type()) ? neurons(n, n.name()) : -1;
        };
    }

    static int outputSize(NirNode n) {
        return switch (n.type()) {
            case "Input", "Output" -> product(n.field("shape"));
            case "Affine", "Linear" -> n.field("weight").shape()[0];
            case "NIRGraph" -> ioSize(n.graph(), "Output");
            default -> ELEMENTWISE.contains(n.type()) ? neurons(n, n.name()) : -1;
        };
    }

    private static int ioSize(NirGraph g, String type) {
        int size = -1;
        for (NirNode n : g.nodes().values()) {
            if (n.type().equals(type)) {
                if (size >= 0) {
                    return -1;
                }
                size = product(n.field("shape"));
            }
        }
        return size;
    }
}

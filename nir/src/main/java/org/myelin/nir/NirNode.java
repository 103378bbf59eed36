package org.myelin.nir;

import java.util.Map;

/**
 * One node of a NIR graph.
 *
 * @param name     its key in the graph
 * @param type     the NIR type: Input, Output, Affine, Linear, Scale, Conv1d, Conv2d, Flatten, SumPool2d,
 *                 AvgPool2d, Threshold, Delay, I, IF, LI, LIF, CubaLI, CubaLIF or NIRGraph
 * @param fields   its parameters by NIR field name, in file order
 * @param graph    for a NIRGraph node, the nested graph; otherwise null
 * @param metadata the node's metadata group (field name to value), empty when there is none
 */
public record NirNode(String name, String type, Map<String, NirArray> fields, NirGraph graph,
                      Map<String, NirArray> metadata) {

    /** A field that the specification makes mandatory for this type (the reader has checked it is there). */
    public NirArray field(String fieldName) {
        NirArray a = fields.get(fieldName);
        if (a == null) {
            throw new org.myelin.core.MyelinException("NIR node '" + name + "' (" + type + ") has no field '"
                    + fieldName + "'");
        }
        return a;
    }

    /**
     * Number of values this node takes in, when its parameters say (-1 when they do not: pooling, convolution
     * without an input shape, scalar-parameter neurons).
     */
    public int inputSize() {
        return NirTypes.inputSize(this);
    }

    /** Number of values this node gives out, or -1 when its parameters do not say. */
    public int outputSize() {
        return NirTypes.outputSize(this);
    }
}

package org.myelin.nir;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.myelin.core.MyelinException;

/**
 * Reads {@code .nir} files as NIR's writer lays them out: a root dataset "version" and a group "node" holding the
 * graph, whose "nodes" group has one group per node ("type" plus parameter datasets, an optional "metadata" group)
 * and whose "edges" dataset is an (n x 2) string array. Checks every node: a known type, every field the
 * specification makes mandatory, field shapes that the type fixes, and that the two ends of an edge agree in size
 * where both sizes are known. Errors name the file, the node and the field. Edges that name a node that does not
 * exist are tolerated with a warning (published files have them). Nodes and fields come in name order (HDF5 keeps
 * no other order unless the writer tracked it), edges in file order.
 */
public final class NirReader {
    private NirReader() {
    }

    public static NirFile read(Path path) {
        HdfFile hdf;
        try {
            hdf = new HdfFile(path);
        } catch (MyelinException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MyelinException(path + ": not a readable HDF5 (.nir) file: " + reason(e), e);
        }
        try (hdf) {
            String version = "";
            Map<String, Node> top = hdf.getChildren();
            if (top.get("version") instanceof Dataset v) {
                NirArray a = toArray(path, "version", v);
                version = a.isText() ? a.text() : a.describe();
            }
            if (!(top.get("node") instanceof Group root)) {
                throw new MyelinException(path + ": no group 'node' (a .nir file holds its graph there); found "
                        + top.keySet());
            }
            List<String> warnings = new ArrayList<>();
            NirNode node = readNode(path, root, "(top)", warnings);
            if (!node.type().equals("NIRGraph")) {
                throw new MyelinException(path + ": the top node is a " + node.type() + ", not a NIRGraph");
            }
            return new NirFile(path, version, node.graph(), List.copyOf(warnings));
        } catch (MyelinException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // jhdf parses whatever the file says; a damaged file surfaces as any of its runtime exceptions
            throw new MyelinException(path + ": damaged HDF5 content: " + reason(e), e);
        }
    }

    /** An exception from the HDF5 library as one line: its type and message. */
    static String reason(Throwable e) {
        String m = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s+", " ").strip();
        if (m.length() > 300) {
            m = m.substring(0, 300) + "...";
        }
        return e.getClass().getSimpleName() + m;
    }

    /**
     * Refuses a dataset whose declared size the file cannot hold (stored as is: the file's size; filtered: a thousand
     * times it) before its data are read, so a damaged size field cannot exhaust memory.
     */
    static void checkSize(Path path, String name, Dataset d) {
        long fileBytes;
        try {
            fileBytes = java.nio.file.Files.size(path);
        } catch (java.io.IOException e) {
            throw new MyelinException("cannot read " + path + ": " + e.getMessage(), e);
        }
        long elements = d.getSize();
        long bytes = d.getSizeInBytes();
        boolean filtered = !d.getFilters().isEmpty();
        long limit = filtered ? fileBytes * 1000 : fileBytes;
        // a variable-length element is at least a 16-byte global heap reference in the file
        boolean tooMany = d.isVariableLength() ? elements > fileBytes / 16 : bytes > limit;
        if (elements < 0 || elements > Integer.MAX_VALUE - 8 || bytes < 0 || tooMany) {
            throw new MyelinException(path + ": dataset '" + name + "' declares " + elements + " values ("
                    + bytes + " bytes), more than the " + fileBytes + "-byte file can hold"
                    + (filtered ? " even compressed 1000:1" : ""));
        }
    }

    private static NirNode readNode(Path path, Group g, String name, List<String> warnings) {
        Map<String, Node> children = g.getChildren();
        String where = path + ": NIR node '" + name + "'";
        if (!(children.get("type") instanceof Dataset typeSet)) {
            throw new MyelinException(where + ": field 'type' is missing");
        }
        NirArray typeValue = toArray(path, name + "/type", typeSet);
        if (!typeValue.isText()) {
            throw new MyelinException(where + ": field 'type' must be a string, is " + typeValue.describe());
        }
        String type = typeValue.text();
        if (!NirTypes.known(type)) {
            throw new MyelinException(where + ": unknown node type '" + type + "' (known: " + NirTypes.knownTypes()
                    + ")");
        }
        where = where + " (" + type + ")";
        Map<String, NirArray> fields = new LinkedHashMap<>();
        Map<String, NirArray> metadata = new LinkedHashMap<>();
        NirGraph graph = null;
        if (type.equals("NIRGraph")) {
            if (!(children.get("nodes") instanceof Group nodes)) {
                throw new MyelinException(where + ": field 'nodes' is missing");
            }
            if (!(children.get("edges") instanceof Dataset edgeSet)) {
                throw new MyelinException(where + ": field 'edges' is missing");
            }
            Map<String, NirNode> sub = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : new java.util.TreeMap<>(nodes.getChildren()).entrySet()) {
                if (!(e.getValue() instanceof Group ng)) {
                    throw new MyelinException(where + ": 'nodes/" + e.getKey() + "' is not a group");
                }
                sub.put(e.getKey(), readNode(path, ng, e.getKey(), warnings));
            }
            checkSize(path, name + "/edges", edgeSet);
            List<String[]> edges = readEdges(where, edgeSet);
            graph = new NirGraph(sub, edges);
            checkEdges(path, name, graph, warnings);
        } else {
            for (Map.Entry<String, Node> e : new java.util.TreeMap<>(children).entrySet()) {
                String key = e.getKey();
                if (key.equals("type")) {
                    continue;
                }
                if (key.equals("metadata") && e.getValue() instanceof Group mg) {
                    for (Map.Entry<String, Node> m : new java.util.TreeMap<>(mg.getChildren()).entrySet()) {
                        if (m.getValue() instanceof Dataset md) {
                            metadata.put(m.getKey(), toArray(path, name + "/metadata/" + m.getKey(), md));
                        }
                    }
                    continue;
                }
                if (!(e.getValue() instanceof Dataset d)) {
                    throw new MyelinException(where + ": field '" + key + "' is a group, not a dataset");
                }
                fields.put(key, toArray(path, name + "/" + key, d));
            }
            for (String required : NirTypes.REQUIRED.get(type)) {
                if (!fields.containsKey(required)) {
                    throw new MyelinException(where + ": field '" + required + "' is missing (a " + type + " needs "
                            + String.join(", ", NirTypes.REQUIRED.get(type)) + ")");
                }
            }
        }
        NirNode node = new NirNode(name, type, fields, graph, metadata);
        try {
            NirTypes.check(node);
        } catch (MyelinException e) {
            throw new MyelinException(path + ": " + e.getMessage(), e);
        }
        return node;
    }

    private static List<String[]> readEdges(String where, Dataset d) {
        Object data = d.getData();
        if (data == null) {
            throw new MyelinException(where + ": field 'edges' holds no data");
        }
        List<String[]> edges = new ArrayList<>();
        if (data instanceof Object[] rows) {
            for (Object row : rows) {
                if (!(row instanceof Object[] pair) || pair.length != 2) {
                    throw new MyelinException(where + ": field 'edges' must be an (n x 2) array of node names");
                }
                edges.add(new String[] {String.valueOf(pair[0]), String.valueOf(pair[1])});
            }
        } else if (d.getDimensions().length == 1 && d.getDimensions()[0] == 0) {
            return edges;
        } else {
            throw new MyelinException(where + ": field 'edges' must be an (n x 2) array of node names");
        }
        return edges;
    }

    private static void checkEdges(Path path, String graphName, NirGraph g, List<String> warnings) {
        for (String[] e : g.edges()) {
            NirNode a = g.nodes().get(e[0]);
            NirNode b = g.nodes().get(e[1]);
            if (a == null || b == null) {
                warnings.add("graph '" + graphName + "': edge " + e[0] + " -> " + e[1] + " names a node that does not"
                        + " exist ('" + (a == null ? e[0] : e[1]) + "'; nodes: " + g.nodes().keySet() + ")");
                continue;
            }
            int out = a.outputSize();
            int in = b.inputSize();
            if (out >= 0 && in >= 0 && out != in) {
                throw new MyelinException(path + ": edge " + e[0] + " -> " + e[1] + " in graph '" + graphName
                        + "': node '" + e[0] + "' (" + a.type() + ") gives " + out + " values" + sizeSource(a, true)
                        + ", node '" + e[1] + "' (" + b.type() + ") takes " + in + sizeSource(b, false));
            }
        }
    }

    private static String sizeSource(NirNode n, boolean output) {
        return switch (n.type()) {
            case "Affine", "Linear" -> " (field 'weight', " + n.field("weight").shape()[0] + "x"
                    + n.field("weight").shape()[1] + ")";
            case "Input", "Output" -> " (field 'shape')";
            case "NIRGraph" -> output ? " (its Output)" : " (its Input)";
            default -> " (its parameters)";
        };
    }

    /** A dataset as a NirArray: numbers flattened row-major with the dataset's shape, or a string. */
    static NirArray toArray(Path path, String name, Dataset d) {
        Object data;
        try {
            checkSize(path, name, d);
            data = d.getData();
        } catch (MyelinException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MyelinException(path + ": cannot read dataset '" + name + "': " + reason(e), e);
        }
        if (data instanceof String s) {
            return NirArray.ofText(s);
        }
        if (data instanceof Object[] arr && arr.length == 1 && arr[0] instanceof String s) {
            return NirArray.ofText(s);
        }
        int[] shape = d.isScalar() ? new int[0] : d.getDimensions();
        List<Double> out = new ArrayList<>();
        String dtype = flatten(data, out);
        if (dtype == null) {
            throw new MyelinException(path + ": dataset '" + name + "' holds " + data.getClass().getSimpleName()
                    + ", not numbers or a string");
        }
        double[] v = new double[out.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = out.get(k);
        }
        return new NirArray(shape, v, dtype, null);
    }

    private static String flatten(Object data, List<Double> out) {
        if (data instanceof Number n) {
            out.add(n.doubleValue());
            return data instanceof Float ? "float" : data instanceof Double ? "double"
                    : data instanceof Long ? "long" : "int";
        }
        if (data instanceof Boolean b) {
            out.add(b ? 1.0 : 0.0);
            return "int";
        }
        if (data == null || !data.getClass().isArray()) {
            return null;
        }
        Class<?> c = data.getClass().getComponentType();
        int len = Array.getLength(data);
        if (c.isPrimitive()) {
            for (int k = 0; k < len; k++) {
                Object x = Array.get(data, k);
                out.add(x instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) x).doubleValue());
            }
            return c == float.class ? "float" : c == double.class ? "double" : c == long.class ? "long" : "int";
        }
        String type = "int";
        for (int k = 0; k < len; k++) {
            String t = flatten(Array.get(data, k), out);
            if (t == null) {
                return null;
            }
            type = t;
        }
        return type;
    }
}

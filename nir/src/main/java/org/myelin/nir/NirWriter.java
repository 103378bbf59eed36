package org.myelin.nir;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.myelin.core.MyelinException;

/**
 * Writes a NIR graph as NIR's own writer lays it out (a root dataset "version", a group "node" with "type", a
 * "nodes" group of node groups and an (n x 2) "edges" string array), with the pure-Java jhdf writer. Numbers keep
 * the type they were read with (float32 stays float32); strings are written as jhdf writes them. Written to a
 * temporary file beside the target and moved into place.
 */
public final class NirWriter {
    private NirWriter() {
    }

    public static void write(Path file, String version, NirGraph graph) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        } catch (IOException e) {
            throw new MyelinException("cannot write " + file + ": " + e.getMessage(), e);
        }
        try {
            try (WritableHdfFile out = HdfFile.write(tmp)) {
                out.putDataset("version", version);
                WritableGroup node = out.putGroup("node");
                putGraph(node, graph);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error says what went wrong
            }
            if (e instanceof MyelinException m) {
                throw m;
            }
            throw new MyelinException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void putGraph(WritableGroup g, NirGraph graph) {
        g.putDataset("type", "NIRGraph");
        WritableGroup nodes = g.putGroup("nodes");
        for (NirNode n : graph.nodes().values()) {
            WritableGroup ng = nodes.putGroup(n.name());
            if (n.graph() != null) {
                putGraph(ng, n.graph());
                continue;
            }
            ng.putDataset("type", n.type());
            for (Map.Entry<String, NirArray> e : n.fields().entrySet()) {
                ng.putDataset(e.getKey(), data(e.getValue()));
            }
            if (!n.metadata().isEmpty()) {
                WritableGroup mg = ng.putGroup("metadata");
                for (Map.Entry<String, NirArray> e : n.metadata().entrySet()) {
                    mg.putDataset(e.getKey(), data(e.getValue()));
                }
            }
        }
        String[][] edges = new String[graph.edges().size()][];
        for (int k = 0; k < edges.length; k++) {
            edges[k] = graph.edges().get(k).clone();
        }
        g.putDataset("edges", edges);
    }

    /** The Java array (or scalar) jhdf writes with the array's shape and element type. */
    static Object data(NirArray a) {
        if (a.isText()) {
            return a.text();
        }
        int[] shape = a.shape();
        Class<?> element = switch (a.dtype()) {
            case "float" -> float.class;
            case "long" -> long.class;
            case "int" -> int.class;
            default -> double.class;
        };
        if (shape.length == 0) {
            double v = a.values()[0];
            return element == float.class ? (Object) (float) v : element == long.class ? (Object) (long) v
                    : element == int.class ? (Object) (int) v : (Object) v;
        }
        Object arr = java.lang.reflect.Array.newInstance(element, shape);
        fill(arr, a.values(), new int[] {0}, element);
        return arr;
    }

    private static void fill(Object arr, double[] values, int[] at, Class<?> element) {
        int len = java.lang.reflect.Array.getLength(arr);
        Class<?> c = arr.getClass().getComponentType();
        for (int k = 0; k < len; k++) {
            if (c.isArray()) {
                fill(java.lang.reflect.Array.get(arr, k), values, at, element);
            } else {
                double v = values[at[0]++];
                if (element == float.class) {
                    java.lang.reflect.Array.setFloat(arr, k, (float) v);
                } else if (element == long.class) {
                    java.lang.reflect.Array.setLong(arr, k, (long) v);
                } else if (element == int.class) {
                    java.lang.reflect.Array.setInt(arr, k, (int) v);
                } else {
                    java.lang.reflect.Array.setDouble(arr, k, v);
                }
            }
        }
    }
}

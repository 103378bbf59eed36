package org.myelin.nir;

import java.util.Map;

/** A readable description of a NIR file: its nodes with types, sizes and parameters, its edges, and warnings. */
public final class NirInfo {
    private NirInfo() {
    }

    public static String describe(NirFile f) {
        StringBuilder b = new StringBuilder();
        NirGraph g = f.graph();
        b.append(f.path().getFileName()).append(": NIR ").append(f.version().isEmpty() ? "(no version)" : f.version())
                .append(", ").append(g.nodeCount()).append(" nodes, ").append(g.edgeCount()).append(" edges, ")
                .append(g.recurrent() ? "recurrent" : "feed-forward").append('\n');
        graph(b, g, "  ");
        if (!f.warnings().isEmpty()) {
            b.append("warnings:\n");
            for (String w : f.warnings()) {
                b.append("  ").append(w).append('\n');
            }
        }
        return b.toString();
    }

    private static String size(int s) {
        return s < 0 ? "?" : Integer.toString(s);
    }

    private static void graph(StringBuilder b, NirGraph g, String indent) {
        int width = 4;
        for (String name : g.nodes().keySet()) {
            width = Math.max(width, name.length());
        }
        b.append(indent).append("nodes:\n");
        for (NirNode n : g.nodes().values()) {
            b.append(indent).append("  ").append(pad(n.name(), width)).append("  ").append(pad(n.type(), 9))
                    .append(" in ").append(size(n.inputSize())).append(", out ").append(size(n.outputSize()));
            if (n.graph() != null) {
                b.append("  (").append(n.graph().nodes().size()).append(" nodes, ").append(n.graph().edges().size())
                        .append(" edges").append(n.graph().recurrent() ? ", recurrent" : "").append(")\n");
                graph(b, n.graph(), indent + "    ");
                continue;
            }
            String sep = "  ";
            for (Map.Entry<String, NirArray> e : n.fields().entrySet()) {
                b.append(sep).append(e.getKey()).append(' ').append(e.getValue().describe());
                sep = "; ";
            }
            for (Map.Entry<String, NirArray> e : n.metadata().entrySet()) {
                b.append(sep).append("metadata.").append(e.getKey()).append(' ').append(e.getValue().describe());
                sep = "; ";
            }
            b.append('\n');
        }
        b.append(indent).append("edges:\n");
        for (String[] e : g.edges()) {
            NirNode a = g.nodes().get(e[0]);
            int values = a == null ? -1 : a.outputSize();
            b.append(indent).append("  ").append(e[0]).append(" -> ").append(e[1]);
            if (values >= 0) {
                b.append("  (").append(values).append(values == 1 ? " value)" : " values)");
            }
            b.append('\n');
        }
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}

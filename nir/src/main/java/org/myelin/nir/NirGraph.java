package org.myelin.nir;

import java.util.List;
import java.util.Map;

/**
 * A NIR graph: named nodes (in file order) and directed edges between them, recurrent ones included.
 *
 * @param nodes the nodes by name
 * @param edges the edges as {source, target} name pairs, in file order
 */
public record NirGraph(Map<String, NirNode> nodes, List<String[]> edges) {

    /** Nodes, counting those of nested graphs too. */
    public int nodeCount() {
        int n = 0;
        for (NirNode node : nodes.values()) {
            n += 1 + (node.graph() != null ? node.graph().nodeCount() : 0);
        }
        return n;
    }

    /** Edges, counting those of nested graphs too. */
    public int edgeCount() {
        int n = edges.size();
        for (NirNode node : nodes.values()) {
            if (node.graph() != null) {
                n += node.graph().edgeCount();
            }
        }
        return n;
    }

    /** True when some edge closes a cycle (a recurrent connection), in this graph or a nested one. */
    public boolean recurrent() {
        java.util.Map<String, java.util.List<String>> out = new java.util.HashMap<>();
        for (String[] e : edges) {
            out.computeIfAbsent(e[0], k -> new java.util.ArrayList<>()).add(e[1]);
        }
        java.util.Set<String> done = new java.util.HashSet<>();
        java.util.Set<String> active = new java.util.HashSet<>();
        for (String n : nodes.keySet()) {
            if (cycleFrom(n, out, done, active)) {
                return true;
            }
        }
        for (NirNode n : nodes.values()) {
            if (n.graph() != null && n.graph().recurrent()) {
                return true;
            }
        }
        return false;
    }

    private static boolean cycleFrom(String n, java.util.Map<String, java.util.List<String>> out,
                                     java.util.Set<String> done, java.util.Set<String> active) {
        if (active.contains(n)) {
            return true;
        }
        if (!done.add(n)) {
            return false;
        }
        active.add(n);
        for (String m : out.getOrDefault(n, java.util.List.of())) {
            if (cycleFrom(m, out, done, active)) {
                return true;
            }
        }
        active.remove(n);
        return false;
    }
}

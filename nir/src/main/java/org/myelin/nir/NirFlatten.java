package org.myelin.nir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.myelin.core.MyelinException;

/**
 * A NIR graph with its nested graphs inlined: a nested node {@code n} of subgraph {@code s} becomes {@code s.n}; the
 * subgraph's own Input and Output nodes stay as pass-through nodes, so edges into {@code s} go to its Input and edges
 * out of {@code s} leave from its Output. Edges that name a node a subgraph does not have (published snnTorch files
 * name the recurrent layer {@code lif} inside a subgraph whose node is {@code lif1}) are repaired when exactly one
 * node of that subgraph is named by no edge, and the repair is reported; otherwise they are an error.
 *
 * @param nodes    every node by its flat name (nested Input and Output included)
 * @param edges    edges between flat names
 * @param nested   flat names of the pass-through Input/Output nodes of nested graphs
 * @param warnings repairs made
 */
record NirFlatten(Map<String, NirNode> nodes, List<String[]> edges, Set<String> nested, List<String> warnings) {

    static NirFlatten of(NirGraph g) {
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<String[]> edges = new ArrayList<>();
        Set<String> nested = new HashSet<>();
        List<String> warnings = new ArrayList<>();
        inline(g, "", nodes, edges, nested, warnings, true);
        return new NirFlatten(nodes, edges, nested, warnings);
    }

    private static void inline(NirGraph g, String prefix, Map<String, NirNode> nodes, List<String[]> edges,
                               Set<String> nested, List<String> warnings, boolean top) {
        List<String[]> own = repair(g, prefix, warnings, top);
        for (NirNode n : g.nodes().values()) {
            String flat = prefix + n.name();
            if (n.type().equals("NIRGraph")) {
                inline(n.graph(), flat + ".", nodes, edges, nested, warnings, false);
            } else {
                nodes.put(flat, n);
                if (!top && (n.type().equals("Input") || n.type().equals("Output"))) {
                    nested.add(flat);
                }
            }
        }
        for (String[] e : own) {
            edges.add(new String[] {endpoint(g, prefix, e[0], "Output"), endpoint(g, prefix, e[1], "Input")});
        }
    }

    /** The flat name an edge end stands for: a nested graph's Output (as a source) or Input (as a target). */
    private static String endpoint(NirGraph g, String prefix, String name, String io) {
        NirNode n = g.nodes().get(name);
        if (n.type().equals("NIRGraph")) {
            String found = null;
            for (NirNode inner : n.graph().nodes().values()) {
                if (inner.type().equals(io)) {
                    if (found != null) {
                        throw new MyelinException("NIR import: nested graph '" + prefix + name + "' has more than one "
                                + io + " node; which one an edge means is ambiguous");
                    }
                    found = inner.name();
                }
            }
            if (found == null) {
                throw new MyelinException("NIR import: nested graph '" + prefix + name + "' has no " + io + " node");
            }
            return prefix + name + "." + found;
        }
        return prefix + name;
    }

    /** The graph's edges, with names it does not have replaced where that is unambiguous. */
    private static List<String[]> repair(NirGraph g, String prefix, List<String> warnings, boolean top) {
        Set<String> named = new HashSet<>();
        for (String[] e : g.edges()) {
            named.add(e[0]);
            named.add(e[1]);
        }
        List<String> unnamed = new ArrayList<>();
        for (NirNode n : g.nodes().values()) {
            if (!named.contains(n.name()) && !n.type().equals("Input") && !n.type().equals("Output")) {
                unnamed.add(n.name());
            }
        }
        Map<String, String> fix = new LinkedHashMap<>();
        List<String[]> out = new ArrayList<>();
        for (String[] e : g.edges()) {
            String[] f = e.clone();
            for (int k = 0; k < 2; k++) {
                if (g.nodes().containsKey(f[k])) {
                    continue;
                }
                String where = top ? "the graph" : "nested graph '" + prefix.substring(0, prefix.length() - 1) + "'";
                if (unnamed.size() != 1) {
                    throw new MyelinException("NIR import: in " + where + ", edge " + e[0] + " -> " + e[1] + " names '"
                            + f[k] + "', which does not exist" + (unnamed.isEmpty() ? ""
                            : " (nodes no edge names: " + unnamed + "; cannot tell which is meant)"));
                }
                if (fix.put(f[k], unnamed.get(0)) == null) {
                    warnings.add("in " + where + ", edges name '" + f[k] + "', which does not exist: read as '"
                            + unnamed.get(0) + "', the only node no edge names");
                }
                f[k] = unnamed.get(0);
            }
            out.add(f);
        }
        return out;
    }
}

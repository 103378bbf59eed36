package org.myelin.experiments.nir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Projection;
import org.myelin.nir.NirExport;
import org.myelin.nir.NirFile;
import org.myelin.nir.NirGraph;
import org.myelin.nir.NirNetwork;
import org.myelin.nir.NirNode;
import org.myelin.nir.NirReader;
import org.myelin.nir.NirWriter;

/**
 * Every .nir file under a folder (e.g. the NIR paper's published graphs): read, written back and read again (the
 * same graph), imported and run on the cpu backend with random input spikes (seed 1), and the imported network
 * exported to NIR and imported again (the same spikes).
 */
public final class NirFilesExperiment {
    private NirFilesExperiment() {
    }

    /**
     * One file's outcome.
     *
     * @param file          the file's path relative to the folder
     * @param nodes         nodes of its graph
     * @param edges         edges of its graph
     * @param sameGraph     written back and read again, the same graph
     * @param danglingEdges edges to missing nodes the reader kept (warnings)
     * @param neurons       neurons of the imported network
     * @param synapses      synapses of the compiled network
     * @param inputSpikes   random input spikes given
     * @param spikes        spikes of the network's nodes
     * @param denseWeights  weights the export would write as dense matrices
     * @param exported      whether the export was tried ({@code denseWeights} within the limit)
     * @param sameSpikes    exported and imported again, the same spikes (false when not tried)
     */
    public record Row(String file, int nodes, int edges, boolean sameGraph, int danglingEdges, long neurons,
                      long synapses, long inputSpikes, long spikes, long denseWeights, boolean exported,
                      boolean sameSpikes) {
        /** Whether this file failed a check that was tried. */
        public boolean failed() {
            return !sameGraph || (exported && !sameSpikes);
        }
    }

    /** What a run reports as it goes. */
    public interface Listener {
        /** The files were found: {@code files} of them will be checked. */
        default void start(int files) {
        }

        /** A file was read (before it is checked). */
        default void read(String file, NirFile nir) {
        }

        /** A file was checked. */
        void row(Row row);
    }

    /** Checks every file of {@code c}'s folder in path order; returns a row per file. */
    public static List<Row> run(NirFilesConfig c, Listener listener) {
        Path data = c.data();
        if (!Files.isDirectory(data)) {
            throw new MyelinException("--data " + data + " is not a folder");
        }
        try {
            List<Path> files;
            try (Stream<Path> s = Files.walk(data)) {
                files = s.filter(p -> p.toString().endsWith(".nir")).sorted().toList();
            }
            if (files.isEmpty()) {
                throw new MyelinException("no .nir files under " + data);
            }
            listener.start(files.size());
            Path tmp = Files.createTempDirectory("myelin-nir");
            List<Row> rows = new ArrayList<>();
            for (Path f : files) {
                Row row = check(c, data.relativize(f).toString(), f, tmp, listener);
                rows.add(row);
                listener.row(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Row check(NirFilesConfig c, String name, Path f, Path tmp, Listener listener) {
        NirFile nf = NirReader.read(f);
        listener.read(name, nf);
        Path back = tmp.resolve("back.nir");
        NirWriter.write(back, nf.version(), nf.graph());
        boolean same = sameGraph(nf.graph(), NirReader.read(back).graph());
        Random r = new Random(1);
        int inputs = nf.graph().nodes().values().stream().filter(n -> n.type().equals("Input")).findFirst()
                .orElseThrow().outputSize();
        double[][] x = new double[c.steps()][inputs];
        long inSpikes = 0;
        for (double[] row : x) {
            for (int k = 0; k < inputs; k++) {
                row[k] = r.nextDouble() < c.rate() ? 1 : 0;
                inSpikes += (long) row[k];
            }
        }
        NirNetwork.Imported a = NirNetwork.build(nf, new NirNetwork.Options(c.dtMs(), null, null), x);
        long run = c.steps() + a.layout().size() + 1;
        Recording ra = Recording.inMemory();
        long synapses;
        try (CompiledNetwork cn = Backends.find("cpu").compile(a.network(), new SimulationConfig(1))) {
            cn.run(run, ra);
            synapses = cn.synapseCount();
        }
        long spikes = 0;
        for (String node : a.layout().keySet()) {
            spikes += a.spikes(ra.memory(), node).size();
        }
        long dense = 0;
        for (Projection p : a.network().projections()) {
            dense += (long) a.network().node(p.source()).size() * a.network().node(p.target()).size();
        }
        boolean exported = dense <= c.maxDense();
        boolean ok = false;
        if (exported) {
            Path file = tmp.resolve("exported.nir");
            NirExport.write(a.network(), c.dtMs(), file);
            NirNetwork.Imported b = NirNetwork.build(NirReader.read(file), new NirNetwork.Options(c.dtMs(), null,
                    null), x);
            Recording rb = Recording.inMemory();
            try (CompiledNetwork cn = Backends.find("cpu").compile(b.network(), new SimulationConfig(1))) {
                cn.run(run, rb);
            }
            ok = true;
            for (String node : a.layout().keySet()) {
                ok &= equalSpikes(a.spikes(ra.memory(), node), b.spikes(rb.memory(), node));
            }
        }
        return new Row(name, nf.graph().nodeCount(), nf.graph().edgeCount(), same, nf.warnings().size(),
                a.network().neuronCount(), synapses, inSpikes, spikes, dense, exported, ok);
    }

    private static boolean equalSpikes(List<long[]> a, List<long[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i)[0] != b.get(i)[0] || a.get(i)[1] != b.get(i)[1]) {
                return false;
            }
        }
        return true;
    }

    /** Same node names, types, fields, metadata, nested graphs and edges. */
    public static boolean sameGraph(NirGraph a, NirGraph b) {
        if (!a.nodes().keySet().equals(b.nodes().keySet()) || a.edges().size() != b.edges().size()) {
            return false;
        }
        List<String> ea = new ArrayList<>();
        List<String> eb = new ArrayList<>();
        a.edges().forEach(e -> ea.add(e[0] + "->" + e[1]));
        b.edges().forEach(e -> eb.add(e[0] + "->" + e[1]));
        Collections.sort(ea);
        Collections.sort(eb);
        if (!ea.equals(eb)) {
            return false;
        }
        for (Map.Entry<String, NirNode> e : a.nodes().entrySet()) {
            NirNode x = e.getValue();
            NirNode y = b.nodes().get(e.getKey());
            if (!x.type().equals(y.type()) || !x.fields().equals(y.fields()) || !x.metadata().equals(y.metadata())) {
                return false;
            }
            if (x.graph() != null && !sameGraph(x.graph(), y.graph())) {
                return false;
            }
        }
        return true;
    }
}

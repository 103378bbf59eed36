package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
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
import org.myelin.nir.NirInfo;
import org.myelin.nir.NirNetwork;
import org.myelin.nir.NirNode;
import org.myelin.nir.NirReader;
import org.myelin.nir.NirWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Every .nir file under a folder (the NIR paper's published graphs): read and described, written back and read again
 * (the same graph), imported and run on the cpu backend with random input spikes, and the imported network exported
 * to NIR and imported again (the same spikes).
 */
@Command(name = "nir-files", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks every .nir file under --data (e.g. ../shared/data/nir): read and describe (nir info), write",
            "back and read again (same graph), import (discrete convention, --dt) and run on the cpu backend with",
            "random input spikes, export the imported network and import it again (same spikes). Prints a table."})
final class NirFilesExperiment implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "folder searched for .nir files")
    Path data;

    @Option(names = "--dt", defaultValue = "0.1", description = "step, ms (default: ${DEFAULT-VALUE}, snnTorch's 1e-4 s)")
    double dtMs;

    @Option(names = "--steps", defaultValue = "100", description = "input steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--rate", defaultValue = "0.2", description = "probability of an input spike per step (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--max-dense", defaultValue = "20000000",
            description = "largest number of weights the export writes as dense matrices (default: ${DEFAULT-VALUE})")
    long maxDense;

    @Option(names = "--info", description = "print each file's nir info")
    boolean info;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(data)) {
            throw new MyelinException("--data " + data + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(data)) {
            files = s.filter(p -> p.toString().endsWith(".nir")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new MyelinException("no .nir files under " + data);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("| file | nodes | edges | read/write/read | neurons | synapses | input spikes | spikes in the network"
                + " | export, import: same spikes |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        Path tmp = Files.createTempDirectory("myelin-nir");
        int failures = 0;
        for (Path f : files) {
            String name = data.relativize(f).toString();
            NirFile nf = NirReader.read(f);
            if (info) {
                spec.commandLine().getErr().println(NirInfo.describe(nf));
            }
            Path back = tmp.resolve("back.nir");
            NirWriter.write(back, nf.version(), nf.graph());
            String same = sameGraph(nf.graph(), NirReader.read(back).graph(), "") ? "same graph" : "DIFFERENT";
            failures += same.equals("same graph") ? 0 : 1;
            Random r = new Random(1);
            int inputs = nf.graph().nodes().values().stream().filter(n -> n.type().equals("Input")).findFirst()
                    .orElseThrow().outputSize();
            double[][] x = new double[steps][inputs];
            long inSpikes = 0;
            for (double[] row : x) {
                for (int k = 0; k < inputs; k++) {
                    row[k] = r.nextDouble() < rate ? 1 : 0;
                    inSpikes += (long) row[k];
                }
            }
            NirNetwork.Imported a = NirNetwork.build(nf, new NirNetwork.Options(dtMs, null, null), x);
            long run = steps + a.layout().size() + 1;
            Recording ra = Recording.inMemory();
            long synapses;
            try (CompiledNetwork c = Backends.find("cpu").compile(a.network(), new SimulationConfig(1))) {
                c.run(run, ra);
                synapses = c.synapseCount();
            }
            long spikes = 0;
            for (String node : a.layout().keySet()) {
                spikes += a.spikes(ra.memory(), node).size();
            }
            long dense = 0;
            for (Projection p : a.network().projections()) {
                dense += (long) a.network().node(p.source()).size() * a.network().node(p.target()).size();
            }
            String trip;
            if (dense > maxDense) {
                trip = String.format(Locale.ROOT, "not tried: NIR has no sparse weights, the export would hold %,d"
                        + " dense weights", dense);
            } else {
                Path exported = tmp.resolve("exported.nir");
                NirExport.write(a.network(), dtMs, exported);
                NirNetwork.Imported b = NirNetwork.build(NirReader.read(exported), new NirNetwork.Options(dtMs, null,
                        null), x);
                Recording rb = Recording.inMemory();
                try (CompiledNetwork c = Backends.find("cpu").compile(b.network(), new SimulationConfig(1))) {
                    c.run(run, rb);
                }
                boolean ok = true;
                for (String node : a.layout().keySet()) {
                    ok &= equalSpikes(a.spikes(ra.memory(), node), b.spikes(rb.memory(), node));
                }
                trip = ok ? "yes" : "NO";
                failures += ok ? 0 : 1;
            }
            out.printf(Locale.ROOT, "| %s | %d | %d | %s | %d | %d | %d | %d | %s |%n", name, nf.graph().nodeCount(),
                    nf.graph().edgeCount(), same + (nf.warnings().isEmpty() ? "" : ", " + nf.warnings().size()
                            + " dangling edges kept"), a.network().neuronCount(), synapses, inSpikes, spikes, trip);
        }
        return failures == 0 ? 0 : 1;
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
    static boolean sameGraph(NirGraph a, NirGraph b, String where) {
        if (!a.nodes().keySet().equals(b.nodes().keySet()) || a.edges().size() != b.edges().size()) {
            return false;
        }
        List<String> ea = new ArrayList<>();
        List<String> eb = new ArrayList<>();
        a.edges().forEach(e -> ea.add(e[0] + "->" + e[1]));
        b.edges().forEach(e -> eb.add(e[0] + "->" + e[1]));
        java.util.Collections.sort(ea);
        java.util.Collections.sort(eb);
        if (!ea.equals(eb)) {
            return false;
        }
        for (Map.Entry<String, NirNode> e : a.nodes().entrySet()) {
            NirNode x = e.getValue();
            NirNode y = b.nodes().get(e.getKey());
            if (!x.type().equals(y.type()) || !x.fields().equals(y.fields()) || !x.metadata().equals(y.metadata())) {
                return false;
            }
            if (x.graph() != null && !sameGraph(x.graph(), y.graph(), where + e.getKey() + ".")) {
                return false;
            }
        }
        return true;
    }
}

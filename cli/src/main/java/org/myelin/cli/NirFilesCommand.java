package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.experiments.nir.NirFilesConfig;
import org.myelin.experiments.nir.NirFilesExperiment;
import org.myelin.nir.NirFile;
import org.myelin.nir.NirInfo;
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
        description = {"Checks every .nir file under --data: read, write back, import, run and export.",
            "For each file under --data (e.g. ../shared/data/nir): read and describe (nir info), write back and"
                + " read again (same graph), import (discrete convention, --dt) and run on the cpu backend with"
                + " random input spikes, export the imported network and import it again (same spikes). Prints a"
                + " table."})
final class NirFilesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "folder searched for .nir files")
    Path data;

    @Option(names = "--dt", defaultValue = "0.1",
            description = "step, ms (default: ${DEFAULT-VALUE}, snnTorch's 1e-4 s)")
    double dtMs;

    @Option(names = "--steps", defaultValue = "100", description = "input steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--rate", defaultValue = "0.2",
            description = "probability of an input spike per step (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--max-dense", defaultValue = "20000000",
            description = "largest number of weights the export writes as dense matrices (default: ${DEFAULT-VALUE})")
    long maxDense;

    @Option(names = "--info", description = "print each file's nir info")
    boolean info;

    @Override
    public Integer call() {
        NirFilesConfig c = config();
        PrintWriter out = spec.commandLine().getOut();
        List<NirFilesExperiment.Row> rows = NirFilesExperiment.run(c, new NirFilesExperiment.Listener() {
            @Override
            public void start(int files) {
                out.println("| file | nodes | edges | read/write/read | neurons | synapses | input spikes | spikes"
                        + " in the network | export, import: same spikes |");
                out.println("|---|---|---|---|---|---|---|---|---|");
            }

            @Override
            public void read(String file, NirFile nir) {
                if (info) {
                    spec.commandLine().getErr().println(NirInfo.describe(nir));
                }
            }

            @Override
            public void row(NirFilesExperiment.Row r) {
                String trip = !r.exported() ? String.format(Locale.ROOT, "not tried: NIR has no sparse weights, the"
                        + " export would hold %,d dense weights", r.denseWeights()) : r.sameSpikes() ? "yes" : "NO";
                out.printf(Locale.ROOT, "| %s | %d | %d | %s | %d | %d | %d | %d | %s |%n", r.file(), r.nodes(),
                        r.edges(), (r.sameGraph() ? "same graph" : "DIFFERENT") + (r.danglingEdges() == 0 ? ""
                                : ", " + r.danglingEdges() + " dangling edges kept"), r.neurons(), r.synapses(),
                        r.inputSpikes(), r.spikes(), trip);
            }
        });
        return rows.stream().anyMatch(NirFilesExperiment.Row::failed) ? 1 : 0;
    }

    /** The options as the library's configuration. */
    NirFilesConfig config() {
        return new NirFilesConfig(data, dtMs, steps, rate, maxDense);
    }
}

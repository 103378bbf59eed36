package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.datasets.aer.AerFile;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.idx.IdxFile;
import org.myelin.datasets.nmnist.NmnistDataset;
import org.myelin.datasets.nmnist.NmnistFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Dataset commands. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Datasets.", subcommands = {DataCommand.Info.class})
final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a data command is needed: info");
    }

    /** What a file or folder holds. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print what a dataset file or folder holds: IDX (.gz or raw), N-MNIST .bin or folder, Myelin .aer.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PATH", description = "file or folder")
        Path path;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.exists(path)) {
                throw new MyelinException("no such file or folder: " + path);
            }
            String name = path.getFileName().toString();
            if (Files.isDirectory(path)) {
                for (String split : new String[] {"Train", "Test"}) {
                    if (Files.isDirectory(path.resolve(split))) {
                        NmnistDataset ds = NmnistDataset.open(path, split);
                        int[] perClass = new int[10];
                        ds.samples().forEach(s -> perClass[s.label()]++);
                        out.printf(Locale.ROOT, "N-MNIST %s: %d samples, per class %s%n", split, ds.size(),
                                Arrays.toString(perClass));
                    }
                }
                return 0;
            }
            if (name.endsWith(".bin")) {
                describe(out, "N-MNIST events", NmnistFormat.read(path));
            } else if (name.endsWith(".aer")) {
                describe(out, "Myelin AER events", AerFile.read(path));
            } else {
                try (IdxFile f = IdxFile.open(path)) {
                    out.printf(Locale.ROOT, "IDX unsigned bytes, dims %s: %d samples of %d bytes%n",
                            Arrays.toString(f.dims()), f.samples(), f.sampleBytes());
                    if (f.sampleBytes() == 1) {
                        int[] labels = f.readLabels();
                        int[] counts = new int[256];
                        for (int l : labels) {
                            counts[l]++;
                        }
                        StringBuilder b = new StringBuilder();
                        for (int c = 0; c < 256; c++) {
                            if (counts[c] > 0) {
                                b.append(' ').append(c).append(':').append(counts[c]);
                            }
                        }
                        out.println("labels:" + b);
                    }
                }
            }
            return 0;
        }

        private static void describe(PrintWriter out, String kind, EventStream s) {
            int on = 0;
            for (int i = 0; i < s.size(); i++) {
                on += s.polarity(i);
            }
            out.printf(Locale.ROOT, "%s: %d x %d sensor, %d events (%d ON, %d OFF), %.3f ms%n", kind, s.width(), s.height(),
                    s.size(), on, s.size() - on, s.durationUs() / 1000.0);
        }
    }
}

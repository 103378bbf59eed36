package org.myelin.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.myelin.nir.NirFile;
import org.myelin.nir.NirInfo;
import org.myelin.nir.NirReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** NIR (Neuromorphic Intermediate Representation) graphs. */
@Command(name = "nir", mixinStandardHelpOptions = true, description = "NIR graphs (.nir files, HDF5).",
        subcommands = {NirCommand.Info.class})
final class NirCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: info");
    }

    /** Reads a .nir file, checks it and describes it. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"Reads a .nir file and prints its NIR version, nodes (type, input and output sizes,",
                "parameters with shapes and ranges; nested graphs indented), edges and the reader's warnings.",
                "A file that breaks the specification (unknown node type, missing field, sizes that disagree",
                "across an edge) is refused with the node and field named."})
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the .nir file")
        Path file;

        @Override
        public Integer call() {
            NirFile f = NirReader.read(file);
            spec.commandLine().getOut().print(NirInfo.describe(f));
            return 0;
        }
    }
}

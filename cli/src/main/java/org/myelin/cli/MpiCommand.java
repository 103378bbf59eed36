package org.myelin.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.myelin.mpi.DistributedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One built-in network distributed over the ranks of an Open MPI job. */
@SharedOptions.Defaults(seed = 12345, threads = 1)
@Command(name = "mpi", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a built-in network distributed over the ranks of an Open MPI job.",
            "Start it with mpirun, e.g.",
            "  mpirun -np 4 --oversubscribe java -jar myelin.jar mpi cuba --neurons 64000",
            "(as root Open MPI also wants --allow-run-as-root). Each rank owns a range of neurons and builds only the",
            "synapses onto them; spikes are all-gathered once per shortest-delay window. Rank 0 prints the report; its",
            "last line is the JSON. Started without mpirun it is a job of one rank."})
final class MpiCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NETWORK", description = "cuba (p = 80/N, delay 0.1 ms) or cuba-delays"
            + " (delays uniform in --min-delay..--max-delay steps)")
    String network;

    @Option(names = "--neurons", defaultValue = "64000", description = "neurons (default: ${DEFAULT-VALUE})")
    int neurons;

    @Option(names = "--duration", defaultValue = "1.0",
            description = "biological time in seconds (default: ${DEFAULT-VALUE})")
    double duration;

    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;

    @picocli.CommandLine.Mixin
    SharedOptions.Seed seedOption;

    @Option(names = "--min-delay", defaultValue = "10",
            description = "cuba-delays: shortest delay, steps (default: ${DEFAULT-VALUE})")
    int minDelay;

    @Option(names = "--max-delay", defaultValue = "50",
            description = "cuba-delays: longest delay, steps (default: ${DEFAULT-VALUE})")
    int maxDelay;

    @Option(names = "--save", description = "each rank writes its part of the final state to DIR/rank-R.ckpt")
    java.nio.file.Path save;

    @Option(names = "--resume", description = "each rank first restores DIR/rank-R.ckpt (one run with as many ranks"
            + " wrote them all: a mix of runs or rank counts is refused) and runs --duration more")
    java.nio.file.Path resume;

    @Override
    public Integer call() {
        if (resume != null) {
            // before MPI starts: a missing folder is a one-line error on every rank, not an aborted job
            org.myelin.mpi.CheckpointParts.requireFolder(resume);
        }
        DistributedRun.Spec run = new DistributedRun.Spec(network, neurons, duration, threadsOption.value(), seedOption.value(), minDelay, maxDelay);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        picocli.CommandLine.Model.OptionSpec debug = spec.findOption("--debug");
        return DistributedRun.runUnderMpi(run, out, System.err, save, resume,
                debug != null && Boolean.TRUE.equals(debug.getValue()));
    }

}

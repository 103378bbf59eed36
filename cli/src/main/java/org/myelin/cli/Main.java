package org.myelin.cli;

import java.io.PrintWriter;
import org.myelin.core.MyelinException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code myelin} command. Bad options or values: one line on stderr, exit code 2. */
@Command(name = "myelin", mixinStandardHelpOptions = true, version = "myelin 0.1.0",
        description = "Neuromorphic spiking-network simulator for the JVM.",
        subcommands = {DemoCommand.class, RunCommand.class, ViewCommand.class, BenchCommand.class, BackendsCommand.class, DevicesCommand.class, NirCommand.class, EdgeCommand.class, BoardCommand.Deploy.class,
            BoardCommand.Root.class,
            DataCommand.class, TrainCommand.class, EvalCommand.class, ExperimentCommand.class, MpiCommand.class, SweepCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: demo, run, view, bench, backends, devices, nir, data, train, eval or experiment");
    }

    /** Builds the command line with Myelin's error handling. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            err.println("myelin: " + ex.getMessage());
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, command, parsed) -> {
            if (ex instanceof MyelinException) {
                err.println("myelin: " + ex.getMessage());
                err.flush();
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}

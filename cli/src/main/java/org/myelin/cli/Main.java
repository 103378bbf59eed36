package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.myelin.core.MyelinException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code myelin} command. Exit codes: 0 the run succeeded; 1 the run failed (an unexpected
 * error: one line, and "run with --debug for the stack trace"); 2 bad usage or bad input (unknown options, bad
 * values, a {@link MyelinException}, a missing, unreadable or unwritable file): one line on stderr. No Java stack
 * trace is printed unless {@code --debug} is given (anywhere on the command line).
 */
@Command(name = "myelin", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Neuromorphic spiking-network simulator for the JVM.",
        subcommands = {DemoCommand.class, RunCommand.class, ViewCommand.class, BenchCommand.class, BackendsCommand.class, DevicesCommand.class, NirCommand.class, EdgeCommand.class, BoardCommand.Deploy.class,
            BoardCommand.Root.class,
            DataCommand.class, TrainCommand.class, MicrocircuitCommand.class, EvalCommand.class, ExperimentCommand.class, MpiCommand.class, SweepCommand.class})
public final class Main implements Runnable {
    /** Exit code of a run that failed. */
    public static final int FAILED = 1;
    /** Exit code of bad usage or bad input. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "on an error, also print the Java stack trace")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: "
                + String.join(", ", new java.util.LinkedHashSet<>(spec.subcommands().keySet()))
                + " (myelin --help says what each does)");
    }

    /** {@code --version}: the version of the pom the jar was built from (a resource the build filters). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"myelin " + p.getProperty("version", "(version unknown: not built by Maven)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }

    /** Builds the command line with Myelin's error handling. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setDefaultValueProvider(SharedOptions.PROVIDER);
        cl.setParameterExceptionHandler((ex, args) -> {
            err.println("myelin: " + oneLine(ex.getMessage()));
            if (java.util.Arrays.asList(args).contains("--debug")) {
                ex.printStackTrace(err);
            }
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, command, parsed) -> {
            int code = report(ex, err);
            if (debug(parsed)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        return cl;
    }

    private static boolean debug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** Prints the one line for {@code ex} and returns the exit code. */
    static int report(Throwable ex, PrintWriter err) {
        Throwable t = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        if (t instanceof MyelinException) {
            err.println("myelin: " + oneLine(t.getMessage()));
            return BAD_INPUT;
        }
        if (t instanceof IOException io) {
            err.println("myelin: " + oneLine(ioMessage(io)));
            return BAD_INPUT;
        }
        if (t instanceof OutOfMemoryError) {
            err.println("myelin: out of memory (" + oneLine(t.getMessage()) + "): give the JVM more heap, e.g."
                    + " MYELIN_JAVA_OPTS=-Xmx8g, or run a smaller problem");
            return FAILED;
        }
        String m = t.getMessage();
        err.println("myelin: internal error: " + t.getClass().getName() + (m == null ? "" : ": " + oneLine(m))
                + "; run with --debug for the stack trace");
        return FAILED;
    }

    /** A file error as one sentence that names the file. */
    static String ioMessage(IOException e) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile();
            String other = f.getOtherFile() == null ? "" : " -> " + f.getOtherFile();
            String reason = f.getReason() == null ? "" : " (" + f.getReason() + ")";
            if (e instanceof NoSuchFileException) {
                return "no such file or folder: " + file + other + reason;
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied: " + file + other + reason;
            }
            if (e instanceof FileAlreadyExistsException) {
                return "already exists: " + file + other + reason;
            }
            if (e instanceof NotDirectoryException) {
                return "not a folder: " + file;
            }
            return "cannot use " + file + other + reason;
        }
        String m = e.getMessage();
        return "I/O error: " + (m == null ? e.getClass().getSimpleName() : m);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip() + " ...";
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = commandLine(out, err).execute(args);
        } catch (Throwable t) {
            // an Error (out of memory, stack overflow) that picocli lets through
            out.flush();
            code = report(t, err);
            if (java.util.Arrays.asList(args).contains("--debug")) {
                t.printStackTrace(err);
            }
        }
        out.flush();
        err.flush();
        System.exit(code);
    }
}

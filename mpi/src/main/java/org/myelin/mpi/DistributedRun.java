package org.myelin.mpi;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.myelin.core.io.Json;
import org.myelin.backend.cpu.CpuBackend;
import org.myelin.backend.cpu.DistributedNetwork;
import org.myelin.backend.cpu.SpikeExchange;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/**
 * One built-in network distributed over the ranks of an exchange; every rank runs this, rank 0 reports. Under
 * {@code mpirun} ({@link #main}) the exchange is MPI_COMM_WORLD:
 *
 * <pre>
 *   mpirun -np 4 --oversubscribe java -cp myelin.jar org.myelin.mpi.DistributedRun --network cuba --neurons 64000
 * </pre>
 * (as root Open MPI also wants {@code --allow-run-as-root}). The last line rank 0 prints is the run's JSON.
 */
public final class DistributedRun {
    /** What to run. */
    public record Spec(String network, int neurons, double durationS, int threads, long seed, int minDelaySteps,
                       int maxDelaySteps) {
        public Spec {
            if (!network.equals("cuba") && !network.equals("cuba-delays")) {
                throw new MyelinException("--network must be cuba or cuba-delays, was '" + network + "'");
            }
            if (neurons < 5) {
                throw new MyelinException("--neurons must be >= 5, was " + neurons);
            }
            if (!(durationS > 0) || durationS > 1e4) {
                throw new MyelinException("--duration must be > 0 and <= 1e4 seconds, was " + durationS);
            }
            if (threads < 1 && threads != SimulationConfig.AUTO) {
                throw new MyelinException("--threads must be >= 1, was " + threads);
            }
            if (minDelaySteps < 1 || maxDelaySteps < minDelaySteps) {
                throw new MyelinException("delays need 1 <= min <= max steps, were " + minDelaySteps + ".."
                        + maxDelaySteps);
            }
        }

        Network build() {
            return network.equals("cuba") ? CubaNetwork.scaled(neurons, seed)
                    : CubaNetwork.withDelays(neurons, minDelaySteps, maxDelaySteps, seed);
        }
    }

    /** What rank 0 reports (collective values are the same on every rank; spikes and checksum are rank 0's). */
    public record Result(Spec spec, int ranks, int threads, long synapses, long steps, long spikes, long checksum,
                         double rateHz, double buildSeconds, double simSeconds, double exchangeSecondsMax,
                         double exchangeSecondsMean, long exchanges, long exchangedBytes, int windowSteps,
                         String device) {
        /** The result as one JSON object. */
        public Json json() {
            return Json.object().put("network", spec.network()).put("neurons", spec.neurons()).put("ranks", ranks)
                    .put("threads", threads).put("synapses", synapses).put("duration_s", spec.durationS())
                    .put("steps", steps).put("spikes", spikes).put("checksum", String.format("%016x", checksum))
                    .put("rate_hz", rateHz).put("build_s", buildSeconds).put("sim_s", simSeconds)
                    .put("exchange_s_max", exchangeSecondsMax).put("exchange_s_mean", exchangeSecondsMean)
                    .put("exchanges", exchanges).put("exchanged_bytes", exchangedBytes).put("window_steps", windowSteps)
                    .put("device", device);
        }
    }

    private DistributedRun() {
    }

    /**
     * Runs the spec as this rank (collective: every rank calls it). {@code progress} (rank 0's, may be null) gets
     * a line per tenth of the run.
     */
    public static Result run(Spec spec, SpikeExchange exchange, PrintStream progress) {
        return run(spec, exchange, progress, null, null);
    }

    /**
     * As above; with {@code resume} each rank first restores its part {@code resume/rank-R.ckpt} (written by one run
     * with as many ranks: {@link CheckpointParts} refuses a mix) and runs on from there; with {@code save} each rank
     * writes its part at the end, tagged with this run's id, its rank and the rank count.
     */
    public static Result run(Spec spec, SpikeExchange exchange, PrintStream progress, Path save, Path resume) {
        long t0 = System.nanoTime();
        Network net = spec.build();
        SimulationConfig config = new SimulationConfig(spec.threads());
        long steps = Math.round(spec.durationS() * 1000.0 / net.dtMs());
        boolean root = exchange.rank() == 0;
        Recording rec = root ? Recording.inMemory() : Recording.none();
        // collective steps first, the same on every rank: the parts' check and the new run's id
        Checkpoint restored = resume == null ? null : CheckpointParts.readChecked(resume, exchange);
        long runId = save == null ? 0 : CheckpointParts.newRunId(exchange);
        try (DistributedNetwork c = CpuBackend.compileDistributed(net, config, exchange)) {
            if (restored != null) {
                c.restore(restored);
            }
            double build = (System.nanoTime() - t0) * 1e-9;
            long t1 = System.nanoTime();
            long first = c.currentStep();
            long done = first;
            for (int part = 1; part <= 10; part++) {
                long to = first + steps * part / 10;
                c.advance(done, to, rec);
                done = to;
                if (root && progress != null) {
                    progress.printf(Locale.ROOT, "  %3d %%  %.1f s%n", part * 10, (System.nanoTime() - t1) * 1e-9);
                }
            }
            double sim = (System.nanoTime() - t1) * 1e-9;
            if (save != null) {
                CheckpointParts.tag(c.snapshot(), runId, exchange.rank(), exchange.size())
                        .write(part(save, exchange.rank()));
            }
            long micros = (long) (c.exchangeSeconds() * 1e6);
            long[] sums = exchange.allReduceSum(new long[] {c.synapseCount(), c.exchangedInts() * 4, micros});
            long[] maxima = maxOver(exchange, new long[] {micros, (long) (build * 1e6), (long) (sim * 1e6)});
            long spikes = 0;
            long checksum = 0;
            if (root) {
                SpikeRecord all = SpikeStatistics.merged(net, rec.memory());
                spikes = all.size();
                checksum = SpikeStatistics.checksum(all);
            }
            return new Result(spec, exchange.size(), c.threads(), sums[0], steps, spikes, checksum,
                    spikes / (net.neuronCount() * spec.durationS()), maxima[1] * 1e-6, maxima[2] * 1e-6,
                    maxima[0] * 1e-6, sums[2] * 1e-6 / exchange.size(), c.exchanges(), sums[1], c.windowSteps(),
                    c.device());
        }
    }

    /** Where rank r keeps its part of a checkpoint in folder {@code dir}. */
    public static Path part(Path dir, int rank) {
        return CheckpointParts.part(dir, rank);
    }

    private static long[] maxOver(SpikeExchange x, long[] values) {
        long[] neg = new long[values.length];
        for (int k = 0; k < values.length; k++) {
            neg[k] = -values[k];
        }
        long[] min = x.allReduceMin(neg);
        for (int k = 0; k < min.length; k++) {
            min[k] = -min[k];
        }
        return min;
    }

    /** Prints rank 0's report; the last line is the JSON. */
    public static void report(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "%s: %d neurons, %d synapses, %.3f s of biological time on %s%n", r.spec().network(),
                r.spec().neurons(), r.synapses(), r.spec().durationS(), r.device());
        out.printf(Locale.ROOT, "  spikes            %d (checksum %016x)%n", r.spikes(), r.checksum());
        out.printf(Locale.ROOT, "  mean rate         %.3f Hz%n", r.rateHz());
        out.printf(Locale.ROOT, "  build time        %.3f s (slowest rank)%n", r.buildSeconds());
        out.printf(Locale.ROOT, "  simulation time   %.3f s (slowest rank)%n", r.simSeconds());
        out.printf(Locale.ROOT, "  spike exchange    %.3f s max, %.3f s mean over ranks; %d all-gathers of %d-step"
                        + " windows, %d bytes sent in all%n", r.exchangeSecondsMax(), r.exchangeSecondsMean(),
                r.exchanges(), r.windowSteps(), r.exchangedBytes());
        out.println(r.json());
    }

    /** Entry point for {@code mpirun}: {@code --network cuba|cuba-delays --neurons N --duration S --threads T ...}. */
    public static void main(String[] args) {
        String network = "cuba";
        int neurons = 4000;
        double duration = 1.0;
        int threads = 1;
        long seed = 12345;
        int minDelay = 10;
        int maxDelay = 50;
        Path save = null;
        Path resume = null;
        boolean debug = false;
        Spec spec;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    System.out.println("usage: mpirun -np K java -cp myelin.jar org.myelin.mpi.DistributedRun [--network"
                            + " cuba|cuba-delays] [--neurons N] [--duration S] [--threads T] [--seed S] [--min-delay"
                            + " STEPS] [--max-delay STEPS] [--save DIR] [--resume DIR] [--debug]");
                    return;
                }
                if (a.equals("--debug")) {
                    debug = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new MyelinException("missing value after " + a);
                }
                String v = args[++i];
                try {
                    switch (a) {
                        case "--network" -> network = v;
                        case "--neurons" -> neurons = Integer.parseInt(v);
                        case "--duration" -> duration = Double.parseDouble(v);
                        case "--threads" -> threads = Integer.parseInt(v);
                        case "--seed" -> seed = Long.parseLong(v);
                        case "--min-delay" -> minDelay = Integer.parseInt(v);
                        case "--max-delay" -> maxDelay = Integer.parseInt(v);
                        case "--save" -> save = Path.of(v);
                        case "--resume" -> resume = Path.of(v);
                        default -> throw new MyelinException("unknown option " + a);
                    }
                } catch (NumberFormatException e) {
                    throw new MyelinException(a + " must be a number, was '" + v + "'");
                }
            }
            spec = new Spec(network, neurons, duration, threads, seed, minDelay, maxDelay);
        } catch (MyelinException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(runUnderMpi(spec, System.out, System.err, save, resume, debug));
    }

    /** Runs under MPI_COMM_WORLD; rank 0 prints the report. Returns the exit status (a failing rank aborts the job). */
    public static int runUnderMpi(Spec spec, PrintStream out, PrintStream err, Path save, Path resume) {
        return runUnderMpi(spec, out, err, save, resume, false);
    }

    /**
     * As above. Exit status 0: the run succeeded; 2: bad input (a missing or mixed checkpoint folder, a folder that
     * cannot be written): one line per rank; 1: the run failed (no MPI, an unexpected error: one line, and the
     * stack trace with {@code debug}).
     */
    public static int runUnderMpi(Spec spec, PrintStream out, PrintStream err, Path save, Path resume, boolean debug) {
        try {
            if (resume != null) {
                CheckpointParts.requireFolder(resume);
            }
            if (save != null && Files.exists(save) && !Files.isDirectory(save)) {
                throw new MyelinException("--save " + save + ": not a folder (each rank writes DIR/rank-R.ckpt)");
            }
        } catch (MyelinException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        MpiExchange x;
        try {
            x = new MpiExchange();
        } catch (MyelinException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        int code;
        try {
            if (save != null) {
                Files.createDirectories(save);
            }
            Result r = run(spec, x, x.rank() == 0 ? err : null, save, resume);
            if (x.rank() == 0) {
                report(r, out);
                out.flush();
            }
            Mpi.finalizeMpi();
            return 0;
        } catch (MyelinException | java.io.IOException e) {
            err.println("rank " + x.rank() + ": " + e.getMessage());
            code = 2;
            if (debug) {
                e.printStackTrace(err);
            }
        } catch (RuntimeException | Error e) {
            err.println("rank " + x.rank() + ": " + e + (debug ? "" : "; run with --debug for the stack trace"));
            code = 1;
            if (debug) {
                e.printStackTrace(err);
            }
        }
        err.flush();
        Mpi.abortAll(code);
        return code;
    }
}

package org.myelin.mpi;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
        public String json() {
            return String.format(Locale.ROOT, "{\"network\":\"%s\",\"neurons\":%d,\"ranks\":%d,\"threads\":%d,"
                            + "\"synapses\":%d,\"duration_s\":%s,\"steps\":%d,\"spikes\":%d,\"checksum\":\"%016x\","
                            + "\"rate_hz\":%.4f,\"build_s\":%.3f,\"sim_s\":%.3f,\"exchange_s_max\":%.3f,"
                            + "\"exchange_s_mean\":%.3f,\"exchanges\":%d,\"exchanged_bytes\":%d,\"window_steps\":%d,"
                            + "\"device\":\"%s\"}",
                    spec.network(), spec.neurons(), ranks, threads, synapses, spec.durationS(), steps, spikes, checksum,
                    rateHz, buildSeconds, simSeconds, exchangeSecondsMax, exchangeSecondsMean, exchanges,
                    exchangedBytes, windowSteps, device.replace("\"", "'"));
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
     * As above; with {@code resume} each rank first restores its part {@code resume/rank-R.ckpt} (written by a run with
     * as many ranks) and runs on from there; with {@code save} each rank writes its part at the end.
     */
    public static Result run(Spec spec, SpikeExchange exchange, PrintStream progress, Path save, Path resume) {
        long t0 = System.nanoTime();
        Network net = spec.build();
        SimulationConfig config = new SimulationConfig(spec.threads());
        long steps = Math.round(spec.durationS() * 1000.0 / net.dtMs());
        boolean root = exchange.rank() == 0;
        Recording rec = root ? Recording.inMemory() : Recording.none();
        try (DistributedNetwork c = CpuBackend.compileDistributed(net, config, exchange)) {
            if (resume != null) {
                c.restore(Checkpoint.read(part(resume, exchange.rank())));
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
                c.snapshot().write(part(save, exchange.rank()));
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
        return dir.resolve("rank-" + rank + ".ckpt");
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
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println("usage: mpirun -np K java -cp myelin.jar org.myelin.mpi.DistributedRun [--network"
                        + " cuba|cuba-delays] [--neurons N] [--duration S] [--threads T] [--seed S] [--min-delay STEPS]"
                        + " [--max-delay STEPS] [--save DIR] [--resume DIR]");
                return;
            }
            if (i + 1 >= args.length) {
                System.err.println("missing value after " + a);
                System.exit(2);
            }
            String v = args[++i];
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
                default -> {
                    System.err.println("unknown option " + a);
                    System.exit(2);
                }
            }
        }
        System.exit(runUnderMpi(new Spec(network, neurons, duration, threads, seed, minDelay, maxDelay), System.out,
                System.err, save, resume));
    }

    /** Runs under MPI_COMM_WORLD; rank 0 prints the report. Returns the exit status (a failing rank aborts the job). */
    public static int runUnderMpi(Spec spec, PrintStream out, PrintStream err, Path save, Path resume) {
        MpiExchange x;
        try {
            x = new MpiExchange();
        } catch (MyelinException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
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
        } catch (RuntimeException | Error | java.io.IOException e) {
            err.println("rank " + x.rank() + ": " + e);
            e.printStackTrace(err);
            err.flush();
            Mpi.abortAll(1);
            return 1;
        }
    }
}

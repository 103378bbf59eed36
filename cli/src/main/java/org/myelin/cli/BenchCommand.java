package org.myelin.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.io.Json;
import org.myelin.experiments.bench.BenchmarkRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Cuba.class, BenchCommand.Sparse.class, BenchCommand.Sdt.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is needed: cuba, sparse or sdt");
    }

    /** The CUBA benchmark, comparable with Brian2's examples/CUBA.py. */
    @SharedOptions.Defaults(seed = 12345, threads = 1)
    @Command(name = "cuba", mixinStandardHelpOptions = true,
            description = {"CUBA network (Brette et al. 2007): N neurons, 80%% excitatory, p = 80/N (p = 0.02 at N = 4000).",
                "With --json the last stdout line is one JSON object. spike_checksum is the FNV-1a 64-bit hash of every",
                "spike as (step: 8 bytes, global neuron index: 4 bytes, little-endian), in step then neuron order."})
    static final class Cuba implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--neurons",
                description = "number of neurons (default: ${DEFAULT-VALUE})", defaultValue = "4000")
        int neurons;

        @Option(names = "--duration", description = "biological time in seconds (default: ${DEFAULT-VALUE})",
                defaultValue = "1.0")
        double duration;

        @picocli.CommandLine.Mixin
        SharedOptions.Threads threadsOption;

        @picocli.CommandLine.Mixin
        SharedOptions.Seed seedOption;

        @Option(names = "--backend", description = "backend (default: ${DEFAULT-VALUE})", defaultValue = "cpu")
        String backend;

        @picocli.CommandLine.Mixin
        JsonOptions json;

        @picocli.CommandLine.Mixin
        ProgressOptions progress;

        @Option(names = "--device", description = {"opencl: device index P:D or D, or part of its name (see `myelin",
            "devices`); memristor: ideal, pcm-like or rram [@seconds since programming][,key=value]..."})
        String device;

        @Option(names = "--accumulation",
                description = "synaptic input sums: default, float or fixed (default: ${DEFAULT-VALUE})",
                defaultValue = "default")
        String accumulation;

        @Option(names = "--no-warmup", description = {"skip the JIT warm-up run (a 2000-neuron CUBA network of another",
            "seed, 0.5 s, timed apart as warmup_s) before the timed run"})
        boolean noWarmup;

        @Option(names = "--mode", defaultValue = "clock", description = MODE_HELP)
        String mode;

        @Option(names = "--stdp", description = {"make the excitatory-to-excitatory synapses plastic (additive pair",
            "STDP, cpu clock mode): the cost of plasticity on the same network"})
        boolean stdp;

        @Override
        public Integer call() {
            if (neurons < 5) {
                throw new MyelinException("--neurons must be >= 5, was " + neurons);
            }
            if (!(duration > 0) || duration > 1e6) {
                throw new MyelinException("--duration must be > 0 and <= 1e6 seconds, was " + duration);
            }
            int threads = threadsOption.value();
            long seed = seedOption.value();
            SimulationConfig.Accumulation acc = switch (accumulation.toLowerCase(Locale.ROOT)) {
                case "default" -> SimulationConfig.Accumulation.DEFAULT;
                case "float" -> SimulationConfig.Accumulation.FLOAT;
                case "fixed", "fixed-point", "fixed_point" -> SimulationConfig.Accumulation.FIXED_POINT;
                default -> throw new MyelinException("--accumulation must be default, float or fixed, was '"
                        + accumulation + "'");
            };
            json.check();
            SimulationConfig config = new SimulationConfig(threads, acc, device, EngineMode.parse(mode));
            BenchmarkRun run = stdp
                    ? BenchmarkRun.cubaStdp(neurons, duration, config, seed, backend, !noWarmup,
                            BenchCommand.progress(progress.enabled()))
                    : BenchmarkRun.cuba(neurons, duration, config, seed, backend, !noWarmup,
                            BenchCommand.progress(progress.enabled()));
            report(spec, run, json, stdp ? "cuba-stdp" : "cuba", config.mode(), backend, seed, duration);
            return 0;
        }
    }

    static final String MODE_HELP = "neuron update: clock (every neuron every step), event (visited only by input or"
            + " a predicted threshold crossing; cpu, one thread), precise (off-grid spike times, continuous time) or"
            + " auto (clock for the first 50 ms, then event-driven for the populations that were quiet; the choice is"
            + " in the report's device) (default: ${DEFAULT-VALUE})";

    /** A run's progress as the one progress bar on stderr, in simulated steps; null (none) when not enabled. */
    static BenchmarkRun.Progress progress(boolean enabled) {
        if (!enabled) {
            return null;
        }
        me.tongfei.progressbar.ProgressBar[] bar = new me.tongfei.progressbar.ProgressBar[1];
        return (done, steps) -> {
            if (bar[0] == null) {
                bar[0] = org.myelin.learning.train.ProgressBars.open("simulating", steps, " steps", 1);
            }
            bar[0].stepTo(done);
            if (done >= steps) {
                bar[0].close();
                bar[0] = null;
            }
        };
    }

    /** Prints a run's figures, as a human summary and (when asked for) the one JSON object. */
    static void report(CommandSpec spec, BenchmarkRun run, JsonOptions json, String benchmark, EngineMode mode,
                       String backend, long seed, double duration) {
        report(spec, run, json, benchmark, mode, backend, seed, duration, j -> { });
    }

    /** As above; {@code extra} adds the benchmark's own fields to the JSON object. */
    static void report(CommandSpec spec, BenchmarkRun run, JsonOptions json, String benchmark, EngineMode mode,
                       String backend, long seed, double duration, java.util.function.Consumer<Json> extra) {
        int threads = run.threads();
        PrintWriter out = spec.commandLine().getOut();
        double cv = SpikeStatistics.meanIsiCv(run.spikes(), run.network().neuronCount());
        long checksum = SpikeStatistics.checksum(run.spikes());
        double bytesPerSynapse = run.synapses() == 0 ? 0 : (double) run.synapseBytes() / run.synapses();
        if (!json.json) { // with --json the object is the only line
            out.printf(Locale.ROOT, benchmark.toUpperCase(Locale.ROOT) + "  neurons %d  synapses %d  spikes %d  rate %.3f Hz  ISI CV %.4f%n",
                    run.network().neuronCount(), run.synapses(), run.spikes().size(), run.meanRateHz(), cv);
            out.printf(Locale.ROOT, "      warm-up %.3f s  build %.3f s  simulation %.3f s  %.3e synaptic events/s  %.3e neuron updates/s%n",
                    run.warmupSeconds(), run.buildSeconds(), run.simSeconds(), run.synapticEventsPerSecond(),
                    run.neuronUpdatesPerSecond());
            out.printf(Locale.ROOT, "      %.2f bytes/synapse  backend %s (mode %s) on %s  seed %d  checksum %016x%n",
                    bytesPerSynapse, backend, mode.cliName(), run.device(), seed, checksum);
        }
        if (json.wanted()) {
            Json j = Json.object().put("benchmark", benchmark).put("neurons", run.network().neuronCount())
                    .put("synapses", run.synapses()).put("spikes", run.spikes().size())
                    .put("mean_rate_hz", run.meanRateHz()).put("isi_cv", cv).put("build_s", run.buildSeconds())
                    .put("sim_s", run.simSeconds()).put("synaptic_events_per_s", run.synapticEventsPerSecond())
                    .put("neuron_updates_per_s", run.neuronUpdatesPerSecond()).put("bytes_per_synapse", bytesPerSynapse)
                    .put("threads", threads).put("mode", mode.cliName()).put("backend", backend).put("seed", seed)
                    .put("steps", run.steps()).put("dt_ms", run.network().dtMs()).put("duration_s", duration)
                    .put("warmup_s", run.warmupSeconds()).put("spike_checksum", String.format("%016x", checksum))
                    .put("device", run.device()).put("java", System.getProperty("java.version"));
            if (!Double.isNaN(run.meanPlasticWeightMv())) {
                j.put("mean_plastic_weight_mv", run.meanPlasticWeightMv());
            }
            extra.accept(j);
            json.emit(out, j);
        }
    }

    /** A large network with sparse input: the workload of event-driven simulation. */
    @SharedOptions.Defaults(seed = 1, threads = 1)
    @Command(name = "sparse", mixinStandardHelpOptions = true,
            description = {"A large, mostly silent network: N CuBa-LIF neurons, 100 recurrent synapses each.",
                "One Poisson input generator per neuron such that --active-fraction of the neurons receive input"
                    + " per ms (see SparseNetwork). Same fields as bench cuba."})
    static final class Sparse implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--neurons", defaultValue = "100000", description = "neurons (default: ${DEFAULT-VALUE})")
        int neurons;

        @Option(names = "--synapses", defaultValue = "100",
                description = "recurrent synapses per neuron (default: ${DEFAULT-VALUE})")
        int synapses;

        @Option(names = "--active-fraction", defaultValue = "0.005",
                description = "fraction of neurons receiving input per ms (default: ${DEFAULT-VALUE})")
        double activeFraction;

        @Option(names = "--duration", defaultValue = "1.0", description = "seconds (default: ${DEFAULT-VALUE})")
        double duration;

        @picocli.CommandLine.Mixin
        SharedOptions.Threads threadsOption;

        @picocli.CommandLine.Mixin
        SharedOptions.Seed seedOption;

        @Option(names = "--mode", defaultValue = "clock", description = MODE_HELP)
        String mode;

        @picocli.CommandLine.Mixin
        JsonOptions json;

        @picocli.CommandLine.Mixin
        ProgressOptions progress;

        @Override
        public Integer call() {
            EngineMode m = EngineMode.parse(mode);
            json.check();
            int threads = threadsOption.value();
            long seed = seedOption.value();
            if (!(duration > 0) || duration > 1e4) {
                throw new MyelinException("--duration must be > 0 and <= 1e4 seconds, was " + duration);
            }
            BenchmarkRun run = BenchmarkRun.of(() -> org.myelin.core.catalog.SparseNetwork.build(neurons, synapses, activeFraction,
                    duration, seed), duration, new SimulationConfig(threads).withMode(m), seed, "cpu", true,
                    BenchCommand.progress(progress.enabled()));
            // input events (generator spikes, one synapse each, and recurrent spikes times their out-degree) per
            // neuron and ms: an upper bound of the fraction of neurons receiving input in a millisecond
            long generatorSpikes = run.network().sources().get(0).size() == 0 ? 0
                    : ((org.myelin.core.network.SpikeTrainSource) run.network().sources().get(0)).spikeCount();
            double events = generatorSpikes + (double) run.spikes().size() * synapses;
            double perNeuronMs = events / ((double) neurons * duration * 1000);
            report(spec, run, json, "sparse", m, "cpu", seed, duration,
                    j -> j.put("input_events_per_neuron_ms", perNeuronMs));
            if (!json.json) {
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "      input events per neuron and ms %.5f (bounds the fraction of neurons receiving input per ms)%n",
                        perNeuronMs);
            }
            return 0;
        }
    }

    /** A spike-driven transformer as a core network against the spike-driven program runner, same images. */
    @Command(name = "sdt", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"A spike-driven transformer's test images as a core network against the program runner.",
                "The saved model (train sdt --save) runs two ways, one thread each, alternating: the spike-driven program",
                "runner, and the same program as a core network on the cpu clock engine (compiled once, restored and",
                "given each image). Medians and the ratio core / runner."})
    static final class Sdt implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Parameters(index = "0", paramLabel = "MODEL", description = "the model file (train sdt --save)")
        java.nio.file.Path model;

        @Option(names = "--data", required = true, paramLabel = "DATA",
                description = "the test data, as myelin run MODEL takes it (fashion-mnist or an IDX folder)")
        String data;

        @Option(names = "--test-limit", defaultValue = "1000", paramLabel = "N",
                description = "images per repetition (default: ${DEFAULT-VALUE})")
        int testLimit;

        @Option(names = "--reps", defaultValue = "5", description = "alternating repetitions (default: ${DEFAULT-VALUE})")
        int reps;

        @picocli.CommandLine.Mixin
        JsonOptions json;

        @Override
        public Integer call() {
            json.check();
            PrintWriter out = spec.commandLine().getOut();
            org.myelin.experiments.core.SdtCoreBenchmark r = org.myelin.experiments.core.SdtCoreBenchmark.run(model,
                    data, testLimit, reps, line -> spec.commandLine().getErr().println(line));
            out.printf(Locale.ROOT, "sdt: %d images, %d repetitions: runner %.3f s, core network %.3f s (median),"
                    + " core / runner %.2fx; %d images with different scores; core network %d neurons, %d steps%n",
                    r.samples(), r.repetitions(), r.runnerS(), r.coreS(), r.ratio(), r.differing(), r.neurons(),
                    r.networkSteps());
            json.emit(out, Json.object().put("benchmark", "sdt").put("samples", r.samples())
                    .put("repetitions", r.repetitions()).put("runner_s", r.runnerS()).put("core_s", r.coreS())
                    .put("ratio", r.ratio()).put("differing", r.differing()).put("neurons", r.neurons())
                    .put("network_steps", r.networkSteps()));
            return 0;
        }
    }
}

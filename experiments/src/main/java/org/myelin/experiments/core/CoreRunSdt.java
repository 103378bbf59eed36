package org.myelin.experiments.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.myelin.backend.cpu.spikedriven.SpikeDrivenEngine;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.core.spikedriven.SpikeProgramNetwork;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.experiments.sdt.SdtConfig;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.sdt.MetaSpikeFormer;
import org.myelin.learning.sdt.SdtTraining;
import org.myelin.learning.train.LabelledData;

/**
 * A spike-driven transformer's test set, exported with its batch norms and RepConvs folded as a spike-driven program:
 * on a core backend as a core network per sample ({@link SpikeProgramNetwork}: relays, convolution and membrane
 * projections; SDSA-1 blocks as coincidence neurons, SDSA-3 as spike attention), or with {@code --backend }{@value #PROGRAM_BACKEND} on
 * backend-cpu's {@link SpikeDrivenEngine}, the program runner (mode {@value #MODE}). Per sample, the spikes are the
 * program's firing nodes' spike counts; a sample is identical when every firing node's spike count and every class
 * score equal the framework's. The synaptic events are the weights selected by spikes (the program runner's
 * accumulates: weight additions of convolutions and dense layers, attention count increments; on the core, every
 * spike of a spiking population times its out-degree), not the first layer's multiply-accumulates on the static image.
 */
final class CoreRunSdt {
    /** The mode a spike-driven transformer runs in on the program runner. */
    static final String MODE = "spike-driven program";
    /** The backend name that selects the program runner. */
    static final String PROGRAM_BACKEND = "spike-driven";

    private CoreRunSdt() {
    }

    static CoreRunResult run(CoreRunConfig c, Consumer<String> progress) {
        boolean runner = c.backend().equals(PROGRAM_BACKEND);
        if (runner && c.mode() != EngineMode.CLOCK) {
            throw new MyelinException("mode " + c.mode().cliName() + " (" + c.mode() + ") cannot run "
                    + c.model().getFileName() + " on the spike-driven program runner, which has no engine modes (leave"
                    + " --mode out)");
        }
        if (c.timeSteps() != null || c.encoding() != null) {
            throw new MyelinException("time steps and encoding are settings of a spiking MLP; " + c.model()
                    + " holds a spike-driven transformer, whose spec gives its steps");
        }
        MetaSpikeFormer model = ModelFile.loadSdt(c.model());
        SpikeProgram program = model.export();
        int threads = c.threads() > 0 ? c.threads() : Runtime.getRuntime().availableProcessors();
        try (CoreWorkers core = runner ? null : new CoreWorkers(c, program, threads)) {
            return run(c, progress, model, program, core, threads);
        }
    }

    private static CoreRunResult run(CoreRunConfig c, Consumer<String> progress, MetaSpikeFormer model,
                                     SpikeProgram program, CoreWorkers core, int threads) {
        boolean runner = core == null;
        // as train sdt tests: the t10k- split, or the last --holdout (default 2000) images of a single pair
        LabelledData test = IdxDatasets.loadSplits(IdxDatasets.resolve(c.data()), 2000)[1].head(c.testLimit());
        if (model.spec().size() != SdtConfig.size(test) || model.spec().classes() < test.classes()) {
            throw new MyelinException(c.model() + " takes " + model.spec().size() + "x" + model.spec().size()
                    + " images of " + model.spec().classes() + " classes, the test set has " + test.features()
                    + " values and " + test.classes() + " classes");
        }
        int n = test.size();
        String mode = runner ? MODE : c.mode().cliName();
        String data = String.format(Locale.ROOT, "%s, %d test images, T = %d", c.data(), n, model.spec().steps());
        progress.accept(String.format(Locale.ROOT, "%s on %s; backend %s, %s", model.describe(), data, c.backend(),
                runner ? MODE : "mode " + mode + ", one core network given each sample"));
        long t0 = System.nanoTime();
        SdtTraining.Evaluation eval = SdtTraining.evaluate(model, test, 256);
        SpikeDrivenEngine engine = new SpikeDrivenEngine(program);
        int classes = model.spec().classes();
        int per = test.features();
        int correct = 0;
        int frameworkCorrect = 0;
        int mismatches = 0;
        int identical = 0;
        long differing = 0;
        long spikes = 0;
        long ops = 0;
        int chunk = Math.max(1, n / 10);
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            float[][] samples = new float[to - from][];
            for (int i = from; i < to; i++) {
                samples[i - from] = Arrays.copyOfRange(test.values(), i * per, (i + 1) * per);
            }
            List<SpikeDrivenEngine.Result> results = runner ? engine.runAll(samples, threads)
                    : core.run(samples, from);
            for (int i = from; i < to; i++) {
                SpikeDrivenEngine.Result r = results.get(i - from);
                int label = test.labels()[i];
                correct += r.prediction() == label ? 1 : 0;
                frameworkCorrect += eval.predictions()[i] == label ? 1 : 0;
                mismatches += r.prediction() != eval.predictions()[i] ? 1 : 0;
                boolean same = true;
                for (int j = 0; j < classes; j++) {
                    same &= r.scores()[j] * (1f / model.spec().steps()) == eval.logits()[i * classes + j];
                }
                for (int k = 0; k < program.nodes().size(); k++) {
                    if (program.nodes().get(k) instanceof SpikeProgram.Fire f) {
                        spikes += r.spikes()[k];
                        if (r.spikes()[k] != eval.spikes().get(f.name())[i]) {
                            differing++;
                            same = false;
                        }
                    }
                }
                identical += same ? 1 : 0;
                ops += r.totalAcs();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            progress.accept(String.format(Locale.ROOT, "  %d / %d samples, core accuracy %.2f %%, %d mismatches,"
                    + " %.1f samples/s", to, n, 100.0 * correct / to, mismatches, to / s));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new CoreRunResult("sdt", model.describe(), data, n, c.backend(), mode, (double) correct / n,
                (double) frameworkCorrect / n, mismatches, identical, differing, spikes, ops, secs);
    }

    /**
     * The samples as one core network on the backend: compiled once per worker (each with one thread), restored to
     * its state before the first step and given each sample's input ({@link SpikeProgramNetwork#present}); a backend
     * that cannot write checkpoints gets a network compiled per sample instead. Results in sample order: the core's
     * scores, its firing nodes' spikes and its synaptic events (as the accumulates of a program runner's result).
     */
    private static final class CoreWorkers implements AutoCloseable {
        private final CoreRunConfig c;
        private final SpikeProgram program;
        private final Backend backend;
        private final SimulationConfig sim;
        private final SpikeProgramNetwork net;
        private final CompiledNetwork[] compiled;
        private final org.myelin.core.checkpoint.Checkpoint[] fresh;
        private final java.util.concurrent.ExecutorService pool;

        CoreWorkers(CoreRunConfig c, SpikeProgram program, int workers) {
            this.c = c;
            this.program = program;
            backend = Backends.find(c.backend());
            sim = new SimulationConfig(1).withMode(c.mode());
            try {
                net = SpikeProgramNetwork.of(program);
            } catch (MyelinException e) {
                throw new MyelinException("backend " + c.backend() + " cannot run " + c.model().getFileName() + ": "
                        + e.getMessage() + "; run it with --backend " + PROGRAM_BACKEND);
            }
            compiled = new CompiledNetwork[Math.max(1, workers)];
            fresh = new org.myelin.core.checkpoint.Checkpoint[compiled.length];
            pool = compiled.length == 1 ? null : java.util.concurrent.Executors.newFixedThreadPool(compiled.length,
                    r -> {
                        Thread t = new Thread(r, "myelin-sdt-core");
                        t.setDaemon(true);
                        return t;
                    });
            try {
                for (int w = 0; w < compiled.length; w++) {
                    compiled[w] = backend.compile(net.network(), sim);
                    try {
                        fresh[w] = compiled[w].snapshot();
                    } catch (MyelinException noCheckpoints) {
                        fresh[w] = null;
                    }
                }
            } catch (MyelinException e) {
                close();
                throw refusal(e, 0);
            }
        }

        private MyelinException refusal(MyelinException e, int sample) {
            return new MyelinException("backend " + c.backend() + ", mode " + c.mode().cliName() + " (" + c.mode()
                    + ") cannot run " + c.model().getFileName() + (sample == 0 ? "" : " (sample " + sample + ")")
                    + ": " + e.getMessage());
        }

        /** Worker w's share of the samples: w, w + workers, ... */
        private void part(int w, float[][] samples, int first, SpikeDrivenEngine.Result[] out) {
            int nodes = program.nodes().size();
            int i = w;
            try {
                for (; i < samples.length; i += compiled.length) {
                    Recording rec = Recording.inMemory();
                    if (fresh[w] != null) {
                        compiled[w].restore(fresh[w]);
                        net.present(compiled[w], samples[i]);
                        compiled[w].run(net.stepsToRun(), rec);
                    } else {
                        SpikeProgramNetwork one = SpikeProgramNetwork.of(program, samples[i]);
                        try (CompiledNetwork each = backend.compile(one.network(), sim)) {
                            each.run(one.stepsToRun(), rec);
                        }
                    }
                    long[] acs = new long[nodes];
                    acs[nodes - 1] = net.synapticEvents(rec.memory());
                    out[i] = new SpikeDrivenEngine.Result(net.scores(rec.memory()), net.spikes(rec.memory()),
                            new long[nodes], acs, new long[nodes]);
                }
            } catch (MyelinException e) {
                throw refusal(e, first + i);
            }
        }

        List<SpikeDrivenEngine.Result> run(float[][] samples, int first) {
            SpikeDrivenEngine.Result[] out = new SpikeDrivenEngine.Result[samples.length];
            if (pool == null || samples.length < 2) {
                for (int w = 0; w < compiled.length; w++) {
                    part(w, samples, first, out);
                }
                return Arrays.asList(out);
            }
            try {
                List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
                for (int w = 0; w < compiled.length; w++) {
                    final int k = w;
                    futures.add(pool.submit(() -> part(k, samples, first, out)));
                }
                for (java.util.concurrent.Future<?> f : futures) {
                    f.get();
                }
                return Arrays.asList(out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MyelinException("core run: interrupted");
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException r ? r : new MyelinException("core run: " + cause);
            }
        }

        @Override
        public void close() {
            for (CompiledNetwork x : compiled) {
                if (x != null) {
                    x.close();
                }
            }
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}

package org.myelin.experiments.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.myelin.backend.cpu.spikedriven.SpikeDrivenEngine;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.experiments.sdt.SdtConfig;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.sdt.MetaSpikeFormer;
import org.myelin.learning.sdt.SdtTraining;
import org.myelin.learning.train.LabelledData;

/**
 * A spike-driven transformer's test set on backend-cpu's {@link SpikeDrivenEngine}: the model is not a core network
 * (no neuron populations and projections) but a spike-driven program, exported with its batch norms and RepConvs
 * folded, which that engine runs with the training graph's values bit for bit; the run's mode is {@value #MODE}.
 * Per sample, the spikes are the program's firing nodes' spike counts; the synaptic events are the engine's
 * accumulates selected by spikes (weight additions of convolutions and dense layers, attention count increments;
 * the first layer's multiply-accumulates on the static image are not counted); a sample is identical when every
 * firing node's spike count and every class score equal the framework's.
 */
final class CoreRunSdt {
    /** The mode a spike-driven transformer runs in. */
    static final String MODE = "spike-driven program";

    private CoreRunSdt() {
    }

    static CoreRunResult run(CoreRunConfig c, Consumer<String> progress) {
        if (!c.backend().equals("cpu")) {
            throw new MyelinException("backend " + c.backend() + " cannot run " + c.model().getFileName() + ": a"
                    + " spike-driven transformer (train sdt --save) is not yet a core network; it runs as a spike-driven"
                    + " program on backend-cpu's SpikeDrivenEngine only (--backend cpu)");
        }
        if (c.mode() != EngineMode.CLOCK) {
            throw new MyelinException("mode " + c.mode().cliName() + " (" + c.mode() + ") cannot run "
                    + c.model().getFileName() + ": a spike-driven transformer runs as a spike-driven program, which has"
                    + " no engine modes (leave --mode out)");
        }
        if (c.timeSteps() != null || c.encoding() != null) {
            throw new MyelinException("time steps and encoding are settings of a spiking MLP; " + c.model()
                    + " holds a spike-driven transformer, whose spec gives its steps");
        }
        MetaSpikeFormer model = ModelFile.loadSdt(c.model());
        // as train sdt tests: the t10k- split, or the last --holdout (default 2000) images of a single pair
        LabelledData test = IdxDatasets.loadSplits(IdxDatasets.resolve(c.data()), 2000)[1].head(c.testLimit());
        if (model.spec().size() != SdtConfig.size(test) || model.spec().classes() < test.classes()) {
            throw new MyelinException(c.model() + " takes " + model.spec().size() + "x" + model.spec().size()
                    + " images of " + model.spec().classes() + " classes, the test set has " + test.features()
                    + " values and " + test.classes() + " classes");
        }
        int n = test.size();
        String data = String.format(Locale.ROOT, "%s, %d test images, T = %d", c.data(), n, model.spec().steps());
        progress.accept(String.format(Locale.ROOT, "%s on %s; backend cpu, %s", model.describe(), data, MODE));
        long t0 = System.nanoTime();
        SdtTraining.Evaluation eval = SdtTraining.evaluate(model, test, 256);
        SpikeProgram program = model.export();
        SpikeDrivenEngine engine = new SpikeDrivenEngine(program);
        int threads = c.threads() > 0 ? c.threads() : Runtime.getRuntime().availableProcessors();
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
            List<SpikeDrivenEngine.Result> results = engine.runAll(samples, threads);
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
        return new CoreRunResult("sdt", model.describe(), data, n, "cpu", MODE, (double) correct / n,
                (double) frameworkCorrect / n, mismatches, identical, differing, spikes, ops, secs);
    }
}

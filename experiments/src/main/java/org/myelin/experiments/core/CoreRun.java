package org.myelin.experiments.core;

import java.nio.file.Files;
import java.util.Locale;
import java.util.function.Consumer;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.experiments.l2mu.HarWindows;
import org.myelin.learning.export.CoreCheck;
import org.myelin.learning.export.NetworkExport;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.lmu.L2muExport;
import org.myelin.learning.lmu.L2muTraining;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.tensor.Tensor;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;

/**
 * Classifies a model file's test set on a core backend: loads the model ({@code train mlp --save} or {@code train
 * l2mu --save}), prepares the test samples exactly as its training tested on them, exports each sample with the
 * model to a core network ({@link NetworkExport} for a spiking MLP, {@link L2muExport} for an L2MU), runs it on the
 * backend and reads the class off the core. Each sample also goes through the training framework's own forward pass,
 * so the result counts the samples whose core class differs from the framework's ({@link CoreRunResult#mismatches})
 * and the spikes that differ.
 *
 * <p>A spike-driven transformer ({@code train sdt --save}) runs as a core network ({@link CoreRunSdt}), or with
 * {@code --backend spike-driven} as a spike-driven program on backend-cpu's {@code SpikeDrivenEngine}.
 *
 * <p>Refused, with the reason: a backend or engine mode that cannot run the exported network (the backend's own
 * message, e.g. EVENT_PRECISE for these discrete-time neurons, or a backend without its device); a model the export
 * does not support.
 */
public final class CoreRun {
    private CoreRun() {
    }

    /** Runs {@code c}; the setup, progress (about every 10 % of the samples) and the outcome go to {@code progress}. */
    public static CoreRunResult run(CoreRunConfig c, Consumer<String> progress) {
        if (!Files.isRegularFile(c.model())) {
            throw new MyelinException("model file " + c.model() + " does not exist");
        }
        if (ModelFile.isSdt(c.model())) {
            return CoreRunSdt.run(c, progress);
        }
        Backend backend = Backends.find(c.backend());
        SimulationConfig sim = new SimulationConfig(c.threads()).withMode(c.mode());
        return ModelFile.isL2mu(c.model()) ? l2mu(c, backend, sim, progress) : mlp(c, backend, sim, progress);
    }

    private static CoreRunResult mlp(CoreRunConfig c, Backend backend, SimulationConfig sim,
                                     Consumer<String> progress) {
        ModelFile.Loaded loaded = ModelFile.load(c.model());
        ModelFile.MlpInput saved = ModelFile.mlpInput(c.model());
        if (saved == null && (c.timeSteps() == null || c.encoding() == null)) {
            throw new MyelinException(c.model() + " does not record the time steps and encoding of its training"
                    + " (written before they were saved): give both (--time-steps and --encoding)");
        }
        int steps = c.timeSteps() != null ? c.timeSteps() : saved.timeSteps();
        Encoding enc = c.encoding() != null ? c.encoding() : saved.encoding();
        long seed = c.seed() != null ? c.seed() : loaded.spec().seed();
        var dir = IdxDatasets.resolve(c.data());
        LabelledData test = IdxDatasets.trainTest(dir, 1, c.testLimit())[1];
        SpikingMlp model = loaded.model();
        if (test.features() != model.inputs()) {
            throw new MyelinException(c.data() + ": the test images have " + test.features() + " pixels, the model "
                    + model.inputs() + " inputs");
        }
        String data = String.format(Locale.ROOT, "%s, %d test samples, %s coding, T = %d", dir, test.size(),
                enc.name().toLowerCase(Locale.ROOT), steps);
        progress.accept(String.format(Locale.ROOT, "%s on %s; backend %s, mode %s", model.describe(), data,
                c.backend(), c.mode().cliName()));
        Tally tally = new Tally(test.size(), progress);
        int[] one = new int[1];
        for (int i = 0; i < test.size(); i++) {
            one[0] = i;
            // as Trainer.evaluate encodes: the draws are keyed by (seed + 1, sample, feature, epoch 0, step)
            Tensor x = enc.encode(test, one, 0, 1, steps, seed + 1, 0);
            Tensor sample = enc == Encoding.RATE ? Tensor.of(x.data(), steps, test.features())
                    : Tensor.of(x.data(), test.features());
            tally.add(i, test.labels()[i], onCore(c, i, () -> NetworkExport.verify(model, sample, steps, backend, sim,
                    null)));
        }
        return tally.result("mlp", model.describe(), data, c);
    }

    private static CoreRunResult l2mu(CoreRunConfig c, Backend backend, SimulationConfig sim,
                                      Consumer<String> progress) {
        if (c.timeSteps() != null || c.encoding() != null) {
            throw new MyelinException("time steps and encoding are settings of a spiking MLP; " + c.model()
                    + " holds an L2MU, whose windows give their own steps");
        }
        ModelFile.LoadedL2mu loaded = ModelFile.loadL2mu(c.model());
        L2mu model = loaded.model();
        long seed = c.seed() != null ? c.seed() : model.spec().seed();
        // the test windows do not depend on the training stride (they never overlap, stride 40)
        HarWindows har = HarWindows.load(c.data(), c.subjects(), c.seconds(), 40, seed);
        L2muTraining.Windows test = har.test().spread(c.testLimit());
        if (test.channels() != model.spec().inputs()) {
            throw new MyelinException(c.data() + ": the windows have " + test.channels() + " channels, the model "
                    + model.spec().inputs() + " inputs");
        }
        L2muTraining batches = new L2muTraining(model, 1e-3, 1, seed);
        batches.standardiseWith(loaded.mean(), loaded.std());
        String data = String.format(Locale.ROOT, "%s, %d test windows (subjects %s)%s", har.source(), test.size(),
                har.split().get(1), loaded.mean() == null ? ", not standardised" : ", standardised as in training");
        progress.accept(String.format(Locale.ROOT, "%s on %s; backend %s, mode %s", model.describe(), data,
                c.backend(), c.mode().cliName()));
        Tally tally = new Tally(test.size(), progress);
        for (int i = 0; i < test.size(); i++) {
            Tensor window = batches.batch(test, new int[] {i}, 0, 1);
            tally.add(i, test.labels()[i], onCore(c, i, () -> L2muExport.verify(model, window, backend, sim)));
        }
        return tally.result("l2mu", model.describe(), data, c);
    }

    /** Runs one sample, a refusal named with the backend and mode. */
    private static L2muExport.Agreement onCore(CoreRunConfig c, int sample,
                                               java.util.function.Supplier<L2muExport.Agreement> run) {
        try {
            return run.get();
        } catch (MyelinException e) {
            throw new MyelinException("backend " + c.backend() + ", mode " + c.mode().cliName() + " (" + c.mode()
                    + ") cannot run "
                    + c.model().getFileName() + (sample == 0 ? "" : " (sample " + sample + ")") + ": " + e.getMessage());
        }
    }

    /**
     * The counts over the samples and the progress lines: the core check's own tally ({@link CoreCheck.Tally}: core
     * accuracy, identical samples, differing spikes, same class) plus what a model run reports beside it.
     */
    private static final class Tally {
        private final int samples;
        private final Consumer<String> progress;
        private final CoreCheck.Tally check = new CoreCheck.Tally();
        private int frameworkCorrect;
        private long spikes;
        private long ops;

        Tally(int samples, Consumer<String> progress) {
            if (samples < 1) {
                throw new MyelinException("core run: no test samples");
            }
            this.samples = samples;
            this.progress = progress;
        }

        void add(int i, int label, L2muExport.Agreement a) {
            check.add(a, a.coreClass() == label, "sample " + i);
            frameworkCorrect += a.graphClass() == label ? 1 : 0;
            spikes += a.coreSpikes();
            ops += a.synapticOps();
            int done = i + 1;
            int tenth = Math.max(1, samples / 10);
            if (done % tenth == 0 || done == samples) {
                CoreCheck so = check.result();
                progress.accept(String.format(Locale.ROOT, "  %d / %d samples, core accuracy %.2f %%, %d mismatches,"
                        + " %.1f samples/s", done, samples, 100.0 * so.accuracy(), so.samples() - so.sameClass(),
                        done / so.seconds()));
            }
        }

        CoreRunResult result(String kind, String description, String data, CoreRunConfig c) {
            CoreCheck k = check.result();
            return new CoreRunResult(kind, description, data, samples, c.backend(), c.mode().cliName(), k.accuracy(),
                    (double) frameworkCorrect / samples, k.samples() - k.sameClass(), k.identical(), k.differing(),
                    spikes, ops, k.seconds());
        }
    }
}

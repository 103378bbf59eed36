package org.myelin.experiments.sdt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.myelin.backend.cpu.spikedriven.SpikeDrivenEngine;
import org.myelin.core.MyelinException;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.sdt.MetaSpikeFormer;
import org.myelin.learning.sdt.SdtSpec;
import org.myelin.learning.sdt.SdtTraining;
import org.myelin.learning.train.EpochMetrics;
import org.myelin.learning.train.LabelledData;

/**
 * One spike-driven transformer variant: trained with BPTT (or a saved model), exported with batch norms and RepConvs
 * folded, run on the cpu backend's spike-driven engine and compared with the training graph (predictions, scores,
 * per-layer spike counts), and costed by {@link SdtEnergyModel}.
 */
public final class SdtExperiment {
    private SdtExperiment() {
    }

    /** Trains a new model of {@code spec} and checks and costs it; the model is saved to {@code save} if not null. */
    public static SdtReport run(String name, SdtSpec spec, SdtConfig c, LabelledData train, LabelledData test,
                                Consumer<String> progress, Path save) {
        return run(name, new MetaSpikeFormer(spec), true, c, train, test, progress, save);
    }

    /** Checks and costs a saved model on {@code test}, refusing one for other images or fewer classes. */
    public static SdtReport evaluate(String name, MetaSpikeFormer m, Path file, SdtConfig c, LabelledData train,
                                     LabelledData test, Consumer<String> progress) {
        if (m.spec().size() != SdtConfig.size(test) || m.spec().classes() < test.classes()) {
            throw new MyelinException(file + " takes " + m.spec().size() + "x" + m.spec().size() + " images of "
                    + m.spec().classes() + " classes, the test set has " + test.features() + " values and "
                    + test.classes() + " classes");
        }
        return run(name, m, false, c, train, test, progress, null);
    }

    /**
     * As {@link #run(String, SdtSpec, SdtConfig, LabelledData, LabelledData, Consumer, Path)} for a given model,
     * trained first when {@code fit} is set; progress lines (the model, every epoch, the summary) go to {@code
     * progress}.
     */
    public static SdtReport run(String name, MetaSpikeFormer model, boolean fit, SdtConfig o, LabelledData train,
                                LabelledData test, Consumer<String> progress, Path save) {
        SdtSpec spec = model.spec();
        progress.accept(String.format(Locale.ROOT, "%s: %s", name, model.describe()));
        long start = System.nanoTime();
        // the last epoch's evaluation is the trained model's: kept instead of evaluating the test set again
        SdtTraining.Evaluation[] last = new SdtTraining.Evaluation[1];
        List<EpochMetrics> history = !fit ? List.of() : SdtTraining.train(model, train, test,
                new SdtTraining.Options(o.epochs(), o.batch(), o.lr(), o.weightDecay(), o.warmup(), o.seed(),
                        o.progress()),
                m -> progress.accept(String.format(Locale.ROOT, "  epoch %d: loss %.4f, train %.2f %%, test %.2f %%,"
                        + " %.1f images/s, %.0f s", m.epoch(), m.trainLoss(), 100 * m.trainAccuracy(),
                        100 * m.testAccuracy(), m.samplesPerSecond(), m.seconds())), e -> last[0] = e);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        if (save != null) {
            ModelFile.save(save, model);
            progress.accept("  saved " + save);
        }
        SdtTraining.Evaluation eval = last[0] != null ? last[0] : SdtTraining.evaluate(model, test, 256);
        List<String[]> rates = new ArrayList<>();
        for (String layer : eval.spikes().keySet()) {
            rates.add(new String[] {layer, String.format(Locale.ROOT, "%.5f", eval.firingRate(layer))});
        }
        SpikeProgram program = model.export();
        int n = o.coreCheck() < 0 ? test.size() : Math.min(o.coreCheck(), test.size());
        int per = test.features();
        float[][] samples = new float[n][];
        for (int i = 0; i < n; i++) {
            samples[i] = Arrays.copyOfRange(test.values(), i * per, (i + 1) * per);
        }
        List<SpikeDrivenEngine.Result> results = new SpikeDrivenEngine(program).runAll(samples, o.engineThreads());
        int predEqual = 0;
        int scoresEqual = 0;
        long mismatches = 0;
        double macs = 0;
        double acs = 0;
        long mults = 0;
        int classes = spec.classes();
        for (int i = 0; i < n; i++) {
            SpikeDrivenEngine.Result r = results.get(i);
            predEqual += r.prediction() == eval.predictions()[i] ? 1 : 0;
            boolean same = true;
            for (int j = 0; j < classes; j++) {
                same &= r.scores()[j] * (1f / spec.steps()) == eval.logits()[i * classes + j];
            }
            scoresEqual += same ? 1 : 0;
            for (int k = 0; k < program.nodes().size(); k++) {
                if (program.nodes().get(k) instanceof SpikeProgram.Fire f) {
                    mismatches += r.spikes()[k] == eval.spikes().get(f.name())[i] ? 0 : 1;
                }
                boolean first = program.nodes().get(k) instanceof SpikeProgram.Conv cv && cv.input() == 0;
                if (!first) {
                    mults += r.macs()[k];
                }
            }
            macs += r.totalMacs();
            acs += r.totalAcs();
        }
        macs /= Math.max(1, n);
        acs /= Math.max(1, n);
        double dense = 0;
        for (int k = 0; k < program.nodes().size(); k++) {
            dense += program.denseOps(k);
        }
        double energy = SdtEnergyModel.countedPj(macs, acs) * 1e-6;
        double paper = SdtEnergyModel.paperPj(program, results) * 1e-6;
        SdtReport rep = new SdtReport(name, spec, model.parameterCount(), history, eval.accuracy(), trainSeconds,
                eval.meanFiringRate(), rates, n, predEqual, scoresEqual, mismatches, macs, acs, mults, dense, energy,
                paper);
        progress.accept(String.format(Locale.ROOT, "  test accuracy %.2f %% (%d images), %d parameters, T = %d, mean"
                + " firing rate %.4f, trained for %.0f s", 100 * eval.accuracy(), test.size(), model.parameterCount(),
                spec.steps(), eval.meanFiringRate(), trainSeconds));
        progress.accept(String.format(Locale.ROOT, "  core (cpu spike-driven engine, %d images): predictions equal"
                + " %d/%d, scores equal %d/%d, per-layer spike-count mismatches %d; per image %.0f MACs (first layer),"
                + " %.0f ACs, %d multiplications after the first layer (all images); energy %.3f uJ (4.6 pJ/MAC, 0.9"
                + " pJ/AC; the papers' formula from firing rates and dense FLOPs: %.3f uJ)", n, predEqual, n,
                scoresEqual, n, mismatches, macs, acs, mults, energy, paper));
        return rep;
    }
}

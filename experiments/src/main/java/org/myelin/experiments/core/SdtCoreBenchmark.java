package org.myelin.experiments.core;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.myelin.backend.cpu.spikedriven.SpikeDrivenEngine;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.monitor.Recording;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.core.spikedriven.SpikeProgramNetwork;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.train.LabelledData;

/**
 * A spike-driven transformer's test set two ways in one process, on one thread each, in alternating order: (a) the
 * spike-driven program runner ({@link SpikeDrivenEngine}), (b) the same program as a core network on the cpu
 * backend's clock engine, compiled once and given each image after restoring the state before the first step
 * ({@link SpikeProgramNetwork#present}). Timed: the classification of every image (runner: {@code run}; core:
 * restore, present, run, read scores), not loading or compiling. Reports medians over repetitions and the ratio
 * core / runner, and checks that both give the same class scores.
 *
 * @param samples      test images classified per repetition
 * @param repetitions  alternating repetitions (each runs both)
 * @param runnerS      median seconds of the program runner
 * @param coreS        median seconds of the core network
 * @param differing    images whose class scores differ between the two (in the first repetition)
 * @param neurons      neurons of the core network
 * @param networkSteps network steps per image
 */
public record SdtCoreBenchmark(int samples, int repetitions, double runnerS, double coreS, int differing,
                               int neurons, long networkSteps) {
    /** Core time over runner time. */
    public double ratio() {
        return coreS / runnerS;
    }

    /** Runs the comparison on the first {@code testLimit} test images of {@code data} (as {@code myelin run}). */
    public static SdtCoreBenchmark run(Path model, String data, int testLimit, int repetitions,
                                       Consumer<String> progress) {
        if (repetitions < 1 || testLimit < 1) {
            throw new MyelinException("sdt benchmark: repetitions and test limit must be >= 1, were " + repetitions
                    + " and " + testLimit);
        }
        SpikeProgram program = ModelFile.loadSdt(model).export();
        LabelledData test = IdxDatasets.loadSplits(IdxDatasets.resolve(data), 2000)[1].head(testLimit);
        int n = test.size();
        int per = test.features();
        if (per != program.size(0)) {
            throw new MyelinException(model + " takes " + program.size(0) + " input values, the test images have "
                    + per);
        }
        float[][] images = new float[n][];
        for (int i = 0; i < n; i++) {
            images[i] = Arrays.copyOfRange(test.values(), i * per, (i + 1) * per);
        }
        SpikeDrivenEngine runner = new SpikeDrivenEngine(program);
        SpikeProgramNetwork net = SpikeProgramNetwork.of(program);
        double[] a = new double[repetitions];
        double[] b = new double[repetitions];
        int differing = 0;
        try (CompiledNetwork core = Backends.find("cpu").compile(net.network(),
                new SimulationConfig(1).withMode(EngineMode.CLOCK))) {
            Checkpoint fresh = core.snapshot();
            float[][] first = new float[n][];
            for (int r = 0; r < repetitions; r++) {
                for (int order = 0; order < 2; order++) {
                    boolean coreFirst = r % 2 == 1;
                    boolean doCore = (order == 0) == coreFirst;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        float[] scores;
                        if (doCore) {
                            core.restore(fresh);
                            net.present(core, images[i]);
                            Recording rec = Recording.inMemory();
                            core.run(net.stepsToRun(), rec);
                            scores = net.scores(rec.memory());
                        } else {
                            scores = runner.run(images[i]).scores();
                        }
                        if (r == 0) {
                            if (first[i] == null) {
                                first[i] = scores;
                            } else if (!Arrays.equals(first[i], scores)) {
                                differing++;
                            }
                        }
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (doCore) {
                        b[r] = s;
                    } else {
                        a[r] = s;
                    }
                }
                progress.accept(String.format(java.util.Locale.ROOT, "  repetition %d: runner %.3f s, core %.3f s (%.2fx)",
                        r + 1, a[r], b[r], b[r] / a[r]));
            }
        }
        return new SdtCoreBenchmark(n, repetitions, median(a), median(b), differing, net.network().neuronCount(),
                net.stepsToRun());
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

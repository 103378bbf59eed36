package org.myelin.experiments.l2mu;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.datasets.emulate.SyntheticHar;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.export.CoreCheck;
import org.myelin.learning.lmu.L2muExport;
import org.myelin.learning.lmu.L2muTraining;
import org.myelin.learning.model.ModelFile;

/**
 * Trains an L2MU on HAR windows split by subject, saves it if asked, and with {@code coreCheck} exports the first
 * test windows to core networks, runs them on the cpu backend and compares every population's spikes with the
 * training graph's.
 */
public final class L2muExperiment {
    private L2muExperiment() {
    }

    /** Runs {@code c}; progress lines (the model and data, every epoch, the outcome) go to {@code progress}. */
    public static L2muResult run(L2muConfig c, Consumer<String> progress) {
        HarWindows all = HarWindows.load(c.data(), c.subjects(), c.seconds(), c.stride(), c.seed());
        HarWindows har = new HarWindows(all.train().spread(c.trainLimit()), all.test().spread(c.testLimit()),
                all.source(), all.split());
        L2muTraining.Windows train = har.train();
        L2muTraining.Windows test = har.test();
        List<List<Integer>> split = har.split();
        L2mu model = new L2mu(L2mu.Spec.reference(6, SyntheticHar.ACTIVITIES.length(), c.neuron(), c.encoder(),
                c.seed()).withSizes(c.order(), c.theta(), c.hidden(), c.memory()).withAlpha(c.alpha())
                .withImmediateReset(c.immediateReset()));
        progress.accept(String.format(Locale.ROOT, "%s on %s: %d train windows (subjects %s), %d test windows"
                + " (subjects %s)", model.describe(), har.source(), train.size(), split.get(0), test.size(),
                split.get(1)));
        L2muTraining tr = new L2muTraining(model, c.lr(), c.batchSize(), c.seed());
        long t0 = System.nanoTime();
        List<L2muTraining.Epoch> log;
        try (PrintWriter w = new PrintWriter(new LineWriter(progress))) {
            log = tr.fit(train, test, c.epochs(), w);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double acc = log.get(log.size() - 1).testAccuracy();
        progress.accept(String.format(Locale.ROOT, "test accuracy %.2f %% after %d epochs (%.1f s)", 100 * acc,
                c.epochs(), secs));
        if (c.save() != null) {
            ModelFile.save(c.save(), model, tr.mean(), tr.std());
            progress.accept("model written to " + c.save());
        }
        CoreCheck core = c.coreCheck() > 0 ? coreCheck(c.coreCheck(), c.coreMode(), model, tr, test, progress) : null;
        return new L2muResult(model, har, log, acc, secs, core);
    }

    /** Runs the first n test windows as core networks on the cpu backend, in engine mode {@code mode}. */
    private static CoreCheck coreCheck(int windows, EngineMode mode, L2mu model, L2muTraining tr,
                                       L2muTraining.Windows test, Consumer<String> progress) {
        int n = Math.min(windows, test.size());
        Backend cpu = Backends.find("cpu");
        SimulationConfig cfg = new SimulationConfig(1).withMode(mode);
        CoreCheck.Tally tally = new CoreCheck.Tally();
        for (int i = 0; i < n; i++) {
            L2muExport.Agreement a = L2muExport.verify(model, tr.batch(test, new int[] {i}, 0, 1), cpu, cfg);
            tally.add(a, a.coreClass() == test.labels()[i], "window " + i);
        }
        CoreCheck c = tally.result();
        progress.accept(c.describe(String.format(Locale.ROOT, "%d test windows exported (multi-rate networks, %d"
                + " network steps per sample step) and run on cpu, mode %s", n, L2muExport.STRIDE, mode)));
        if (!c.first().equals("none")) {
            progress.accept("first difference: " + c.first());
        }
        return c;
    }
}

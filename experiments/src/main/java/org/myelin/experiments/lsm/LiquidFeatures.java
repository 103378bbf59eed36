package org.myelin.experiments.lsm;

import java.nio.file.Path;
import org.myelin.backend.memristor.CrossbarReport;
import org.myelin.backend.memristor.lsm.Reservoir;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.datasets.event.EventStream;

/**
 * Spike-count features of the training and the evaluated split, and on the memristor backend what the crossbar did
 * for all of them (else {@link CrossbarReport#NONE}).
 *
 * @param xtr      per-neuron spike counts of the training samples
 * @param ytr      their labels
 * @param xte      per-neuron spike counts of the evaluated (test or validation) samples
 * @param yte      their labels
 * @param spikes   the reservoir's spikes over all training samples
 * @param seconds  wall time of the simulation
 * @param crossbar the crossbar's operations and energy over all samples
 */
public record LiquidFeatures(double[][] xtr, int[] ytr, double[][] xte, int[] yte, long spikes, double seconds,
                             CrossbarReport crossbar) {
    /** Spikes per neuron and training sample. */
    public double spikesPerNeuron(int neurons) {
        return (double) spikes / xtr.length / neurons;
    }

    /**
     * Runs the liquid {@code lq} (its reservoir drawn with {@code c}'s spreads, seed and weights, on {@code c}'s
     * backend and {@code device}) on samples of {@code file} and returns their per-neuron spike counts: {@code
     * nTrain} training and {@code nTest} test samples spread evenly over the splits, or with {@code nValidation}
     * the training and held-out samples both from the training split.
     */
    public static LiquidFeatures extract(LsmConfig c, Liquid lq, Path file, int nTrain, int nTest,
                                         Integer nValidation, String device) {
        EventSamples tr = lq.audio() ? EventSamples.audio(file, "train") : EventSamples.images(file, "Train");
        EventSamples te = lq.audio() ? EventSamples.audio(file, "test") : EventSamples.images(file, "Test");
        int nt = nTest;
        if (nValidation != null) {
            // validation: the held-out part of the training split; the test split is not touched
            te = tr;
            nt = nValidation;
            if (nTrain + nValidation > tr.size()) {
                throw new MyelinException("--train + --validation exceed the " + tr.size() + " training samples");
            }
        }
        if (nTrain > tr.size() || nt > te.size()) {
            throw new MyelinException("--train/--test exceed the " + tr.size() + " / " + te.size() + " samples of "
                    + file);
        }
        Reservoir r = lq.reservoir(c.inputSigma(), c.recurrentSigma(), c.seed(), c.weights());
        CrossbarReport[] crossbarSum = {CrossbarReport.NONE};
        SimulationConfig cfg = new SimulationConfig(1, SimulationConfig.Accumulation.DEFAULT, device,
                EngineMode.CLOCK);
        Backend be = Backends.find(c.backend());
        Counter counter = new Counter(lq, r, be, cfg, c.crop(), crossbarSum);
        long t0 = System.nanoTime();
        double[][] xtr = new double[nTrain][];
        int[] ytr = new int[nTrain];
        double[][] xte = new double[nt][];
        int[] yte = new int[nt];
        // an even spread of samples over the classes: every k-th sample of the file's order
        if (nValidation == null) {
            for (int i = 0; i < nTrain; i++) {
                EventSamples.Item it = tr.item((int) ((long) i * tr.size() / nTrain));
                xtr[i] = counter.features(it.events());
                ytr[i] = it.label();
            }
            for (int i = 0; i < nt; i++) {
                EventSamples.Item it = te.item((int) ((long) i * te.size() / nt));
                xte[i] = counter.features(it.events());
                yte[i] = it.label();
            }
        } else {
            // train + validation samples spread over the training split (which is in class order), every k-th one
            // held out, so both parts hold every class
            int pool = nTrain + nValidation;
            int a = 0;
            int v = 0;
            for (int j = 0; j < pool; j++) {
                EventSamples.Item it = tr.item((int) ((long) j * tr.size() / pool));
                boolean held = v < nValidation && ((long) (j + 1) * nValidation / pool > v
                        || pool - j <= nValidation - v);
                if (held) {
                    xte[v] = counter.features(it.events());
                    yte[v++] = it.label();
                } else if (a < nTrain) {
                    xtr[a] = counter.features(it.events());
                    ytr[a++] = it.label();
                }
            }
        }
        long spikes = 0;
        for (double[] f : xtr) {
            for (double v : f) {
                spikes += (long) v;
            }
        }
        return new LiquidFeatures(xtr, ytr, xte, yte, spikes, (System.nanoTime() - t0) / 1e9, crossbarSum[0]);
    }

    /** Bins a sample's events into frames and counts the reservoir's spikes per neuron. */
    private record Counter(Liquid lq, Reservoir r, Backend be, SimulationConfig cfg, int crop,
                           CrossbarReport[] crossbarSum) {
        /**
         * Event frames (any polarity) of the centre crop, or of every cochlea channel, then the reservoir's
         * per-neuron spike counts.
         */
        double[] features(EventStream ev) {
            boolean audio = lq.audio();
            int bins = lq.bins();
            int w = audio ? ev.width() : crop;
            int h = audio ? 1 : crop;
            boolean[][] f = new boolean[bins][w * h];
            int x0 = audio ? 0 : (ev.width() - crop) / 2;
            int y0 = audio ? 0 : (ev.height() - crop) / 2;
            long dur = Math.max(1, ev.durationUs());
            long first = ev.size() == 0 ? 0 : ev.timeUs(0);
            for (int k = 0; k < ev.size(); k++) {
                int x = ev.x(k) - x0;
                int y = ev.y(k) - y0;
                if (x < 0 || y < 0 || x >= w || y >= h) {
                    continue;
                }
                int b = (int) Math.min(bins - 1, (ev.timeUs(k) - first) * bins / (dur + 1));
                f[b][y * w + x] = true;
            }
            int[] c = r.counts(be, cfg, f, report -> crossbarSum[0] = crossbarSum[0].plus(report));
            double[] d = new double[c.length];
            for (int i = 0; i < c.length; i++) {
                d[i] = c[i];
            }
            return d;
        }
    }
}

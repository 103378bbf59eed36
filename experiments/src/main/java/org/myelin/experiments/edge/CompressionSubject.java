package org.myelin.experiments.edge;

import java.nio.file.Path;
import java.util.Locale;
import org.myelin.backend.edge.Compression;
import org.myelin.backend.edge.FixedPointNet;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.experiments.l2mu.HarWindows;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.lmu.L2muTraining;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;

/**
 * The model under test of a {@link CompressionStudy}: its compression, its float32 counts and its test windows (a
 * spiking MLP's rate-coded IDX images, or an L2MU's HAR windows standardised as in training).
 */
interface CompressionSubject {
    /** The model with int{@code bits} weights, {@code prune} of them pruned. */
    FixedPointNet compress(int bits, double prune);

    /** Test windows. */
    int size();

    /** Window i's label. */
    int label(int i);

    /** The board's input of window i: spikes 0/1 or Q8 values. */
    int[][] input(int i);

    /** The float32 model's output counts for window i. */
    int[] floatCounts(int i);

    /** Trained weights (a float32 model's non-zero count for the table). */
    long floatWeights();

    /** Bytes of the float32 model: weights, biases and neuron constants. */
    long floatBytes();

    /** The model and its data in words. */
    String describe();

    /** The float32 model's first-layer decay in words. */
    String floatDecay();

    /** A spiking MLP's file, tested on at most {@code samples} rate-coded test images of {@code data}. */
    static CompressionSubject mlp(Path model, String data, int samples, int timeSteps) {
        ModelFile.Loaded loaded = ModelFile.load(model);
        SpikingMlp m = loaded.model();
        LabelledData test = IdxDatasets.load(IdxDatasets.resolve(data == null ? "fashion-mnist" : data), "t10k",
                samples);
        int in = m.inputs();
        long weights = 0;
        long floats = 0;
        for (int l = 0; l < m.layers().size(); l++) {
            long rec = m.layers().get(l) instanceof LeakyNeuron ln && ln.recurrent() != null
                    ? ln.recurrent().size() : 0;
            floats += m.weights().get(l).size() + rec + m.biases().get(l).size() + 2;
            weights += m.weights().get(l).size() + rec;
        }
        long nWeights = weights;
        long nFloats = floats;
        return new CompressionSubject() {
            private int cached = -1;
            private boolean[][] spikes;

            private boolean[][] window(int i) {
                if (cached != i) {
                    var x = Encoding.RATE.encode(test, new int[] {i}, 0, 1, timeSteps, loaded.spec().seed(), 0)
                            .data();
                    spikes = new boolean[timeSteps][in];
                    for (int t = 0; t < timeSteps; t++) {
                        for (int k = 0; k < in; k++) {
                            spikes[t][k] = x[t * in + k] == 1f;
                        }
                    }
                    cached = i;
                }
                return spikes;
            }

            @Override
            public FixedPointNet compress(int bits, double prune) {
                return Compression.compress(m, bits, prune);
            }

            @Override
            public int size() {
                return test.size();
            }

            @Override
            public int label(int i) {
                return test.labels()[i];
            }

            @Override
            public int[][] input(int i) {
                boolean[][] w = window(i);
                int[][] x = new int[w.length][in];
                for (int t = 0; t < w.length; t++) {
                    for (int k = 0; k < in; k++) {
                        x[t][k] = w[t][k] ? 1 : 0;
                    }
                }
                return x;
            }

            @Override
            public int[] floatCounts(int i) {
                return Compression.floatCounts(m, window(i));
            }

            @Override
            public long floatWeights() {
                return nWeights;
            }

            @Override
            public long floatBytes() {
                return 4 * nFloats;
            }

            @Override
            public String describe() {
                return String.format(Locale.ROOT, "spiking MLP, %d weights; rate-coded, %d steps", nWeights,
                        timeSteps);
            }

            @Override
            public String floatDecay() {
                var l = (LeakyNeuron) m.layers().get(0);
                return String.format(Locale.ROOT, "beta %.4g", l.beta().data()[0])
                        + (l.alpha() == null ? "" : String.format(Locale.ROOT, ", alpha %.4g", l.alpha().data()[0]));
            }
        };
    }

    /** An L2MU's file, tested on at most {@code samples} HAR test windows (data as in its training). */
    static CompressionSubject l2mu(Path model, String data, int samples, int subjects, int seconds) {
        ModelFile.LoadedL2mu loaded = ModelFile.loadL2mu(model);
        L2mu m = loaded.model();
        HarWindows har = HarWindows.load(data == null ? "synthetic-har" : data, subjects, seconds, 40,
                m.spec().seed());
        L2muTraining tr = new L2muTraining(m, 1e-3, 1, m.spec().seed());
        tr.standardiseWith(loaded.mean(), loaded.std());
        L2muTraining.Windows test = har.test();
        int n = Math.min(samples, test.size());
        int steps = test.steps();
        return new CompressionSubject() {
            private float[] window(int i) {
                return tr.batch(test, new int[] {i}, 0, 1).data();
            }

            @Override
            public FixedPointNet compress(int bits, double prune) {
                return Compression.compress(m, bits, prune);
            }

            @Override
            public int size() {
                return n;
            }

            @Override
            public int label(int i) {
                return test.labels()[i];
            }

            @Override
            public int[][] input(int i) {
                return Compression.quantiseInput(window(i), steps, m.spec().inputs());
            }

            @Override
            public int[] floatCounts(int i) {
                return Compression.floatCounts(m, window(i), steps);
            }

            @Override
            public long floatWeights() {
                return m.parameterCount();
            }

            @Override
            public long floatBytes() {
                return 4 * m.parameterCount();
            }

            @Override
            public String describe() {
                return m.describe() + "; " + har.source() + ", test subjects " + har.split().get(1);
            }

            @Override
            public String floatDecay() {
                L2mu.Pop p = m.spec().encoder() == L2mu.Encoder.SINGLE ? m.spec().enc() : m.spec().u();
                return String.format(Locale.ROOT, "beta %.4g", p.beta()) + (m.spec().neuron() == L2mu.Neuron.CUBA
                        ? String.format(Locale.ROOT, ", alpha %.4g", p.alpha()) : "");
            }
        };
    }
}

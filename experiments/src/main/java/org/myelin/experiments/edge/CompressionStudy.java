package org.myelin.experiments.edge;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.myelin.backend.edge.FixedPointNet;
import org.myelin.learning.model.ModelFile;

/**
 * Compresses a saved spiking MLP or L2MU (int8 or int4 weights, symmetric per layer, optional magnitude pruning,
 * fixed-point membrane with shift decay) and runs the float32 model and every variant (int8, int4, int8 and int4
 * 50 % pruned, int8 80 % pruned) on the same test windows.
 */
public final class CompressionStudy {
    private static final Object[][] VARIANTS = {{"int8", 8, 0.0}, {"int4", 4, 0.0}, {"int8, 50 % pruned", 8, 0.5},
        {"int4, 50 % pruned", 4, 0.5}, {"int8, 80 % pruned", 8, 0.8}};

    private CompressionStudy() {
    }

    /** Runs the study {@code c} describes. */
    public static CompressionResult run(CompressionConfig c) {
        CompressionSubject sub = ModelFile.isL2mu(c.model())
                ? CompressionSubject.l2mu(c.model(), c.data(), c.samples(), c.subjects(), c.seconds())
                : CompressionSubject.mlp(c.model(), c.data(), c.samples(), c.timeSteps());
        Object[][] variants = VARIANTS;
        FixedPointNet[] q = new FixedPointNet[variants.length];
        int[][][][] nonZero = new int[variants.length][][][];
        for (int v = 0; v < variants.length; v++) {
            q[v] = sub.compress((Integer) variants[v][1], (Double) variants[v][2]);
            nonZero[v] = q[v].nonZeroRows();
        }
        int[] correct = new int[variants.length + 1];
        long[][] ops = new long[variants.length + 1][FixedPointNet.OPS];
        long t0 = System.nanoTime();
        long[] nanos = new long[variants.length];
        FixedPointNet chosen = sub.compress(c.bits(), c.prune());
        ByteArrayOutputStream win = new ByteArrayOutputStream();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < sub.size(); i++) {
            int[][] w = sub.input(i);
            int y = sub.label(i);
            if (c.windows()) {
                if (i == 0) {
                    win.writeBytes(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(sub.size())
                            .putInt(w.length).putInt(chosen.inputs()).array());
                }
                for (int[] step : w) {
                    for (int x : step) {
                        if (chosen.valueInput()) {
                            win.write(x & 0xFF);
                            win.write((x >> 8) & 0xFF);
                        } else {
                            win.write(x);
                        }
                    }
                }
                int[] counts = chosen.run(w, null);
                for (int k = 0; k < counts.length; k++) {
                    expected.append(k == 0 ? "" : " ").append(counts[k]);
                }
                expected.append('\n');
            }
            correct[0] += FixedPointNet.argmax(sub.floatCounts(i)) == y ? 1 : 0;
            for (int v = 0; v < variants.length; v++) {
                long a = System.nanoTime();
                correct[v + 1] += FixedPointNet.argmax(q[v].run(w, ops[v + 1], nonZero[v])) == y ? 1 : 0;
                nanos[v] += System.nanoTime() - a;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int n = sub.size();
        List<CompressionResult.Variant> rows = new ArrayList<>();
        for (int v = 0; v < variants.length; v++) {
            long nz = q[v].layers().stream().mapToLong(FixedPointNet.Layer::nonZero).sum();
            rows.add(new CompressionResult.Variant((String) variants[v][0], correct[v + 1],
                    q[v].parameterBytes(), nz, (double) ops[v + 1][0] / n, (double) ops[v + 1][4] / n,
                    (double) ops[v + 1][3] / n, (double) ops[v + 1][1] / n, decay(q[v]), nanos[v] / 1e3 / n));
        }
        return new CompressionResult(sub.describe(), n, seconds, correct[0], sub.floatBytes(),
                sub.floatWeights(), sub.floatDecay(), rows, chosen, c.windows() ? win.toByteArray() : null,
                c.windows() ? expected.toString() : null);
    }

    /** A fixed-point model's first-layer decay: its shifts and the factor they give. */
    public static String decay(FixedPointNet q) {
        FixedPointNet.Layer l = q.layers().get(0);
        String beta = String.format(Locale.ROOT, "beta 1 - 2^-%d%s = %.5f", l.shiftA(), l.shiftB() == 0 ? ""
                : (l.signB() > 0 ? " + 2^-" : " - 2^-") + l.shiftB(), l.beta());
        return l.synA() == 0 ? beta : beta + String.format(Locale.ROOT, ", alpha 1 - 2^-%d%s = %.5f", l.synA(),
                l.synB() == 0 ? "" : (l.synSign() > 0 ? " + 2^-" : " - 2^-") + l.synB(), l.alpha());
    }
}

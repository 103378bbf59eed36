package org.myelin.learning.hlop;

import java.util.ArrayList;
import java.util.List;
import org.myelin.learning.hlop.ContinualLearning.Settings;
import org.myelin.learning.hlop.ContinualLearning.SubspaceReport;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;

/**
 * A task's activity at every layer's input and its singular vectors: GPM's basis growth and the report that
 * compares an HLOP layer's lateral subspace with the exact SVD of the same activity.
 */
final class ActivitySvd {
    private ActivitySvd() {
    }

    /**
     * GPM (Saha et al., ICLR 2021): the activity of 300 training samples at each layer's input, R (samples x
     * inputs), its part outside the basis R' = R - R Q^T Q, and the singular vectors of R' (from the eigenvectors
     * of R' R'^T) added, largest first, until the basis holds {@code gpmThreshold} of R's energy.
     */
    static void growBases(SpikingMlp model, LabelledData data, Settings s, List<OrthogonalBasis> bases) {
        double[][][] act = activity(model, data, s);
        for (int l = 0; l < bases.size(); l++) {
            double[][] r = act[l];
            double total = energy(r);
            if (total == 0) {
                continue;
            }
            OrthogonalBasis basis = bases.get(l);
            removeSpan(r, basis.rows());
            double held = total - energy(r);
            Singular sv = singular(r);
            List<double[]> added = new ArrayList<>();
            for (int c = 0; c < sv.values().length && held < s.gpmThreshold() * total; c++) {
                added.add(sv.vectors()[c]);
                held += sv.values()[c];
            }
            basis.add(added.toArray(new double[0][]), 1e-9);
        }
    }

    /**
     * The activity of (at most) 300 training samples of a task at every layer's input: the input itself for the
     * first layer, the spikes' rate for the others; [layer][sample][input].
     */
    static double[][][] activity(SpikingMlp model, LabelledData data, Settings s) {
        return activity(model, data, s, 0, 300);
    }

    /** The activity of samples [from, from + count) (as many as there are) at every layer's input. */
    static double[][][] activity(SpikingMlp model, LabelledData data, Settings s, int from, int count) {
        int m = Math.max(0, Math.min(count, data.size() - from));
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[i] = from + i;
        }
        Tensor x = Encoding.DIRECT.encode(data, order, 0, m, s.timeSteps(), s.seed(), 0);
        SpikingMlp.Forward f = model.forward(Tape.inference(), x, s.timeSteps());
        int layers = model.layers().size();
        double[][][] out = new double[layers][][];
        for (int l = 0; l < layers; l++) {
            Tensor signal = l == 0 ? x : ContinualLearning.rateOf(f.layers().get(l - 1).spikes(), s);
            int n = model.weights().get(l).dim(0);
            double[][] r = new double[m][n];
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < n; k++) {
                    r[i][k] = signal.data()[i * n + k];
                }
            }
            out[l] = r;
        }
        return out;
    }

    private static double energy(double[][] r) {
        double e = 0;
        for (double[] row : r) {
            e += SubspaceAngles.dot(row, row);
        }
        return e;
    }

    /** Removes from every row of {@code r} its component in the span of the orthonormal rows {@code q}. */
    private static void removeSpan(double[][] r, double[][] q) {
        for (double[] row : r) {
            for (double[] qi : q) {
                double d = SubspaceAngles.dot(row, qi);
                for (int k = 0; k < row.length; k++) {
                    row[k] -= d * qi[k];
                }
            }
        }
    }

    /** Right singular vectors of a matrix, largest first, with their squared singular values (energies). */
    private record Singular(double[][] vectors, double[] values) {
    }

    /** The right singular vectors of {@code r} (samples x inputs) from the eigenvectors of r r^T. */
    private static Singular singular(double[][] r) {
        int m = r.length;
        int n = m == 0 ? 0 : r[0].length;
        double[][] gram = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                gram[i][j] = SubspaceAngles.dot(r[i], r[j]);
                gram[j][i] = gram[i][j];
            }
        }
        double[][] v = new double[m][m];
        double[] eig = SubspaceAngles.symmetricEigen(gram, v);
        Integer[] idx = new Integer[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(eig[b], eig[a]));
        List<double[]> vectors = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int c = 0; c < m && eig[idx[c]] > 1e-12; c++) {
            double sigma = Math.sqrt(eig[idx[c]]);
            double[] u = new double[n];
            for (int i = 0; i < m; i++) {
                double w = v[i][idx[c]] / sigma;
                for (int k = 0; k < n; k++) {
                    u[k] += w * r[i][k];
                }
            }
            vectors.add(u);
            values.add(eig[idx[c]]);
        }
        return new Singular(vectors.toArray(new double[0][]),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The subspace report of one layer at the end of a task, before its rows are frozen (see {@link SubspaceReport}):
     * the singular vectors come from {@code activity}, the energies are measured on {@code heldOut} (other samples
     * of the task), so that the SVD's fit to its own samples does not flatter it.
     */
    static SubspaceReport report(int task, int layer, HebbianSubspace h, double[][] activity, double[][] heldOut) {
        double[][] all = h.basis(0, h.size());
        SubspaceAngles.orthonormalise(all);
        double[][] old = h.basis(0, h.frozen());
        SubspaceAngles.orthonormalise(old);
        old = nonZero(old);
        double[][] residual = SubspaceAngles.copy(activity);
        removeSpan(residual, old);
        int added = h.size() - h.frozen();
        Singular sv = singular(residual);
        int k = Math.min(added, sv.values().length);
        double[][] svd = java.util.Arrays.copyOf(sv.vectors(), k);
        double total = energy(heldOut);
        double[][] rest = SubspaceAngles.copy(heldOut);
        removeSpan(rest, nonZero(all));
        double captured = total == 0 ? 1 : 1 - energy(rest) / total;
        double[][] oldAndSvd = new double[old.length + k][];
        System.arraycopy(old, 0, oldAndSvd, 0, old.length);
        System.arraycopy(svd, 0, oldAndSvd, old.length, k);
        SubspaceAngles.orthonormalise(oldAndSvd);
        double[][] restSvd = SubspaceAngles.copy(heldOut);
        removeSpan(restSvd, nonZero(oldAndSvd));
        double svdCaptured = total == 0 ? 1 : 1 - energy(restSvd) / total;
        double median = 0;
        double max = 0;
        // the added rows' part outside the earlier rows, against the leading directions of the activity there
        double[][] fresh = h.basis(h.frozen(), h.size());
        removeSpan(fresh, old);
        SubspaceAngles.orthonormalise(fresh);
        fresh = nonZero(fresh);
        if (k > 0 && fresh.length > 0) {
            double[] angles = SubspaceAngles.degrees(fresh, svd);
            double[] sorted = angles.clone();
            java.util.Arrays.sort(sorted);
            median = sorted[sorted.length / 2];
            max = sorted[sorted.length - 1];
        }
        return new SubspaceReport(task, layer, h.size(), captured, svdCaptured, median, max);
    }

    /** The rows of an orthonormalised set that survived (dependent rows come out as zeros). */
    private static double[][] nonZero(double[][] q) {
        return java.util.Arrays.stream(q).filter(row -> SubspaceAngles.dot(row, row) > 0.5).toArray(double[][]::new);
    }
}

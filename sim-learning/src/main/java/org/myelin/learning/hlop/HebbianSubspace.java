package org.myelin.learning.hlop;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.ops.MatrixKernels;

/**
 * The lateral neurons of HLOP (Xiao et al., ICLR 2024) for one layer with {@code inputs} input features: M rows
 * H (M x N) that learn, by Oja's subspace rule, the principal subspace of the layer's input activity, and the
 * projection that keeps the layer's weight updates orthogonal to the subspace of earlier tasks.
 *
 * <pre>
 *   lateral response      y = x H^T          (optionally as a spike count: round(clamp(y, -s, s) / s T) / T s)
 *   reconstruction        x_hat = y H
 *   Hebbian update        dH = clamp(y^T (x - x_hat) / B, -10, 10) on the rows still learning;
 *                         Mom = 0.9 Mom + 0.1 dH;  H += lr Mom;  repeated {@code iterations} times per batch
 *   projection            ORTHONORMAL (Myelin's): grad_W = grad_W - Q^T (Q grad_W), Q orthonormalised H_old
 *                         LATERAL (the reference's): grad_W = grad_W - H_old^T (H_old grad_W), the rows themselves
 *                         (W stored (inputs, outputs))
 * </pre>
 * which is the reference's {@code grad_W = grad_out^T (x - x H_old^T H_old)} rewritten for a gradient that has
 * already been summed over the batch. Rows are added per task ({@link #addRows}), initialised orthonormal, and
 * frozen when the task ends ({@link #merge}); only frozen rows project. With spiking lateral neurons the reference
 * also quantises the responses x H_old^T of its projection, sample by sample; the projection here acts on the
 * summed gradient and stays linear (the spiking responses shape the Hebbian learning only).
 */
public final class HebbianSubspace {
    /**
     * How the frozen rows project a weight gradient: with an orthonormalised basis of them (Myelin's, a projection
     * whatever the rows became) or with the learned lateral weights themselves (the reference's g - H^T H g).
     */
    public enum Projection {
        ORTHONORMAL, LATERAL;

        /** The name on the command line: {@code orthonormal} or {@code lateral}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int inputs;
    private final float lr;
    private final float momentum = 0.9f;
    private float[][] rows = new float[0][];
    private float[][] velocity = new float[0][];
    private int frozen;
    /** An orthonormal basis of the frozen rows, made at {@link #merge}. */
    private OrthogonalBasis projector;
    private final float spikingScale;
    private final float spikingSteps;
    private final Projection projection;
    /** LATERAL: the frozen rows H_old (frozen, inputs) and their transpose, made at {@link #merge}. */
    private float[] frozenFlat = new float[0];
    private float[] frozenFlatT = new float[0];

    /** With Myelin's orthonormalised projection. */
    public HebbianSubspace(int inputs, float lr, float spikingScale, float spikingSteps) {
        this(inputs, lr, spikingScale, spikingSteps, Projection.ORTHONORMAL);
    }

    /**
     * @param inputs       N
     * @param lr           Hebbian learning rate (the reference: 0.001 on the input layer, 0.01 on hidden layers)
     * @param spikingScale s of the spiking lateral neurons, or 0 for real-valued responses
     * @param spikingSteps T of the spiking lateral neurons
     * @param projection   how the frozen rows project gradients
     */
    public HebbianSubspace(int inputs, float lr, float spikingScale, float spikingSteps, Projection projection) {
        if (inputs < 1 || !(lr > 0)) {
            throw new MyelinException("hlop: needs inputs >= 1 and lr > 0, were " + inputs + " and " + lr);
        }
        if (projection == null) {
            throw new MyelinException("hlop: the projection (orthonormal or lateral) must be given");
        }
        if (spikingScale < 0 || !Float.isFinite(spikingScale) || (spikingScale > 0 && !(spikingSteps >= 1))
                || !Float.isFinite(spikingSteps)) {
            throw new MyelinException("hlop: spiking lateral neurons need a scale > 0 and steps >= 1 (scale 0: real"
                    + " responses), were " + spikingScale + " and " + spikingSteps);
        }
        this.projection = projection;
        this.inputs = inputs;
        this.lr = lr;
        this.spikingScale = spikingScale;
        this.spikingSteps = spikingSteps;
    }

    public int inputs() {
        return inputs;
    }

    /** All rows (frozen and learning). */
    public int size() {
        return rows.length;
    }

    /** Rows of earlier tasks, which project and no longer learn. */
    public int frozen() {
        return frozen;
    }

    /** Row {@code i} of H (a copy). */
    public float[] row(int i) {
        return rows[i].clone();
    }

    /** Adds {@code k} learning rows, orthonormal among themselves, drawn from the seed. */
    public void addRows(int k, long seed) {
        if (k < 0) {
            throw new MyelinException("hlop: cannot add " + k + " rows");
        }
        if (k > inputs) {
            throw new MyelinException("hlop: " + k + " orthonormal rows do not fit " + inputs + " inputs");
        }
        int old = rows.length;
        rows = Arrays.copyOf(rows, old + k);
        velocity = Arrays.copyOf(velocity, old + k);
        double[][] q = new double[k][inputs];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < inputs; j++) {
                q[i][j] = CounterRandom.normal(seed, 91, (long) (old + i) * inputs + j, 0);
            }
        }
        SubspaceAngles.orthonormalise(q);
        for (int i = 0; i < k; i++) {
            rows[old + i] = new float[inputs];
            for (int j = 0; j < inputs; j++) {
                rows[old + i][j] = (float) q[i][j];
            }
            velocity[old + i] = new float[inputs];
        }
    }

    /**
     * Ends a task: every row becomes frozen, and the projection basis is rebuilt from them. The reference
     * projects with H itself, which is a projection only while the rows stay orthonormal; once a layer's lateral
     * neurons outnumber the directions its activity has, rows start to coincide and g - H^T H g turns into a
     * reflection. An orthonormalised copy (Gram-Schmidt in double precision, dependent rows dropped) keeps it a
     * projection; where the rows are orthonormal the two agree. {@link Projection#LATERAL} keeps the reference's
     * form: the frozen rows as they are.
     */
    public void merge() {
        frozen = rows.length;
        projector = new OrthogonalBasis(inputs);
        projector.add(basis(0, frozen), 1e-9);
        frozenFlat = flatRows(frozen);
        frozenFlatT = new float[inputs * frozen];
        MatrixKernels.transpose(frozenFlat, frozen, inputs, frozenFlatT);
    }

    public Projection projection() {
        return projection;
    }

    /** Dimension of the subspace that projections remove (the span of the frozen rows). */
    public int rank() {
        return projector == null ? 0 : projector.rank();
    }

    /** The lateral responses y = x H^T of rows [0, count) for x (batch, inputs). */
    float[] respond(float[] x, int batch, int count) {
        float[] ht = new float[inputs * count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < inputs; j++) {
                ht[j * count + i] = rows[i][j];
            }
        }
        float[] y = new float[batch * count];
        MatrixKernels.multiply(x, batch, inputs, ht, count, y, false);
        if (spikingScale > 0) {
            for (int k = 0; k < y.length; k++) {
                float c = Math.max(-spikingScale, Math.min(spikingScale, y[k]));
                y[k] = Math.round(c / spikingScale * spikingSteps) / spikingSteps * spikingScale;
            }
        }
        return y;
    }

    private float[] flatRows(int count) {
        float[] h = new float[count * inputs];
        for (int i = 0; i < count; i++) {
            System.arraycopy(rows[i], 0, h, i * inputs, inputs);
        }
        return h;
    }

    /**
     * {@code iterations} Hebbian updates on the batch x (batch, inputs): every row takes part in y and x_hat,
     * only the learning rows change.
     */
    public void update(float[] x, int batch, int iterations) {
        int m = rows.length;
        if (m == frozen || batch == 0) {
            return;
        }
        if (x.length != batch * inputs) {
            throw new MyelinException("hlop: a batch of " + batch + " x " + inputs + " values was expected, got "
                    + x.length);
        }
        for (int it = 0; it < iterations; it++) {
            float[] y = respond(x, batch, m);
            float[] xHat = new float[batch * inputs];
            MatrixKernels.multiply(y, batch, m, flatRows(m), inputs, xHat, false);
            float[] residual = new float[batch * inputs];
            for (int k = 0; k < residual.length; k++) {
                residual[k] = x[k] - xHat[k];
            }
            float[] dH = new float[m * inputs];
            MatrixKernels.multiplyTransposedLeft(y, batch, m, residual, inputs, dH);
            for (int i = frozen; i < m; i++) {
                float[] v = velocity[i];
                float[] h = rows[i];
                for (int j = 0; j < inputs; j++) {
                    float d = Math.max(-10f, Math.min(10f, dH[i * inputs + j] / batch));
                    v[j] = momentum * v[j] + (1f - momentum) * d;
                    h[j] += lr * v[j];
                }
            }
        }
    }

    /**
     * Removes from a weight gradient (inputs, outputs) its component in the frozen subspace:
     * g = g - Q^T (Q g), Q an orthonormal basis of the frozen rows (see {@link #merge}), or with {@link
     * Projection#LATERAL} g = g - H_old^T (H_old g), the frozen rows themselves.
     */
    public void project(float[] gradW, int outputs) {
        if (gradW.length != inputs * outputs) {
            throw new MyelinException("hlop: the weight gradient must be " + inputs + " x " + outputs);
        }
        if (projector == null || frozen == 0) {
            return;
        }
        if (projection == Projection.ORTHONORMAL) {
            projector.project(gradW, outputs);
            return;
        }
        float[] hg = new float[frozen * outputs];
        MatrixKernels.multiply(frozenFlat, frozen, inputs, gradW, outputs, hg, false);
        float[] hthg = new float[inputs * outputs];
        MatrixKernels.multiply(frozenFlatT, inputs, frozen, hg, outputs, hthg, false);
        for (int i = 0; i < gradW.length; i++) {
            gradW[i] -= hthg[i];
        }
    }

    /**
     * The same for a convolution's weight gradient (outputs, C / groups, kh, kw): the lateral neurons of a
     * convolution see its unfolded input patches ({@link ConvPatches#unfold}), and the projection acts on each
     * output channel's kernel as a vector of C kh kw inputs, as the reference does for convolutions.
     */
    public void projectConv(float[] gradW, int outputs) {
        if (gradW.length != inputs * outputs) {
            throw new MyelinException("hlop: the convolution's weight gradient must be " + outputs + " x " + inputs
                    + " (outputs x patch size)");
        }
        if (projector == null || frozen == 0) {
            return;
        }
        if (projection == Projection.ORTHONORMAL) {
            projector.projectRows(gradW, outputs);
            return;
        }
        float[] gh = new float[outputs * frozen];
        MatrixKernels.multiply(gradW, outputs, inputs, frozenFlatT, frozen, gh, false);
        float[] ghh = new float[outputs * inputs];
        MatrixKernels.multiply(gh, outputs, frozen, frozenFlat, inputs, ghh, false);
        for (int i = 0; i < gradW.length; i++) {
            gradW[i] -= ghh[i];
        }
    }

    /** The rows as doubles, [from, to). */
    public double[][] basis(int from, int to) {
        double[][] b = new double[to - from][inputs];
        for (int i = from; i < to; i++) {
            for (int j = 0; j < inputs; j++) {
                b[i - from][j] = rows[i][j];
            }
        }
        return b;
    }
}

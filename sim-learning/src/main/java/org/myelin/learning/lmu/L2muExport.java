package org.myelin.learning.lmu;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.collections.api.list.primitive.MutableDoubleList;
import org.eclipse.collections.api.list.primitive.MutableIntList;
import org.eclipse.collections.impl.list.mutable.primitive.DoubleArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.model.DiscreteLifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.learning.ops.Linear;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Turns a trained spiking {@link L2mu} and one input window into a core {@link Network} that runs on the CPU backend
 * with the training graph's spikes, step for step.
 *
 * <p>Within one sample step the cell's populations depend on each other in a chain (u reads the input and the last
 * h and m; m reads u; h reads m; the output reads h), so each population is a multi-rate population
 * ({@link DiscreteLifModel#every}) that updates once every {@link #STRIDE} network steps, the populations taking
 * turns two steps apart:
 * <pre>
 *   network step 6t + 2   enc_t  (input module; its raw-value input arrives from source x_enc)
 *                6t + 4   u_t    reads m_{t-1} (delay 4), enc_t (2), h_{t-1} (2) [, raw x_t from source x_u]
 *                6t + 6   m_t    reads m_{t-1} (6), u_t (2)
 *                6t + 8   h_t    reads enc_t (6), h_{t-1} (6), m_t (2) [, raw x_t from source x_h]
 *                6t + 10  out_t  reads the bias source (3), h_t (2)
 * </pre>
 * Every synapse has a delay of at least two steps, so input reaches a population through the ring of delayed
 * input, which sums it from zero in the order it is delivered (earlier spikes first; in one step, neurons by index,
 * then sources) and is added once to the synaptic variable: syn = alpha syn + I, v = beta v + syn, as snnTorch's
 * Synaptic and Leaky neurons compute. The L2MU's forward pass sums its inputs in that same order, so the floats
 * agree. Raw values (the input module's Linear(1 -> pop), or without the module the products x_t e_x and x_t W_x)
 * are computed here with the training graph's own operations and enter as the weights of one source neuron per
 * sample step.
 *
 * <p>Exact for {@link L2mu.Neuron#LIF} and {@link L2mu.Neuron#CUBA} models trained with
 * {@link L2mu.Spec#withImmediateReset immediate reset} (the core resets a neuron in the step it spikes).
 */
public final class L2muExport {
    /** Network steps per sample step. */
    public static final int STRIDE = 6;
    /** The populations, in network order, with the network step of their update within a sample step. */
    public static final String[] POPULATIONS = {"enc", "u", "m", "h", "out"};
    private static final int[] OFFSET = {2, 4, 6, 8, 10};

    private L2muExport() {
    }

    /**
     * The exported network and how its steps line up with the sample's.
     *
     * @param network     populations enc (with the input module), u, m, h, out, each with a spike monitor of its name
     * @param steps       sample steps
     * @param inputModule whether population enc exists
     */
    public record Exported(Network network, int steps, boolean inputModule) {
        /** The network step in which population {@code population} takes sample step {@code t}. */
        public long stepOf(String population, int t) {
            for (int k = 0; k < POPULATIONS.length; k++) {
                if (POPULATIONS[k].equals(population)) {
                    return (long) STRIDE * t + OFFSET[k];
                }
            }
            throw new MyelinException("L2MU export: no population '" + population + "'; populations are enc, u, m,"
                    + " h, out");
        }

        /**
         * The sample step a spike of {@code population} in network step {@code step} belongs to. Populations early in
         * the chain take steps past the window (at most one) while the later ones finish it; those spikes give a
         * value of at least {@link #steps} and are not part of the sample.
         */
        public int sampleStepOf(String population, long step) {
            long off = stepOf(population, 0);
            if (step < off || (step - off) % STRIDE != 0) {
                throw new MyelinException(String.format(Locale.ROOT, "L2MU export: population '%s' does not update"
                        + " in network step %d", population, step));
            }
            return (int) ((step - off) / STRIDE);
        }

        /** Network steps to run so that the output has taken every sample step. */
        public long stepsToRun() {
            return stepOf("out", steps - 1) + 1;
        }
    }

    /**
     * @param model  a spiking L2MU, with the immediate or snnTorch's delayed reset
     * @param window the input, (steps, inputs) or (steps, 1, inputs), as the model sees it (standardised)
     * @param dtMs   the network's step (the sample period divided by {@link #STRIDE}, or any value: the model is
     *               defined per step)
     */
    public static Exported export(L2mu model, Tensor window, double dtMs) {
        L2mu.Spec s = model.spec();
        if (s.neuron() == L2mu.Neuron.ANN) {
            throw new MyelinException("L2MU export: the ANN variant has no spiking populations to run on the core");
        }
        int in = s.inputs();
        boolean ok = (window.rank() == 2 && window.dim(1) == in)
                || (window.rank() == 3 && window.dim(1) == 1 && window.dim(2) == in);
        if (!ok) {
            throw new MyelinException("L2MU export: the window must be (steps, " + in + ") or (steps, 1, " + in
                    + "), shape was " + java.util.Arrays.toString(window.shape()));
        }
        int steps = window.dim(0);
        if (steps < 1) {
            throw new MyelinException("L2MU export: the window needs at least one step");
        }
        boolean single = s.encoder() == L2mu.Encoder.SINGLE;
        int mem = s.memory();
        int d = s.order();
        Network.Builder b = Network.builder().dtMs(dtMs);
        if (single) {
            b.population("enc", s.cellInputs(), model(s, s.enc(), 0));
        }
        b.population("u", mem, model(s, s.u(), 1));
        b.population("m", mem * d, model(s, s.m(), 2));
        b.population("h", s.hidden(), model(s, s.h(), 3));
        b.population("out", s.classes(), model(s, s.out(), 4));
        for (int k = single ? 0 : 1; k < POPULATIONS.length; k++) {
            b.monitorSpikes(POPULATIONS[k]);
        }
        float[] x = window.data();
        Tape inf = Tape.inference();
        if (single) {
            // one source neuron per sample step, firing 2 steps before enc, carrying each neuron's Linear(1 -> pop)
            int pop = s.popSize();
            double[][] cur = new double[steps][s.cellInputs()];
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < in; c++) {
                    Tensor v = Linear.apply(inf, Tensor.of(new float[] {x[t * in + c]}, 1, 1),
                            model.tensor("enc" + c + ".weight").detach(), model.tensor("enc" + c + ".bias").detach());
                    for (int j = 0; j < pop; j++) {
                        cur[t][c * pop + j] = v.data()[j];
                    }
                }
            }
            rawSource(b, "x_enc", "enc", cur, OFFSET[0] - 2);
            b.projection(dense("enc", "u", model.tensor("e_x"), 2));
            b.projection(dense("enc", "h", model.tensor("W_x"), STRIDE));
        } else {
            double[][] xu = new double[steps][];
            double[][] xh = new double[steps][];
            for (int t = 0; t < steps; t++) {
                Tensor xt = Tensor.of(java.util.Arrays.copyOfRange(x, t * in, (t + 1) * in), 1, in);
                xu[t] = toDouble(Linear.matmul(inf, xt, model.tensor("e_x").detach()).data());
                xh[t] = toDouble(Linear.matmul(inf, xt, model.tensor("W_x").detach()).data());
            }
            // fired in the same step as the neurons u (h) reads last, so they are delivered after them
            rawSource(b, "x_u", "u", xu, OFFSET[1] - 2);
            rawSource(b, "x_h", "h", xh, OFFSET[3] - 2);
        }
        b.projection(dense("m", "u", model.tensor("e_m"), 4));
        b.projection(dense("h", "u", model.tensor("e_h"), 2));
        b.projection(memory(model, mem, d));
        b.projection(input(model, mem, d));
        b.projection(dense("m", "h", model.tensor("W_m"), 2));
        b.projection(dense("h", "h", model.tensor("W_h"), STRIDE));
        b.projection(dense("h", "out", model.tensor("out.weight"), 2));
        float[] bias = model.tensor("out.bias").data();
        // the bias first: one neuron firing 3 steps before each output step, delivered before h's spikes
        long[] when = new long[steps];
        for (int t = 0; t < steps; t++) {
            when[t] = (long) STRIDE * t + OFFSET[4] - 3;
        }
        b.spikeTrain("bias_out", 1, new int[steps], when);
        b.projection(weights("bias_out", "out", 1, bias.length, toDouble(bias), 3));
        return new Exported(b.build(), steps, single);
    }

    /**
     * How the exported network's spikes compare with the training graph's for one window.
     *
     * @param spikes      spikes of the training graph's forward pass, every population (enc, u, m, h, out)
     * @param perPopulation those spikes per population, in {@link #POPULATIONS} order
     * @param differing   (sample step, neuron) pairs present on one side only, every population
     * @param firstDifference where the first difference is (population, sample step, neuron, which side), or "none"
     * @param graphScores the training graph's class scores (output spike counts)
     * @param coreScores  the network's output spike counts
     * @param coreSpikes  spikes the network's populations fired in the run (given input spikes not counted)
     * @param synapticOps synaptic events the run sent: every spike of a population or spike source (input and bias
     *                    spikes included) times that neuron's out-degree (its synapses, summed over the
     *                    projections it is the source of), see {@link CoreActivity}
     */
    public record Agreement(long spikes, long[] perPopulation, long differing, String firstDifference,
                            float[] graphScores, float[] coreScores, long coreSpikes, long synapticOps) {
        /** Without the network's own counts (-1: not measured). */
        public Agreement(long spikes, long[] perPopulation, long differing, String firstDifference,
                         float[] graphScores, float[] coreScores) {
            this(spikes, perPopulation, differing, firstDifference, graphScores, coreScores, -1, -1);
        }

        /** Whether every spike agrees. */
        public boolean identical() {
            return differing == 0;
        }

        /** The class the network predicts (ties to the lowest), as training's evaluation does. */
        public int coreClass() {
            return argmax(coreScores);
        }

        public int graphClass() {
            return argmax(graphScores);
        }

        private static int argmax(float[] v) {
            int best = 0;
            for (int k = 1; k < v.length; k++) {
                if (v[k] > v[best]) {
                    best = k;
                }
            }
            return best;
        }
    }

    /**
     * Runs the model's forward pass on {@code window} and its export on {@code backend}, and compares every
     * population's spikes step by step.
     */
    public static Agreement verify(L2mu model, Tensor window, Backend backend,
                                   SimulationConfig config) {
        L2mu.Forward f = model.forward(Tape.inference(), window, true);
        Exported ex = export(model, window, 1.0);
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = backend.compile(ex.network(), config)) {
            c.run(ex.stepsToRun(), rec);
        }
        // the forward pass traces {u, m, h, out, enc}
        int[] traceIndex = {4, 0, 1, 2, 3};
        long spikes = 0;
        long differing = 0;
        long[] per = new long[POPULATIONS.length];
        String first = "none";
        for (int k = ex.inputModule() ? 0 : 1; k < POPULATIONS.length; k++) {
            Set<Long> graph = new HashSet<>();
            int width = 0;
            for (int t = 0; t < ex.steps(); t++) {
                float[] sp = f.step(t)[traceIndex[k]];
                width = sp.length;
                for (int i = 0; i < sp.length; i++) {
                    if (sp[i] == 1f) {
                        graph.add((long) t * sp.length + i);
                    }
                }
            }
            per[k] = graph.size();
            spikes += graph.size();
            Set<Long> core = new HashSet<>();
            SpikeRecord r = rec.memory().spikes(POPULATIONS[k]);
            for (int i = 0; i < r.size(); i++) {
                int t = ex.sampleStepOf(POPULATIONS[k], r.step(i));
                if (t < ex.steps()) {
                    core.add((long) t * width + r.neuron(i));
                }
            }
            TreeSet<Long> onlyGraph = new TreeSet<>(graph);
            onlyGraph.removeAll(core);
            TreeSet<Long> onlyCore = new TreeSet<>(core);
            onlyCore.removeAll(graph);
            differing += onlyGraph.size() + onlyCore.size();
            if (first.equals("none") && (!onlyGraph.isEmpty() || !onlyCore.isEmpty())) {
                boolean g = !onlyGraph.isEmpty() && (onlyCore.isEmpty() || onlyGraph.first() < onlyCore.first());
                long key = g ? onlyGraph.first() : onlyCore.first();
                first = String.format(Locale.ROOT, "%s, sample step %d, neuron %d: spikes only in the %s", POPULATIONS[k],
                        key / width, key % width, g ? "training graph" : "network");
            }
        }
        float[] coreScores = new float[model.spec().classes()];
        SpikeRecord out = rec.memory().spikes("out");
        for (int i = 0; i < out.size(); i++) {
            if (ex.sampleStepOf("out", out.step(i)) < ex.steps()) {
                coreScores[out.neuron(i)]++;
            }
        }
        CoreActivity act = CoreActivity.of(ex.network(), rec.memory(), ex.stepsToRun());
        return new Agreement(spikes, per, differing, first, f.scores().data().clone(), coreScores, act.spikes(),
                act.synapticOps());
    }

    private static DiscreteLifModel model(L2mu.Spec s, L2mu.Pop p, int stage) {
        double alpha = s.neuron() == L2mu.Neuron.CUBA ? p.alpha() : Double.NaN;
        DiscreteLifModel m = new DiscreteLifModel(p.beta(), alpha, p.threshold(), ResetMode.SUBTRACT)
                .every(STRIDE, OFFSET[stage] % STRIDE);
        // snnTorch's default reset_delay: the threshold comes off at the next update, after integrating
        return s.immediateReset() ? m : m.withDelayedReset();
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Source {@code name}: neuron t fires in step 6t + firstStep, its weights values[t] reach {@code to} 2 later. */
    private static void rawSource(Network.Builder b, String name, String to, double[][] values, long firstStep) {
        int steps = values.length;
        int[] neurons = new int[steps];
        long[] when = new long[steps];
        for (int t = 0; t < steps; t++) {
            neurons[t] = t;
            when[t] = (long) STRIDE * t + firstStep;
        }
        b.spikeTrain(name, steps, neurons, when);
        double[] flat = new double[steps * values[0].length];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(values[t], 0, flat, t * values[0].length, values[0].length);
        }
        b.projection(weights(name, to, steps, values[0].length, flat, 2));
    }

    private static Projection dense(String from, String to, Tensor w, int delay) {
        return weights(from, to, w.dim(0), w.dim(1), toDouble(w.data()), delay);
    }

    /** A (rows, cols) weight matrix as synapses; exact zeros are left out (adding them changes nothing). */
    private static Projection weights(String from, String to, int rows, int cols, double[] w, int delay) {
        return blocks(from, to, delay, 1, rows, cols, w);
    }

    /** m_(i,k) -> m_(i,j) with the fixed memory matrix M[k][j], delay one sample step. */
    private static Projection memory(L2mu model, int mem, int d) {
        return blocks("m", "m", STRIDE, mem, d, d, toDouble(model.memoryMatrix().data()));
    }

    /** u_i -> m_(i,j) with Bbar[j]. */
    private static Projection input(L2mu model, int mem, int d) {
        return blocks("u", "m", 2, mem, 1, d, toDouble(model.memoryInput().data()));
    }

    /**
     * One (rows x cols) matrix k repeated on the diagonal for {@code blocks} blocks: source b*rows + r reaches target
     * b*cols + c with k[r][c]; exact zeros left out.
     */
    private static Projection blocks(String from, String to, int delay, int blocks, int rows, int cols, double[] k) {
        MutableIntList pre = new IntArrayList();
        MutableIntList post = new IntArrayList();
        MutableDoubleList weight = new DoubleArrayList();
        for (int b = 0; b < blocks; b++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    if (k[r * cols + c] != 0) {
                        pre.add(b * rows + r);
                        post.add(b * cols + c);
                        weight.add(k[r * cols + c]);
                    }
                }
            }
        }
        return Projection.between(from, to).named(from + "->" + to).receptor(Receptor.EXCITATORY).delaySteps(delay)
                .connect(Connectivity.explicit(pre.toArray(), post.toArray(), weight.toArray(), null)).build();
    }
}

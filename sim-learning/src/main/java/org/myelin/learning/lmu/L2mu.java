package org.myelin.learning.lmu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.neuron.Surrogate;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.ops.Linear;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * L2MU (Fra et al., ICANN 2024): a Legendre Memory Unit whose every population is spiking. Per step t, with x_t the
 * input (or the input module's spikes):
 * <pre>
 *   I_u = x_t e_x + h_{t-1} e_h + m_{t-1} e_m                 u_t = P_u(I_u)            (memory_size)
 *   I_m = m_{t-1} M + u_t (outer) Bbar                        m_t = P_m(I_m)            (memory_size x order)
 *   I_h = x_t W_x + h_{t-1} W_h + m_t W_m                     h_t = P_h(I_h)            (hidden)
 *   o_t = P_out(h_t W_o + b_o);   class scores: output spikes summed over time
 * </pre>
 * M and Bbar are the fixed zero-order-hold Legendre matrices ({@link LegendreMemory}; M = Abar as the released code
 * computes by default, or the canonical Abar^T). Each population P is snnTorch's {@code Leaky} (U = beta U + I -
 * S_prev theta, the reset from the previous step's spike, detached) or {@code Synaptic} (syn = alpha syn + I first),
 * with its own beta, threshold (and alpha); spikes S = H(U - theta) with the surrogate's gradient. The input module
 * ({@link Encoder#SINGLE}) gives each input channel a Linear(1 -> pop) into its own population, outputs concatenated.
 * {@link Neuron#ANN} is the same cell without spikes (u, m linear, h = tanh, class scores from the last step), the
 * LMU baseline.
 *
 * <p>Each sum runs in one fixed order, the order in which the exported network's synapses deliver
 * ({@link L2muExport}): one product over the concatenated spike inputs, [m_{t-1}, enc_t, h_{t-1}] for u and [enc_t,
 * h_{t-1}, m_t] for h, with a raw input's product (no input module) added last, as one value.
 *
 * <p>Parameters are initialised as the reference does: e_x, e_h LeCun-uniform, e_m zero, W_x, W_h, W_m Xavier-normal,
 * the output and input-module Linear layers PyTorch's default, all from the seed's counter-based streams.
 */
public final class L2mu {
    /** The neuron of every population. */
    public enum Neuron { LIF, CUBA, ANN }

    /** How the input reaches the cell. */
    public enum Encoder {
        /** The raw values ("plain"). */
        PLAIN,
        /** Per channel, a Linear(1 -> pop) into its own population ("single"). */
        SINGLE
    }

    /** One population's constants: beta, threshold and (CuBa) alpha. */
    public record Pop(float beta, float threshold, float alpha) {
    }

    /**
     * The architecture. Defaults ({@link #reference}): order 7, theta 10, hidden 120, memory 70, u 0.8/0.2, h 0.45/0.65,
     * m 0.2/0.4, out 0.6/0.15 (beta/threshold), alpha 0.3 (CuBa; the paper does not list it), input module 10 neurons
     * per channel at 0.8/0.5.
     */
    public record Spec(int inputs, int classes, int order, double theta, int hidden, int memory, Neuron neuron,
                       Encoder encoder, int popSize, Pop u, Pop m, Pop h, Pop out, Pop enc,
                       LegendreMemory.Convention convention, Surrogate surrogate, long seed, boolean immediateReset) {
        public Spec {
            if (inputs < 1 || classes < 2 || order < 1 || hidden < 1 || memory < 1 || popSize < 1) {
                throw new MyelinException("L2MU: inputs, order, hidden, memory and pop size must be >= 1 and classes"
                        + " >= 2");
            }
            if (!(theta > 0)) {
                throw new MyelinException("L2MU: theta must be > 0, was " + theta);
            }
        }

        public static Spec reference(int inputs, int classes, Neuron neuron, Encoder encoder, long seed) {
            float a = 0.3f;
            return new Spec(inputs, classes, 7, 10, 120, 70, neuron, encoder, 10, new Pop(0.8f, 0.2f, a),
                    new Pop(0.2f, 0.4f, a), new Pop(0.45f, 0.65f, a), new Pop(0.6f, 0.15f, a), new Pop(0.8f, 0.5f, a),
                    LegendreMemory.Convention.RELEASED, Surrogate.atan(2f), seed, false);
        }

        public Spec withSizes(int order, double theta, int hidden, int memory) {
            return new Spec(inputs, classes, order, theta, hidden, memory, neuron, encoder, popSize, u, m, h, out, enc,
                    convention, surrogate, seed, immediateReset);
        }

        /**
         * The same with the reset in the spike's own step (snnTorch's {@code reset_delay=False}: U = beta U + I, spike,
         * U -= theta at once) instead of at the next step: the form the core's neurons take, so a model trained so
         * exports to a {@link org.myelin.core.network.Network} with the same spikes ({@link L2muExport}).
         */
        public Spec withImmediateReset(boolean immediate) {
            return new Spec(inputs, classes, order, theta, hidden, memory, neuron, encoder, popSize, u, m, h, out, enc,
                    convention, surrogate, seed, immediate);
        }

        /** The same with synaptic decay {@code a} in every population. */
        public Spec withAlpha(float a) {
            return new Spec(inputs, classes, order, theta, hidden, memory, neuron, encoder, popSize,
                    new Pop(u.beta(), u.threshold(), a), new Pop(m.beta(), m.threshold(), a),
                    new Pop(h.beta(), h.threshold(), a), new Pop(out.beta(), out.threshold(), a),
                    new Pop(enc.beta(), enc.threshold(), a), convention, surrogate, seed, immediateReset);
        }

        /** {@code key=value} lines, the first {@code model=l2mu}, as a model file stores them. */
        public String toText() {
            StringBuilder b = new StringBuilder("model=l2mu\n");
            java.util.function.BiConsumer<String, Object> put = (k, v) -> b.append(k).append('=').append(v).append('\n');
            put.accept("inputs", inputs);
            put.accept("classes", classes);
            put.accept("order", order);
            put.accept("theta", theta);
            put.accept("hidden", hidden);
            put.accept("memory", memory);
            put.accept("neuron", neuron.name());
            put.accept("encoder", encoder.name());
            put.accept("popSize", popSize);
            String[] names = {"u", "m", "h", "out", "enc"};
            Pop[] pops = {u, m, h, out, enc};
            for (int k = 0; k < names.length; k++) {
                put.accept(names[k], pops[k].beta() + "," + pops[k].threshold() + "," + pops[k].alpha());
            }
            put.accept("convention", convention.name());
            put.accept("surrogate", surrogate);
            put.accept("seed", seed);
            put.accept("immediateReset", immediateReset);
            return b.toString();
        }

        /** Parses {@link #toText()}. */
        public static Spec parse(String text) {
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            if (!"l2mu".equals(m.get("model"))) {
                throw new MyelinException("L2MU spec: not an L2MU (model=" + m.getOrDefault("model", "mlp") + ")");
            }
            java.util.function.Function<String, String> get = k -> {
                String v = m.get(k);
                if (v == null) {
                    throw new MyelinException("L2MU spec: '" + k + "' is missing");
                }
                return v;
            };
            java.util.function.Function<String, Pop> pop = k -> {
                String[] f = get.apply(k).split(",");
                if (f.length != 3) {
                    throw new MyelinException("L2MU spec: '" + k + "' must be beta,threshold,alpha, was " + get.apply(k));
                }
                return new Pop(Float.parseFloat(f[0]), Float.parseFloat(f[1]), Float.parseFloat(f[2]));
            };
            try {
                return new Spec(Integer.parseInt(get.apply("inputs")), Integer.parseInt(get.apply("classes")),
                        Integer.parseInt(get.apply("order")), Double.parseDouble(get.apply("theta")),
                        Integer.parseInt(get.apply("hidden")), Integer.parseInt(get.apply("memory")),
                        Neuron.valueOf(get.apply("neuron")), Encoder.valueOf(get.apply("encoder")),
                        Integer.parseInt(get.apply("popSize")), pop.apply("u"), pop.apply("m"), pop.apply("h"),
                        pop.apply("out"), pop.apply("enc"), LegendreMemory.Convention.valueOf(get.apply("convention")),
                        Surrogate.parse(get.apply("surrogate")), Long.parseLong(get.apply("seed")),
                        Boolean.parseBoolean(get.apply("immediateReset")));
            } catch (IllegalArgumentException e) {
                throw new MyelinException("L2MU spec: " + e.getMessage());
            }
        }

        /** Width of what the cell sees per step: the inputs, or the input module's populations. */
        public int cellInputs() {
            return encoder == Encoder.SINGLE ? inputs * popSize : inputs;
        }
    }

    private final Spec spec;
    private final Tensor ex;
    private final Tensor eh;
    private final Tensor em;
    private final Tensor wx;
    private final Tensor wh;
    private final Tensor wm;
    private final Tensor wo;
    private final Tensor bo;
    private final Tensor[] encW;
    private final Tensor[] encB;
    private final Tensor memM;
    private final Tensor memB;

    public L2mu(Spec s) {
        this.spec = s;
        int in = s.cellInputs();
        int md = s.memory() * s.order();
        ex = Tensor.parameter("l2mu.e_x", in, s.memory());
        eh = Tensor.parameter("l2mu.e_h", s.hidden(), s.memory());
        em = Tensor.parameter("l2mu.e_m", md, s.memory());
        wx = Tensor.parameter("l2mu.W_x", in, s.hidden());
        wh = Tensor.parameter("l2mu.W_h", s.hidden(), s.hidden());
        wm = Tensor.parameter("l2mu.W_m", md, s.hidden());
        wo = Tensor.parameter("l2mu.out.weight", s.hidden(), s.classes());
        bo = Tensor.parameter("l2mu.out.bias", s.classes());
        uniform(ex, Math.sqrt(3.0 / in));
        uniform(eh, Math.sqrt(3.0 / s.hidden()));
        xavierNormal(wx, in, s.hidden());
        xavierNormal(wh, s.hidden(), s.hidden());
        xavierNormal(wm, md, s.hidden());
        uniform(wo, 1 / Math.sqrt(s.hidden()));
        uniform(bo, 1 / Math.sqrt(s.hidden()));
        int channels = s.encoder() == Encoder.SINGLE ? s.inputs() : 0;
        encW = new Tensor[channels];
        encB = new Tensor[channels];
        for (int c = 0; c < channels; c++) {
            encW[c] = Tensor.parameter("l2mu.enc" + c + ".weight", 1, s.popSize());
            encB[c] = Tensor.parameter("l2mu.enc" + c + ".bias", s.popSize());
            uniform(encW[c], 1);
            uniform(encB[c], 1);
        }
        LegendreMemory lm = LegendreMemory.zeroOrderHold(s.order(), s.theta());
        double[][] mm = lm.rowUpdate(s.convention());
        float[] md2 = new float[s.order() * s.order()];
        for (int i = 0; i < s.order(); i++) {
            for (int j = 0; j < s.order(); j++) {
                md2[i * s.order() + j] = (float) mm[i][j];
            }
        }
        memM = Tensor.of(md2, s.order(), s.order());
        float[] bb = new float[s.order()];
        for (int i = 0; i < s.order(); i++) {
            bb[i] = (float) lm.bBar()[i];
        }
        memB = Tensor.of(bb, 1, s.order());
    }

    private void uniform(Tensor t, double bound) {
        CounterRandom.fillSymmetric(t.data(), spec.seed(), CounterRandom.streamOf(t.name()), bound);
    }

    private void xavierNormal(Tensor t, int fanIn, int fanOut) {
        float[] d = t.data();
        int stream = CounterRandom.streamOf(t.name());
        double std = Math.sqrt(2.0 / (fanIn + fanOut));
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (CounterRandom.normal(spec.seed(), stream, i, 0) * std);
        }
    }

    public Spec spec() {
        return spec;
    }

    /** Every trained tensor. */
    public List<Tensor> parameters() {
        List<Tensor> p = new ArrayList<>(List.of(ex, eh, em, wx, wh, wm, wo, bo));
        for (int c = 0; c < encW.length; c++) {
            p.add(encW[c]);
            p.add(encB[c]);
        }
        return p;
    }

    /** Number of trained values. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : parameters()) {
            n += t.size();
        }
        return n;
    }

    /** The fixed memory matrices: M (order x order, row form) and Bbar (1 x order). */
    public Tensor memoryMatrix() {
        return memM;
    }

    public Tensor memoryInput() {
        return memB;
    }

    /** Weights by name, (in, out) layout: e_x, e_h, e_m, W_x, W_h, W_m, W_o; b_o; enc<c>.weight/.bias. */
    public Tensor tensor(String name) {
        for (Tensor t : parameters()) {
            if (t.name().equals("l2mu." + name)) {
                return t;
            }
        }
        throw new MyelinException("L2MU: no tensor " + name);
    }

    /** A population's state: synaptic current (CuBa), membrane, last spikes. */
    private static final class State {
        Tensor syn;
        Tensor u;
        Tensor s;
    }

    /** One step of population {@code p}: snnTorch's Leaky or Synaptic, reset from the previous step's spike. */
    private Tensor step(Tape tape, Tensor input, State st, Pop p) {
        Tensor in = input;
        if (spec.neuron() == Neuron.CUBA) {
            in = st.syn == null ? input : Elementwise.add(tape, Elementwise.scale(tape, st.syn, p.alpha()), input);
            st.syn = in;
        }
        Tensor u = st.u == null ? in : Elementwise.add(tape, Elementwise.scale(tape, st.u, p.beta()), in);
        if (st.s != null && !spec.immediateReset()) {
            // the reset: the previous spikes times theta, detached (no gradient through the reset)
            u = Elementwise.add(tape, u, Elementwise.scale(Tape.inference(), st.s.detach(), -p.threshold()));
        }
        st.s = Elementwise.spike(tape, u, p.threshold(), spec.surrogate());
        if (spec.immediateReset()) {
            // the reset in the spike's step, detached: U - S theta, the value the next step decays
            u = Elementwise.add(tape, u, Elementwise.scale(Tape.inference(), st.s.detach(), -p.threshold()));
        }
        st.u = u;
        return st.s;
    }

    /** What a forward pass gives: class scores and, per step, the spikes (or values) of every population. */
    public record Forward(Tensor scores, List<float[][]> trace) {
        /**
         * Per step the {u, m, h, out, enc} values (spikes; ANN: activations, out empty; enc: the input module's
         * output, empty without one), batch-major.
         */
        public float[][] step(int t) {
            return trace.get(t);
        }
    }

    /**
     * @param x (time, batch, inputs) input values
     * @param keepTrace whether to copy every population's output per step (for tests and export checks)
     */
    public Forward forward(Tape tape, Tensor x, boolean keepTrace) {
        if (x.rank() != 3 || x.dim(2) != spec.inputs()) {
            throw new MyelinException("L2MU: input must be (time, batch, " + spec.inputs() + "), shape was "
                    + java.util.Arrays.toString(x.shape()));
        }
        int steps = x.dim(0);
        int batch = x.dim(1);
        int in = spec.inputs();
        int mem = spec.memory();
        int d = spec.order();
        boolean ann = spec.neuron() == Neuron.ANN;
        State su = new State();
        State sm = new State();
        State sh = new State();
        State so = new State();
        State[] se = new State[encW.length];
        for (int c = 0; c < se.length; c++) {
            se[c] = new State();
        }
        Tensor h = Tensor.zeros(batch, spec.hidden());
        Tensor m = Tensor.zeros(batch, mem * d);
        Tensor counts = Tensor.zeros(batch, spec.classes());
        List<float[][]> trace = new ArrayList<>();
        float[] xd = x.data();
        boolean single = spec.encoder() == Encoder.SINGLE;
        Tensor uWeights = single ? Elementwise.stackRows(tape, em, ex, eh) : Elementwise.stackRows(tape, em, eh);
        Tensor hWeights = single ? Elementwise.stackRows(tape, wx, wh, wm) : Elementwise.stackRows(tape, wh, wm);
        for (int t = 0; t < steps; t++) {
            float[] xt = new float[batch * in];
            System.arraycopy(xd, t * batch * in, xt, 0, batch * in);
            Tensor xin;
            if (spec.encoder() == Encoder.SINGLE) {
                Tensor[] parts = new Tensor[in];
                for (int c = 0; c < in; c++) {
                    float[] col = new float[batch];
                    for (int b = 0; b < batch; b++) {
                        col[b] = xt[b * in + c];
                    }
                    Tensor cur = Linear.apply(tape, Tensor.of(col, batch, 1), encW[c], encB[c]);
                    parts[c] = ann ? cur : step(tape, cur, se[c], spec.enc());
                }
                xin = Elementwise.concatLast(tape, parts);
            } else {
                xin = Tensor.of(xt, batch, in);
            }
            // Sums in one ascending order over the concatenated spike inputs (a raw input's product added last),
            // the order in which the exported network's synapses deliver (L2muExport): u reads m, [enc,] h
            Tensor iu = single ? Linear.matmul(tape, Elementwise.concatLast(tape, m, xin, h), uWeights)
                    : Elementwise.add(tape, Linear.matmul(tape, Elementwise.concatLast(tape, m, h), uWeights),
                    Linear.matmul(tape, xin, ex));
            Tensor u = ann ? iu : step(tape, iu, su, spec.u());
            Tensor mPrev = Elementwise.reshape(tape, m, batch * mem, d);
            Tensor uCol = Elementwise.reshape(tape, u, batch * mem, 1);
            Tensor im = Elementwise.reshape(tape, Elementwise.add(tape, Linear.matmul(tape, mPrev, memM),
                    Linear.matmul(tape, uCol, memB)), batch, mem * d);
            m = ann ? im : step(tape, im, sm, spec.m());
            // h reads [enc,] h_{t-1}, m_t
            Tensor ih = single ? Linear.matmul(tape, Elementwise.concatLast(tape, xin, h, m), hWeights)
                    : Elementwise.add(tape, Linear.matmul(tape, Elementwise.concatLast(tape, h, m), hWeights),
                    Linear.matmul(tape, xin, wx));
            h = ann ? Elementwise.tanh(tape, ih) : step(tape, ih, sh, spec.h());
            Tensor o = null;
            if (!ann) {
                o = step(tape, Linear.apply(tape, h, wo, bo), so, spec.out());
                counts = Elementwise.add(tape, counts, o);
            } else if (t == steps - 1) {
                counts = Linear.apply(tape, h, wo, bo);
            }
            if (keepTrace) {
                trace.add(new float[][] {u.data().clone(), m.data().clone(), h.data().clone(),
                    o == null ? new float[0] : o.data().clone(), single ? xin.data().clone() : new float[0]});
            }
        }
        return new Forward(counts, trace);
    }

    /** A one-line description. */
    public String describe() {
        return String.format(Locale.ROOT, "L2MU(%s, encoder %s, order %d, theta %s, hidden %d, memory %d, %,d"
                        + " parameters)", spec.neuron().name().toLowerCase(Locale.ROOT),
                spec.encoder().name().toLowerCase(Locale.ROOT), spec.order(), spec.theta(), spec.hidden(), spec.memory(),
                parameterCount());
    }
}

package org.myelin.backend.cpu.spikedriven;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.myelin.core.MyelinException;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.core.spikedriven.SpikeProgram.Add;
import org.myelin.core.spikedriven.SpikeProgram.Attention;
import org.myelin.core.spikedriven.SpikeProgram.Conv;
import org.myelin.core.spikedriven.SpikeProgram.Dense;
import org.myelin.core.spikedriven.SpikeProgram.Fire;
import org.myelin.core.spikedriven.SpikeProgram.Gate;
import org.myelin.core.spikedriven.SpikeProgram.Node;
import org.myelin.core.spikedriven.SpikeProgram.Pool;
import org.myelin.core.spikedriven.SpikeProgram.TokenCount;

/**
 * Runs a {@link SpikeProgram} sample by sample, event-driven: every layer fed by spikes walks the list of
 * firing neurons (in row-major order) and adds the weights they select into its outputs, so after the
 * first layer the only arithmetic is addition. Each output's terms are added in the order the program
 * prescribes, so the values equal those of the graph the program was exported from, bit for bit.
 *
 * <p>The attention's 1/8 scale of the graph it was exported from is carried by its neurons' threshold (exact, as
 * the scale is a power of two), so the program's attention outputs are raw coincidence counts.
 *
 * <p>Counters per node and sample: {@code macs} (multiply-accumulates: the first layer's pixels times weights,
 * computed once as the input is static), {@code acs} (accumulates selected by spikes: weight additions of
 * convolutions and dense layers, attention count increments), {@code adds} (bias, shortcut and pooling
 * additions) and {@code spikes}; there is no other arithmetic. Neuron updates (one add and
 * one halving, a shift, per neuron and step) are not counted as synaptic operations.
 */
public final class SpikeDrivenEngine {
    private final SpikeProgram program;
    private final List<Node> nodes;

    /** The counters and class scores of one sample. */
    public record Result(float[] scores, long[] spikes, long[] macs, long[] acs, long[] adds) {
        /** The class with the highest summed score (the lowest index on ties). */
        public int prediction() {
            int best = 0;
            for (int j = 1; j < scores.length; j++) {
                if (scores[j] > scores[best]) {
                    best = j;
                }
            }
            return best;
        }

        private static long sum(long[] a) {
            long s = 0;
            for (long x : a) {
                s += x;
            }
            return s;
        }

        public long totalMacs() {
            return sum(macs);
        }

        public long totalAcs() {
            return sum(acs);
        }

    }

    public SpikeDrivenEngine(SpikeProgram program) {
        this.program = program;
        this.nodes = program.nodes();
    }

    public SpikeProgram program() {
        return program;
    }

    /** Runs every sample on {@code threads} threads; results in sample order, the same for any thread count. */
    public List<Result> runAll(float[][] inputs, int threads) {
        if (threads < 1) {
            throw new MyelinException("spike-driven engine: threads must be >= 1, was " + threads);
        }
        if (threads == 1 || inputs.length < 2) {
            List<Result> out = new ArrayList<>();
            for (float[] x : inputs) {
                out.add(run(x));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "myelin-spike-driven");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (float[] x : inputs) {
                futures.add(pool.submit(() -> run(x)));
            }
            List<Result> out = new ArrayList<>();
            for (Future<Result> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException("spike-driven engine: interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new MyelinException("spike-driven engine: " + c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs one sample (the input map, channels x height x width, row-major) for the program's steps. */
    public Result run(float[] input) {
        return run(input, null);
    }

    /**
     * Every node's values at every step of one sample, [step][node][value] (attention nodes hold raw counts,
     * the rest as the program defines them).
     */
    public float[][][] trace(float[] input) {
        float[][][] values = new float[program.steps()][nodes.size()][];
        run(input, values);
        return values;
    }

    private Result run(float[] input, float[][][] trace) {
        int n = nodes.size();
        if (input.length != program.size(0)) {
            throw new MyelinException("spike-driven engine: the input must hold " + program.size(0) + " values, had "
                    + input.length);
        }
        float[][] value = new float[n][];
        float[][] membrane = new float[n][];
        int[][] active = new int[n][];
        int[] activeCount = new int[n];
        for (int i = 0; i < n; i++) {
            value[i] = new float[program.size(i)];
            if (nodes.get(i) instanceof Fire || nodes.get(i) instanceof Gate) {
                active[i] = new int[program.size(i)];
            }
            if (nodes.get(i) instanceof Fire) {
                membrane[i] = new float[program.size(i)];
            }
        }
        value[0] = input;
        long[] spikes = new long[n];
        long[] macs = new long[n];
        long[] acs = new long[n];
        long[] adds = new long[n];
        int classes = program.classes();
        float[] scores = new float[classes];
        boolean[] computed = new boolean[n];
        for (int t = 0; t < program.steps(); t++) {
            for (int i = 1; i < n; i++) {
                Node node = nodes.get(i);
                float[] y = value[i];
                if (node instanceof Conv c) {
                    if (c.input() == 0) {
                        if (!computed[i]) {
                            macs[i] += program.firstLayer(i, input, y);
                            adds[i] += y.length;
                            computed[i] = true;
                        }
                    } else {
                        acs[i] += program.convolve(i, active[c.input()], activeCount[c.input()], null, y);
                        adds[i] += y.length;
                    }
                } else if (node instanceof Fire f) {
                    float[] x = value[f.input()];
                    float[] v = membrane[i];
                    float th = f.threshold();
                    int count = 0;
                    int[] act = active[i];
                    for (int k = 0; k < y.length; k++) {
                        float hv = v[k] + (x[k] - (v[k] - 0f)) * 0.5f;
                        float r = hv - th >= 0f ? 1f : 0f;
                        y[k] = r;
                        act[count] = k;
                        count += (int) r;
                        v[k] = hv * (1f - r) + 0f * r;
                    }
                    activeCount[i] = count;
                    spikes[i] += count;
                } else if (node instanceof Add a) {
                    float[] p = value[a.a()];
                    float[] q = value[a.b()];
                    for (int k = 0; k < y.length; k++) {
                        y[k] = p[k] + q[k];
                    }
                    adds[i] += y.length;
                } else if (node instanceof Attention a) {
                    acs[i] += attend(a, value, program.shape(i), y);
                } else if (node instanceof TokenCount tc) {
                    int[] s = program.shape(tc.k());
                    int tokens = s[1] * s[2];
                    float[] kv = value[tc.k()];
                    float[] vv = value[tc.v()];
                    for (int c = 0; c < s[0]; c++) {
                        int cnt = 0;
                        for (int q = 0; q < tokens; q++) {
                            cnt += kv[c * tokens + q] != 0f && vv[c * tokens + q] != 0f ? 1 : 0;
                        }
                        y[c] = cnt;
                        acs[i] += cnt;
                    }
                } else if (node instanceof Gate g) {
                    int[] s = program.shape(g.q());
                    int tokens = s[1] * s[2];
                    float[] q = value[g.q()];
                    float[] m = value[g.mask()];
                    int count = 0;
                    int[] act = active[i];
                    for (int k = 0; k < y.length; k++) {
                        float r = q[k] != 0f && m[k / tokens] != 0f ? 1f : 0f;
                        y[k] = r;
                        act[count] = k;
                        count += (int) r;
                    }
                    activeCount[i] = count;
                } else if (node instanceof Pool p) {
                    int[] s = program.shape(p.input());
                    int positions = s[1] * s[2];
                    float[] x = value[p.input()];
                    for (int c = 0; c < s[0]; c++) {
                        float sum = 0f;
                        for (int q = 0; q < positions; q++) {
                            sum += x[c * positions + q];
                        }
                        y[c] = sum;
                    }
                    adds[i] += (long) s[0] * positions;
                } else if (node instanceof Dense d) {
                    System.arraycopy(d.bias(), 0, y, 0, d.out());
                    int[] act = active[d.input()];
                    int cnt = activeCount[d.input()];
                    float[] w = d.weights();
                    for (int a = 0; a < cnt; a++) {
                        int row = act[a] * d.out();
                        for (int j = 0; j < d.out(); j++) {
                            y[j] += w[row + j];
                        }
                    }
                    acs[i] += (long) cnt * d.out();
                    adds[i] += d.out();
                }
            }
            if (trace != null) {
                for (int i = 0; i < n; i++) {
                    trace[t][i] = value[i].clone();
                }
            }
            float[] out = value[n - 1];
            for (int j = 0; j < classes; j++) {
                scores[j] += out[j];
            }
        }
        return new Result(scores, spikes, macs, acs, adds);
    }

    /** Spike-driven linear attention: coincidence counts per head, then sums of counts selected by queries. */
    private static long attend(Attention a, float[][] value, int[] shape, float[] y) {
        float[] q = value[a.q()];
        float[] kv = value[a.k()];
        float[] vv = value[a.v()];
        int c = shape[0];
        int tokens = shape[1] * shape[2];
        int d = c / a.heads();
        int[] counts = new int[d * d];
        int[] keys = new int[d];
        int[] vals = new int[d];
        Arrays.fill(y, 0f);
        long ops = 0;
        for (int h = 0; h < a.heads(); h++) {
            Arrays.fill(counts, 0);
            int base = h * d * tokens;
            for (int t = 0; t < tokens; t++) {
                int nk = 0;
                int nv = 0;
                for (int i = 0; i < d; i++) {
                    if (kv[base + i * tokens + t] != 0f) {
                        keys[nk++] = i;
                    }
                    if (vv[base + i * tokens + t] != 0f) {
                        vals[nv++] = i;
                    }
                }
                for (int x = 0; x < nk; x++) {
                    for (int z = 0; z < nv; z++) {
                        counts[keys[x] * d + vals[z]]++;
                    }
                }
                ops += (long) nk * nv;
            }
            for (int i = 0; i < d; i++) {
                for (int t = 0; t < tokens; t++) {
                    if (q[base + i * tokens + t] == 0f) {
                        continue;
                    }
                    for (int j = 0; j < d; j++) {
                        y[base + j * tokens + t] += counts[i * d + j];
                    }
                    ops += d;
                }
            }
        }
        return ops;
    }
}

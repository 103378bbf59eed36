package org.myelin.nir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.myelin.core.MyelinException;

/**
 * The linear nodes of a NIR graph (Affine, Linear, Scale, Conv1d, Conv2d, SumPool2d, AvgPool2d, Flatten, Delay) as
 * steps of a {@link SparseMap}: each node composes its rows onto the map that arrives on its edge, so a chain of them
 * between two neuron nodes becomes one set of explicit synapses.
 */
final class NirLinearNodes {
    private NirLinearNodes() {
    }

    /** The node types this class maps. */
    static final Set<String> TYPES = Set.of("Affine", "Linear", "Scale", "Conv1d", "Conv2d", "SumPool2d", "AvgPool2d",
            "Flatten", "Delay");

    static SparseMap apply(NirNode n, String name, SparseMap in, String edge, NirNetwork.Options o) {
        String owner = "NIR node '" + name + "' (" + n.type() + ")";
        int rows = in.rows();
        switch (n.type()) {
            case "Affine", "Linear": {
                NirArray w = n.field("weight");
                int outN = w.shape()[0];
                int inN = w.shape()[1];
                mismatch(edge, rows, inN, name);
                double[] bias = n.type().equals("Affine") ? n.field("bias").values() : null;
                int[] idx = new int[inN];
                for (int k = 0; k < inN; k++) {
                    idx[k] = k;
                }
                double[] wv = w.values();
                return in.then(new SparseMap.Rows() {
                    public int rows() {
                        return outN;
                    }

                    public int[] inputs(int r) {
                        return idx;
                    }

                    public double[] coefficients(int r) {
                        return Arrays.copyOfRange(wv, r * inN, (r + 1) * inN);
                    }

                    public double bias(int r) {
                        return bias == null ? 0 : bias.length == 1 ? bias[0] : bias[r];
                    }
                }, new int[] {outN});
            }
            case "Scale": {
                double[] s = n.field("scale").values();
                if (s.length != 1 && s.length != rows) {
                    throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + rows
                            + " values arrive, " + owner + " field 'scale' has " + s.length);
                }
                return in.then(elementwise(rows, r -> s.length == 1 ? s[0] : s[r]), in.shape);
            }
            case "Delay": {
                double[] d = n.field("delay").values();
                if (d.length != 1 && d.length != rows) {
                    throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + rows
                            + " values arrive, " + owner + " field 'delay' has " + d.length);
                }
                int[] steps = new int[rows];
                for (int r = 0; r < rows; r++) {
                    double sec = d.length == 1 ? d[0] : d[r];
                    if (!(sec >= 0)) {
                        throw new MyelinException(owner + ": field 'delay' must be >= 0 s, has " + sec);
                    }
                    steps[r] = (int) Math.round(sec * 1000 / o.dtMs());
                }
                return in.delayed(steps);
            }
            case "Flatten": {
                int[] s = in.shape;
                int start = (int) n.field("start_dim").scalar();
                int end = (int) n.field("end_dim").scalar();
                int rank = s.length;
                int a = start < 0 ? start + rank : start;
                int z = end < 0 ? end + rank : end;
                if (a < 0 || z >= rank || a > z) {
                    // NIR writers count a batch dimension in some files; flattening everything is what they mean
                    return in.withShape(new int[] {rows});
                }
                List<Integer> ns = new ArrayList<>();
                for (int k = 0; k < a; k++) {
                    ns.add(s[k]);
                }
                int p = 1;
                for (int k = a; k <= z; k++) {
                    p *= s[k];
                }
                ns.add(p);
                for (int k = z + 1; k < rank; k++) {
                    ns.add(s[k]);
                }
                return in.withShape(ns.stream().mapToInt(Integer::intValue).toArray());
            }
            case "Conv2d":
                return conv2d(n, owner, in, edge, name);
            case "Conv1d":
                return conv1d(n, owner, in, edge, name);
            case "SumPool2d", "AvgPool2d":
                return pool2d(n, owner, in, edge, name);
            default:
                throw new MyelinException("NIR import: " + owner + " is not a linear node");
        }
    }

    private static SparseMap.Rows elementwise(int rows, java.util.function.IntToDoubleFunction coef) {
        return new SparseMap.Rows() {
            public int rows() {
                return rows;
            }

            public int[] inputs(int r) {
                return new int[] {r};
            }

            public double[] coefficients(int r) {
                return new double[] {coef.applyAsDouble(r)};
            }

            public double bias(int r) {
                return 0;
            }
        };
    }

    private static void mismatch(String edge, int arriving, int takes, String node) {
        if (arriving != takes) {
            throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + arriving
                    + " values arrive, node '" + node + "' takes " + takes);
        }
    }

    private static int[] ints(NirNode n, String field, int rank) {
        double[] v = n.field(field).values();
        int[] r = new int[rank];
        for (int k = 0; k < rank; k++) {
            r[k] = (int) (v.length == 1 ? v[0] : v[k]);
        }
        return r;
    }

    /** (C, H, W) of a conv or pool input: the arriving shape, or C from the weights and (H, W) from input_shape. */
    private static int[] chw(NirNode n, SparseMap in, int channels, String owner, String edge) {
        int[] s = in.shape;
        if (s.length == 3) {
            return s;
        }
        NirArray is = n.fields().get("input_shape");
        if (is != null && is.size() >= 2 && channels > 0) {
            int h = (int) is.values()[is.size() - 2];
            int w = (int) is.values()[is.size() - 1];
            if ((long) channels * h * w == in.rows()) {
                return new int[] {channels, h, w};
            }
        }
        throw new MyelinException("NIR import: " + owner + " on edge " + edge + ": cannot tell the (channels, height,"
                + " width) of its " + in.rows() + " inputs (arriving shape " + Arrays.toString(s) + ")");
    }

    private static SparseMap conv2d(NirNode n, String owner, SparseMap in, String edge, String name) {
        NirArray w = n.field("weight");
        if (w.shape().length != 4) {
            throw new MyelinException(owner + ": field 'weight' must be (out, in/groups, kh, kw), has shape "
                    + Arrays.toString(w.shape()));
        }
        int groups = (int) n.field("groups").scalar();
        int co = w.shape()[0];
        int cig = w.shape()[1];
        int kh = w.shape()[2];
        int kw = w.shape()[3];
        int[] s = chw(n, in, cig * groups, owner, edge);
        if (s[0] != cig * groups) {
            throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + s[0]
                    + " channels arrive, node '" + name + "' takes " + cig * groups);
        }
        int[] st = ints(n, "stride", 2);
        int[] pad = ints(n, "padding", 2);
        int[] dil = ints(n, "dilation", 2);
        int ho = (s[1] + 2 * pad[0] - dil[0] * (kh - 1) - 1) / st[0] + 1;
        int wo = (s[2] + 2 * pad[1] - dil[1] * (kw - 1) - 1) / st[1] + 1;
        double[] wv = w.values();
        double[] bias = n.field("bias").values();
        int cog = co / groups;
        int h = s[1];
        int wd = s[2];
        return in.then(new SparseMap.Rows() {
            public int rows() {
                return co * ho * wo;
            }

            private int[] idx;
            private double[] coef;

            private void fill(int r) {
                int o = r / (ho * wo);
                int y = (r / wo) % ho;
                int x = r % wo;
                int g = o / cog;
                List<Integer> ii = new ArrayList<>();
                List<Double> cc = new ArrayList<>();
                for (int c = 0; c < cig; c++) {
                    for (int a = 0; a < kh; a++) {
                        int iy = y * st[0] - pad[0] + a * dil[0];
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int bb = 0; bb < kw; bb++) {
                            int ix = x * st[1] - pad[1] + bb * dil[1];
                            if (ix < 0 || ix >= wd) {
                                continue;
                            }
                            ii.add(((g * cig + c) * h + iy) * wd + ix);
                            cc.add(wv[((o * cig + c) * kh + a) * kw + bb]);
                        }
                    }
                }
                idx = ii.stream().mapToInt(Integer::intValue).toArray();
                coef = cc.stream().mapToDouble(Double::doubleValue).toArray();
            }

            public int[] inputs(int r) {
                fill(r);
                return idx;
            }

            public double[] coefficients(int r) {
                return coef;
            }

            public double bias(int r) {
                return bias.length == 1 ? bias[0] : bias[r / (ho * wo)];
            }
        }, new int[] {co, ho, wo});
    }

    private static SparseMap conv1d(NirNode n, String owner, SparseMap in, String edge, String name) {
        NirArray w = n.field("weight");
        if (w.shape().length != 3) {
            throw new MyelinException(owner + ": field 'weight' must be (out, in/groups, k), has shape "
                    + Arrays.toString(w.shape()));
        }
        int groups = (int) n.field("groups").scalar();
        int co = w.shape()[0];
        int cig = w.shape()[1];
        int k = w.shape()[2];
        int ci = cig * groups;
        int len;
        if (in.shape.length == 2) {
            len = in.shape[1];
        } else if (in.rows() % ci == 0) {
            len = in.rows() / ci;
        } else {
            throw new MyelinException("NIR import: shape mismatch on edge " + edge + ": " + in.rows()
                    + " values arrive, node '" + name + "' takes a multiple of " + ci + " channels");
        }
        int st = ints(n, "stride", 1)[0];
        int pad = ints(n, "padding", 1)[0];
        int dil = ints(n, "dilation", 1)[0];
        int lo = (len + 2 * pad - dil * (k - 1) - 1) / st + 1;
        double[] wv = w.values();
        double[] bias = n.field("bias").values();
        int cog = co / groups;
        return in.then(new SparseMap.Rows() {
            private int[] idx;
            private double[] coef;

            public int rows() {
                return co * lo;
            }

            public int[] inputs(int r) {
                int o = r / lo;
                int x = r % lo;
                int g = o / cog;
                List<Integer> ii = new ArrayList<>();
                List<Double> cc = new ArrayList<>();
                for (int c = 0; c < cig; c++) {
                    for (int a = 0; a < k; a++) {
                        int ix = x * st - pad + a * dil;
                        if (ix >= 0 && ix < len) {
                            ii.add((g * cig + c) * len + ix);
                            cc.add(wv[(o * cig + c) * k + a]);
                        }
                    }
                }
                idx = ii.stream().mapToInt(Integer::intValue).toArray();
                coef = cc.stream().mapToDouble(Double::doubleValue).toArray();
                return idx;
            }

            public double[] coefficients(int r) {
                return coef;
            }

            public double bias(int r) {
                return bias.length == 1 ? bias[0] : bias[r / lo];
            }
        }, new int[] {co, lo});
    }

    private static SparseMap pool2d(NirNode n, String owner, SparseMap in, String edge, String name) {
        int[] s = chw(n, in, in.shape.length == 3 ? in.shape[0] : -1, owner, edge);
        int[] k = ints(n, "kernel_size", 2);
        int[] st = ints(n, "stride", 2);
        int[] pad = ints(n, "padding", 2);
        int c = s[0];
        int h = s[1];
        int w = s[2];
        int ho = (h + 2 * pad[0] - k[0]) / st[0] + 1;
        int wo = (w + 2 * pad[1] - k[1]) / st[1] + 1;
        double unit = n.type().equals("AvgPool2d") ? 1.0 / (k[0] * k[1]) : 1.0;
        return in.then(new SparseMap.Rows() {
            private int[] idx;

            public int rows() {
                return c * ho * wo;
            }

            public int[] inputs(int r) {
                int ch = r / (ho * wo);
                int y = (r / wo) % ho;
                int x = r % wo;
                List<Integer> ii = new ArrayList<>();
                for (int a = 0; a < k[0]; a++) {
                    for (int b = 0; b < k[1]; b++) {
                        int iy = y * st[0] - pad[0] + a;
                        int ix = x * st[1] - pad[1] + b;
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                            ii.add((ch * h + iy) * w + ix);
                        }
                    }
                }
                idx = ii.stream().mapToInt(Integer::intValue).toArray();
                return idx;
            }

            public double[] coefficients(int r) {
                double[] cc = new double[idx.length];
                Arrays.fill(cc, unit);
                return cc;
            }

            public double bias(int r) {
                return 0;
            }
        }, new int[] {c, ho, wo});
    }
}

package org.myelin.learning.sdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.myelin.core.MyelinException;

/**
 * The architecture of a {@link MetaSpikeFormer} as data, so that it can be written beside its weights and rebuilt.
 *
 * <p>The network is a list of stages. Every stage starts with a downsampling layer (a k x k convolution with
 * stride and bias, then batch norm; every downsampling but the first takes spikes) and holds {@code blocks}
 * blocks of one kind: {@code c} for MS_ConvBlock (SepConv then two 3x3 convolutions), {@code a} for MS_Block
 * (spike-driven self-attention then a 1x1 MLP). The head averages the last feature map over space, fires, and
 * a linear layer's scores are averaged over the {@code steps} time steps (the static image is repeated).
 *
 * @param channels  input channels
 * @param size      input height = width
 * @param classes   output classes
 * @param steps     time steps T
 * @param stages    the stages, first to last
 * @param heads     attention heads (every attention stage's width must split into them)
 * @param mlpRatio  hidden width of MLPs and conv blocks, as a multiple of the stage width
 * @param attention {@code sdsa3} (V2: per head Q (K^T V), scaled 1/8, fired at threshold 0.5) or
 *                  {@code sdsa1} (V1: Q masked by the fired token sums of K*V)
 * @param repConv   Q, K, V and the projection as RepConv + BN (V2) or as 1x1 convolution + BN (V1)
 * @param seed      fixes the initial weights
 */
public record SdtSpec(int channels, int size, int classes, int steps, List<Stage> stages, int heads, int mlpRatio,
                      String attention, boolean repConv, long seed) {

    /** One stage: its width, block kind ('c' conv, 'a' attention), block count and downsampling. */
    public record Stage(int dim, char kind, int blocks, int kernel, int stride) {
        public Stage {
            if (dim < 1 || blocks < 0 || kernel < 1 || stride < 1 || (kind != 'c' && kind != 'a')) {
                throw new MyelinException("sdt stage: needs width >= 1, kind c or a, blocks >= 0, kernel and stride"
                        + " >= 1; was " + dim + kind + blocks + " k" + kernel + " s" + stride);
            }
        }

        String text() {
            return dim + "" + kind + blocks + "k" + kernel + "s" + stride;
        }

        static Stage parse(String t) {
            var m = java.util.regex.Pattern.compile("(\\d+)([ca])(\\d+)(?:k(\\d+)s(\\d+))?").matcher(t.trim());
            if (!m.matches()) {
                throw new MyelinException("sdt stage: '" + t + "' is not WIDTH{c|a}BLOCKS[kKERNELsSTRIDE], e.g. 32c1k3s2");
            }
            int k = m.group(4) == null ? 3 : Integer.parseInt(m.group(4));
            int s = m.group(5) == null ? 2 : Integer.parseInt(m.group(5));
            return new Stage(Integer.parseInt(m.group(1)), m.group(2).charAt(0), Integer.parseInt(m.group(3)), k, s);
        }
    }

    public SdtSpec {
        stages = List.copyOf(stages);
        if (channels < 1 || size < 1 || classes < 2 || steps < 1 || stages.isEmpty() || heads < 1 || mlpRatio < 1) {
            throw new MyelinException("sdt: needs channels, size, steps, heads, mlp ratio >= 1, classes >= 2 and a"
                    + " stage");
        }
        if (!attention.equals("sdsa3") && !attention.equals("sdsa1")) {
            throw new MyelinException("sdt: attention must be sdsa3 or sdsa1, was '" + attention + "'");
        }
        int s = size;
        for (Stage st : stages) {
            if (st.kind() == 'a' && st.blocks() > 0 && st.dim() % heads != 0) {
                throw new MyelinException("sdt: attention stage width " + st.dim() + " does not split into " + heads
                        + " heads");
            }
            s = (s + 2 * (st.kernel() / 2) - st.kernel()) / st.stride() + 1;
            if (s < 1) {
                throw new MyelinException("sdt: the stages shrink a " + size + "x" + size + " input to nothing");
            }
        }
    }

    /** The small configuration for 28x28 images: 16c1 (k7 s2), 32c1, 64a2; 4 heads; T = 4; SDSA-3 with RepConv. */
    public static SdtSpec small(int classes) {
        return new SdtSpec(1, 28, classes, 4, List.of(new Stage(16, 'c', 1, 7, 2), new Stage(32, 'c', 1, 3, 2),
                new Stage(64, 'a', 2, 3, 2)), 4, 4, "sdsa3", true, 1);
    }

    /**
     * The published ImageNet layout of the reference code with widths [c0, c1, c2, c3]: 3x224x224 input, 1000
     * classes, 8 heads, ratio 4; stages c0/2 (one conv block, 7x7 stride 2), c0 (one), c1 (two), c2 (six
     * transformer blocks), c3 (two, stride-1 downsampling). Widths [64,128,256,360], [96,192,384,480] and
     * [128,256,512,640] are the paper's 15.1M, 31.3M and 55.4M models.
     */
    public static SdtSpec imagenet(int c0, int c1, int c2, int c3, int steps) {
        return new SdtSpec(3, 224, 1000, steps, List.of(new Stage(c0 / 2, 'c', 1, 7, 2), new Stage(c0, 'c', 1, 3, 2),
                new Stage(c1, 'c', 2, 3, 2), new Stage(c2, 'a', 6, 3, 2), new Stage(c3, 'a', 2, 3, 1)), 8, 4, "sdsa3",
                true, 1);
    }

    /** Padding of a stage's downsampling convolution (kernel / 2). */
    public static int padding(Stage st) {
        return st.kernel() / 2;
    }

    /** This spec with other time steps. */
    public SdtSpec withSteps(int t) {
        return new SdtSpec(channels, size, classes, t, stages, heads, mlpRatio, attention, repConv, seed);
    }

    /** This spec with another attention ({@code sdsa3} or {@code sdsa1}) and RepConv choice. */
    public SdtSpec withAttention(String kind, boolean rep) {
        return new SdtSpec(channels, size, classes, steps, stages, heads, mlpRatio, kind, rep, seed);
    }

    /** This spec with every conv stage turned into an attention stage of the same width and depth. */
    public SdtSpec transformerOnly() {
        List<Stage> s = new ArrayList<>();
        for (Stage st : stages) {
            s.add(new Stage(st.dim(), 'a', st.blocks(), st.kernel(), st.stride()));
        }
        return new SdtSpec(channels, size, classes, steps, s, heads, mlpRatio, attention, repConv, seed);
    }

    public SdtSpec withSeed(long s) {
        return new SdtSpec(channels, size, classes, steps, stages, heads, mlpRatio, attention, repConv, s);
    }

    /** One line of {@code key=value} pairs, starting {@code model=sdt}; {@link #parse} reads it back. */
    public String toText() {
        StringBuilder st = new StringBuilder();
        for (Stage s : stages) {
            st.append(st.length() == 0 ? "" : ",").append(s.text());
        }
        return String.format(Locale.ROOT, "model=sdt channels=%d size=%d classes=%d steps=%d stages=%s heads=%d"
                + " mlp=%d attention=%s repconv=%b seed=%d", channels, size, classes, steps, st, heads, mlpRatio,
                attention, repConv, seed);
    }

    public static SdtSpec parse(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : text.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw new MyelinException("sdt spec: '" + part + "' is not key=value");
            }
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        if (!"sdt".equals(kv.get("model"))) {
            throw new MyelinException("sdt spec: expected model=sdt, was " + kv.get("model"));
        }
        try {
            List<Stage> stages = new ArrayList<>();
            for (String s : req(kv, "stages").split(",")) {
                stages.add(Stage.parse(s));
            }
            return new SdtSpec(Integer.parseInt(req(kv, "channels")), Integer.parseInt(req(kv, "size")),
                    Integer.parseInt(req(kv, "classes")), Integer.parseInt(req(kv, "steps")), stages,
                    Integer.parseInt(req(kv, "heads")), Integer.parseInt(req(kv, "mlp")), req(kv, "attention"),
                    Boolean.parseBoolean(req(kv, "repconv")), Long.parseLong(req(kv, "seed")));
        } catch (NumberFormatException e) {
            throw new MyelinException("sdt spec: bad number in '" + text + "': " + e.getMessage());
        }
    }

    /** Parses a comma-separated stage list such as {@code 16c1k7s2,32c1,64a2}. */
    public static List<Stage> parseStages(String text) {
        List<Stage> out = new ArrayList<>();
        for (String s : text.split(",")) {
            out.add(Stage.parse(s));
        }
        return out;
    }

    private static String req(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw new MyelinException("sdt spec: '" + key + "' is missing");
        }
        return v;
    }
}

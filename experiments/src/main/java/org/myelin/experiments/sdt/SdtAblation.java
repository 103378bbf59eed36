package org.myelin.experiments.sdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.myelin.core.MyelinException;
import org.myelin.learning.sdt.SdtSpec;
import org.myelin.learning.train.LabelledData;

/**
 * Ablations in the spirit of Spike-driven Transformer V2's table, each variant trained on the same data, epochs and
 * seed: {@code v2} (SDSA-3 with RepConv, conv stages then transformer stages), {@code sdsa1} (V1's attention),
 * {@code no-repconv} (1x1 Q, K, V and projection), {@code transformer-only} (every stage a transformer stage).
 */
public final class SdtAblation {
    /** Every variant, in the table's order. */
    public static final List<String> VARIANTS = List.of("v2", "sdsa1", "no-repconv", "transformer-only");

    private SdtAblation() {
    }

    /** The architecture of variant {@code name} made from {@code base}. */
    public static SdtSpec variant(String name, SdtSpec base) {
        return switch (name) {
            case "v2" -> base.withAttention("sdsa3", true);
            case "sdsa1" -> base.withAttention("sdsa1", true);
            case "no-repconv" -> base.withAttention("sdsa3", false);
            case "transformer-only" -> base.withAttention("sdsa3", true).transformerOnly();
            default -> throw new MyelinException("sdt-ablation: unknown variant '" + name
                    + "' (v2, sdsa1, no-repconv, transformer-only)");
        };
    }

    /** The architectures of {@code variants}, in order, for the images and classes of {@code data}. */
    public static Map<String, SdtSpec> specs(SdtConfig c, List<String> variants, LabelledData[] data) {
        int classes = Math.max(data[0].classes(), data[1].classes());
        SdtSpec base = c.spec(classes, SdtConfig.size(data[0]));
        Map<String, SdtSpec> specs = new LinkedHashMap<>();
        for (String v : variants) {
            specs.put(v, variant(v.trim(), base));
        }
        return specs;
    }

    /**
     * Trains, checks and costs every variant of {@code variants} in order on {@code data} (training and test set);
     * progress lines go to {@code progress} and each report to {@code done} as soon as it is made.
     */
    public static List<SdtReport> run(SdtConfig c, List<String> variants, LabelledData[] data,
                                      Consumer<String> progress, Consumer<SdtReport> done) {
        return run(c, specs(c, variants, data), data, progress, done);
    }

    /** As above for the architectures {@link #specs} made. */
    public static List<SdtReport> run(SdtConfig c, Map<String, SdtSpec> specs, LabelledData[] data,
                                      Consumer<String> progress, Consumer<SdtReport> done) {
        List<SdtReport> reports = new ArrayList<>();
        for (var e : specs.entrySet()) {
            SdtReport r = SdtExperiment.run(e.getKey(), e.getValue(), c, data[0], data[1], progress, null);
            reports.add(r);
            done.accept(r);
        }
        return reports;
    }
}

package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.learning.sdt.SdtSpec;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.train.LabelledData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin experiment sdt-ablation}: the V2 paper's ablations on one training budget. */
@Command(name = "sdt-ablation", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ablations in the spirit of Spike-driven Transformer V2's table, each variant trained on the same",
            "data, epochs and seed as `myelin train sdt` takes them: v2 (SDSA-3 with RepConv, conv stages then",
            "transformer stages), sdsa1 (V1's attention), no-repconv (1x1 Q, K, V and projection), transformer-only",
            "(every stage a transformer stage). Prints a table of accuracy, parameters, firing rate, operations and",
            "energy per variant; --json writes one JSON line per variant."})
final class SdtAblation implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    TrainSdt.Options options;
    @Option(names = "--variants", defaultValue = "v2,sdsa1,no-repconv,transformer-only", split = ",",
            description = "which variants, in order (default: ${DEFAULT-VALUE})")
    List<String> variants;
    @Option(names = "--json", paramLabel = "FILE", description = "write one JSON line per variant to FILE")
    Path json;

    static SdtSpec variant(String name, SdtSpec base) {
        return switch (name) {
            case "v2" -> base.withAttention("sdsa3", true);
            case "sdsa1" -> base.withAttention("sdsa1", true);
            case "no-repconv" -> base.withAttention("sdsa3", false);
            case "transformer-only" -> base.withAttention("sdsa3", true).transformerOnly();
            default -> throw new MyelinException("sdt-ablation: unknown variant '" + name
                    + "' (v2, sdsa1, no-repconv, transformer-only)");
        };
    }

    @Override
    public Integer call() throws IOException {
        if (options.threads > 0) {
            Parallel.setThreads(options.threads);
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<String, SdtSpec> specs = new LinkedHashMap<>();
        LabelledData[] d = options.load();
        int classes = Math.max(d[0].classes(), d[1].classes());
        SdtSpec base = options.spec(classes, TrainSdt.Options.size(d[0]));
        for (String v : variants) {
            specs.put(v, variant(v.trim(), base));
        }
        out.printf(Locale.ROOT, "data %s: %d training, %d test images; %d epochs each%n", options.data, d[0].size(),
                d[1].size(), options.epochs);
        List<TrainSdt.Report> reports = new ArrayList<>();
        int status = 0;
        for (var e : specs.entrySet()) {
            TrainSdt.Report r = TrainSdt.run(e.getKey(), e.getValue(), options, d[0], d[1], out, null);
            reports.add(r);
            if (json != null) {
                Files.writeString(json, r.json() + "\n", reports.size() == 1
                        ? new java.nio.file.OpenOption[0]
                        : new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.APPEND});
            }
            if (r.predictionsEqual() != r.checked() || r.spikeMismatches() != 0) {
                status = 1;
            }
        }
        out.println();
        out.println("| variant | parameters | T | test accuracy | mean firing rate | MACs/image | ACs/image |"
                + " energy (uJ) | papers' formula (uJ) | core check |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (TrainSdt.Report r : reports) {
            out.printf(Locale.ROOT, "| %s | %d | %d | %.2f %% | %.4f | %.0f | %.0f | %.3f | %.3f | %d/%d equal |%n",
                    r.name(), r.parameters(), r.spec().steps(), 100 * r.accuracy(), r.meanFiringRate(),
                    r.macsPerImage(), r.acsPerImage(), r.energyMicroJoules(), r.paperEnergyMicroJoules(),
                    r.predictionsEqual(), r.checked());
        }
        if (json != null) {
            out.println("wrote " + json);
        }
        return status;
    }
}

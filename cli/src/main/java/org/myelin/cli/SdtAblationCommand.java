package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.myelin.experiments.sdt.SdtAblation;
import org.myelin.experiments.sdt.SdtConfig;
import org.myelin.experiments.sdt.SdtReport;
import org.myelin.learning.sdt.SdtSpec;
import org.myelin.learning.train.LabelledData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.myelin.core.io.Json;

/** {@code myelin experiment sdt-ablation}: the V2 paper's ablations on one training budget. */
@Command(name = "sdt-ablation", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Ablations of the spike-driven transformer, after Spike-driven Transformer V2's table.",
            "Each variant is trained on the same data, epochs and seed as `myelin train sdt` takes them: v2"
                + " (SDSA-3 with RepConv, conv stages then transformer stages), sdsa1 (V1's attention), no-repconv"
                + " (1x1 Q, K, V and projection), transformer-only (every stage a transformer stage). Prints a table"
                + " of accuracy, parameters, firing rate, operations and energy per variant; --json prints one JSON object"
                + " with every variant (--json-file writes it, again after each variant)."})
final class SdtAblationCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    TrainSdt.Options options;
    @Option(names = "--variants", defaultValue = "v2,sdsa1,no-repconv,transformer-only", split = ",",
            description = "which variants, in order (default: ${DEFAULT-VALUE})")
    List<String> variants;
    @Mixin
    JsonOptions json;

    @Override
    public Integer call() throws IOException {
        options.threadsOption.applyToTraining();
        PrintWriter out = spec.commandLine().getOut();
        SdtConfig c = options.config();
        json.check();
        LabelledData[] d = c.load();
        Map<String, SdtSpec> specs = SdtAblation.specs(c, variants, d);
        out.printf(Locale.ROOT, "data %s: %d training, %d test images; %d epochs each%n", options.data, d[0].size(),
                d[1].size(), options.epochs);
        List<Json> done = new ArrayList<>();
        List<SdtReport> reports = SdtAblation.run(c, specs, d, TrainSdt.lines(out), r -> {
            // the whole file again after each variant: a kill leaves the variants finished so far, whole
            done.add(r.json());
            json.keep(result(done));
        });
        int status = 0;
        for (SdtReport r : reports) {
            status = r.coreAgrees() ? status : 1;
        }
        out.println();
        out.println("| variant | parameters | T | test accuracy | mean firing rate | MACs/image | ACs/image |"
                + " energy (uJ) | papers' formula (uJ) | core check |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (SdtReport r : reports) {
            out.printf(Locale.ROOT, "| %s | %d | %d | %.2f %% | %.4f | %.0f | %.0f | %.3f | %.3f | %d/%d equal |%n",
                    r.name(), r.parameters(), r.spec().steps(), 100 * r.accuracy(), r.meanFiringRate(),
                    r.macsPerImage(), r.acsPerImage(), r.energyMicroJoules(), r.paperEnergyMicroJoules(),
                    r.predictionsEqual(), r.checked());
        }
        if (json.wanted()) {
            json.emit(out, result(done));
        }
        return status;
    }

    /** The ablation as one JSON object: the variants finished so far, in order. */
    private static Json result(List<Json> variants) {
        return Json.object().put("experiment", "sdt-ablation").put("variants", variants);
    }
}

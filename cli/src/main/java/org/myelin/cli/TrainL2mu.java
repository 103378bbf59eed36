package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.io.Json;
import org.myelin.experiments.l2mu.L2muConfig;
import org.myelin.experiments.l2mu.L2muExperiment;
import org.myelin.experiments.l2mu.L2muResult;
import org.myelin.learning.lmu.L2mu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin train l2mu}: the L2MU on smartwatch activity windows. */
@Command(name = "l2mu", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an L2MU (a Legendre Memory Unit of spiking populations) on human activity recognition.",
            "Data: WISDM smartwatch accelerometer + gyroscope (subset 2, seven hand activities, 2 s windows of"
                + " 40 samples at 20 Hz, 6 channels, subjects split 80/20) from --data wisdm:FOLDER, or SYNTHETIC"
                + " data of the same form (--data synthetic-har). Prints per-epoch figures and the test accuracy;"
                + " --json adds one JSON object as the last stdout line."})
final class TrainL2mu implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "synthetic-har",
            description = "synthetic-har or wisdm:FOLDER (raw watch files, accel/ and gyro/) (default: ${DEFAULT-VALUE})")
    String data;
    @Option(names = "--neuron", defaultValue = "lif", description = "lif, cuba or ann (the non-spiking LMU baseline)")
    String neuron;
    @Option(names = "--encoder", defaultValue = "plain", description = "plain (raw values) or single (input module)")
    String encoder;
    @Option(names = "--epochs", defaultValue = "10",
            description = "passes over the training set (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "64",
            description = "samples per training batch (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--lr", defaultValue = "1.45e-3", description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr;
    @Option(names = "--order", defaultValue = "7",
            description = "order of the Legendre memory (its number of state variables) (default: ${DEFAULT-VALUE})")
    int order;
    @Option(names = "--theta", defaultValue = "10",
            description = "length of the window the Legendre memory represents, in steps (default: ${DEFAULT-VALUE})")
    double theta;
    @Option(names = "--hidden", defaultValue = "120",
            description = "neurons of the hidden population h (default: ${DEFAULT-VALUE})")
    int hidden;
    @Option(names = "--memory", defaultValue = "70",
            description = "neurons of the memory population m (default: ${DEFAULT-VALUE})")
    int memory;
    @Option(names = "--alpha", defaultValue = "0.3",
            description = "cuba: synaptic decay of every population (the paper does not list it) (default: ${DEFAULT-VALUE})")
    float alpha;
    @Option(names = "--immediate-reset", description = {"reset neurons in the step they spike (snnTorch's reset_delay=False)",
        "instead of at the next step (snnTorch's default); the core runs both with the training graph's spikes"})
    boolean immediateReset;
    @Option(names = "--core-check", defaultValue = "0", paramLabel = "N", description = {"after training, export the",
        "first N test windows to core networks, run them on the cpu backend and compare every population's spikes",
        "with the training graph's (a spiking neuron, with either reset)"})
    int coreCheck;
    @Option(names = "--core-mode", defaultValue = "CLOCK", paramLabel = "MODE", description = {"the cpu engine the",
        "core check runs in: CLOCK, EVENT_GRID or AUTO (default: ${DEFAULT-VALUE})"})
    org.myelin.core.backend.EngineMode coreMode;
    @Option(names = "--save", paramLabel = "FILE", description = "write the trained model (with its input"
            + " standardisation) to FILE, for myelin edge compress")
    Path save;
    @Option(names = "--stride", defaultValue = "40",
            description = "window stride in samples (default: ${DEFAULT-VALUE})")
    int stride;
    @Option(names = "--subjects", defaultValue = "20",
            description = "synthetic-har: subjects (default: ${DEFAULT-VALUE})")
    int subjects;
    @Option(names = "--seconds", defaultValue = "60",
            description = "synthetic-har: seconds per activity (default: ${DEFAULT-VALUE})")
    int seconds;
    @Option(names = "--train-limit", defaultValue = "2147483647",
            description = "use at most this many training windows, evenly spaced over them (every activity kept)")
    int trainLimit;
    @Option(names = "--test-limit", defaultValue = "2147483647",
            description = "use at most this many test windows, evenly spaced over them")
    int testLimit;
    @picocli.CommandLine.Mixin
    SharedOptions.Seed seedOption;
    @picocli.CommandLine.Mixin
    SharedOptions.Threads threadsOption;
    @picocli.CommandLine.Mixin
    JsonOptions json;

    @Override
    public Integer call() {
        threadsOption.applyToTraining();
        long seed = seedOption.value();
        PrintWriter out = spec.commandLine().getOut();
        L2muConfig c = config();
        json.check();
        L2muResult r = L2muExperiment.run(c, TrainSdt.lines(out));
        if (json.wanted()) {
            Json j = Json.object().put("model", "l2mu").put("neuron", c.neuron().name().toLowerCase(Locale.ROOT))
                    .put("encoder", c.encoder().name().toLowerCase(Locale.ROOT)).put("data", data)
                    .put("synthetic", data.equals("synthetic-har")).put("parameters", r.model().parameterCount())
                    .put("epochs", epochs).put("train_windows", r.data().train().size())
                    .put("test_windows", r.data().test().size()).put("test_accuracy", r.testAccuracy())
                    .put("train_s", r.trainSeconds()).put("immediate_reset", immediateReset);
            if (r.core() != null) {
                org.myelin.learning.export.CoreCheck k = r.core();
                j.put("core_windows", k.samples()).put("core_identical", k.identical())
                        .put("core_same_class", k.sameClass()).put("core_accuracy", k.accuracy())
                        .put("core_spikes", k.spikes()).put("core_differing", k.differing())
                        .put("core_mode", coreMode.name());
            }
            json.emit(out, j.put("seed", seed));
        }
        return 0;
    }

    /** The options as the library's configuration. */
    L2muConfig config() {
        L2mu.Neuron nt = switch (neuron.toLowerCase(Locale.ROOT)) {
            case "lif", "leaky" -> L2mu.Neuron.LIF;
            case "cuba", "synaptic" -> L2mu.Neuron.CUBA;
            case "ann" -> L2mu.Neuron.ANN;
            default -> throw new MyelinException("--neuron must be lif, cuba or ann, was '" + neuron + "'");
        };
        L2mu.Encoder enc = switch (encoder.toLowerCase(Locale.ROOT)) {
            case "plain" -> L2mu.Encoder.PLAIN;
            case "single" -> L2mu.Encoder.SINGLE;
            default -> throw new MyelinException("--encoder must be plain or single, was '" + encoder + "'");
        };
        return new L2muConfig(data, nt, enc, epochs, batchSize, lr, order, theta, hidden, memory, alpha,
                immediateReset, coreCheck, save, stride, subjects, seconds, seedOption.value(), trainLimit, testLimit,
                coreMode);
    }
}

package org.myelin.learning.model;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.sdt.MetaSpikeFormer;
import org.myelin.learning.sdt.SdtSpec;
import org.myelin.learning.tensor.Tensor;

/**
 * A trained model on disk: its spec (an {@link MlpSpec}, or an {@link L2mu.Spec} whose text starts
 * {@code model=l2mu}) and every parameter, in Myelin's checksummed checkpoint format (writer {@value #WRITER}).
 */
public final class ModelFile {
    public static final String WRITER = "myelin-model";

    private ModelFile() {
    }

    /** A model and the spec it was built from. */
    public record Loaded(MlpSpec spec, SpikingMlp model) {
    }

    private static byte[] fingerprint(String specText) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(specText.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A checkpoint holding the spec text and every parameter ({@code param.NAME}). */
    private static Checkpoint withParameters(String text, java.util.List<Tensor> parameters) {
        Checkpoint c = new Checkpoint(WRITER, fingerprint(text), 0);
        c.put("spec", text.getBytes(StandardCharsets.UTF_8));
        for (Tensor p : parameters) {
            c.put("param." + p.name(), p.data());
        }
        return c;
    }

    /** Reads a model file and checks its writer, fingerprint and that its spec starts with {@code prefix}. */
    private static Checkpoint read(Path file, String prefix, String what) {
        Checkpoint c = Checkpoint.read(file);
        String text = specText(c);
        c.requireFor(WRITER, fingerprint(text), "model");
        if (!text.startsWith(prefix)) {
            throw new MyelinException(file + " does not hold " + what);
        }
        return c;
    }

    public static void save(Path file, MlpSpec spec, SpikingMlp model) {
        withParameters(spec.toText(), model.parameters()).write(file);
    }

    /**
     * How an MLP's samples were given to it in training: {@code timeSteps} steps per sample, {@code encoding} of the
     * values (rate coding draws with the spec's seed + 1, as training's evaluation does).
     */
    public record MlpInput(int timeSteps, org.myelin.learning.train.Encoding encoding) {
    }

    /** Saves an MLP with how its training gave it samples ({@code input.timeSteps}, {@code input.encoding}). */
    public static void save(Path file, MlpSpec spec, SpikingMlp model, MlpInput input) {
        Checkpoint c = withParameters(spec.toText(), model.parameters());
        c.put("input.timeSteps", new int[] {input.timeSteps()});
        c.put("input.encoding", input.encoding().name().getBytes(StandardCharsets.UTF_8));
        c.write(file);
    }

    /** How the MLP in {@code file} was given samples in training, or null when the file does not say (older files). */
    public static MlpInput mlpInput(Path file) {
        Checkpoint c = Checkpoint.read(file);
        if (!c.has("input.timeSteps") || !c.has("input.encoding")) {
            return null;
        }
        return new MlpInput(c.ints("input.timeSteps", 1)[0], org.myelin.learning.train.Encoding.valueOf(
                new String(c.bytes("input.encoding", -1), StandardCharsets.UTF_8)));
    }

    /** A trained L2MU and the per-channel standardisation its inputs go through (null: none). */
    public record LoadedL2mu(L2mu model, float[] mean, float[] std) {
    }

    /** Saves an L2MU with the standardisation of its training ({@code mean}, {@code std}, or both null). */
    public static void save(Path file, L2mu model, float[] mean, float[] std) {
        Checkpoint c = withParameters(model.spec().toText(), model.parameters());
        if (mean != null) {
            c.put("input.mean", mean);
            c.put("input.std", std);
        }
        c.write(file);
    }

    /** Saves a Meta-SpikeFormer: its spec, parameters and batch-norm running statistics. */
    public static void save(Path file, MetaSpikeFormer model) {
        Checkpoint c = withParameters(model.spec().toText(), model.parameters());
        for (var e : model.buffers().entrySet()) {
            c.put("buffer." + e.getKey(), e.getValue());
        }
        c.write(file);
    }

    /** Whether the model file holds a spike-driven transformer. */
    public static boolean isSdt(Path file) {
        return specText(Checkpoint.read(file)).startsWith("model=sdt");
    }

    public static MetaSpikeFormer loadSdt(Path file) {
        Checkpoint c = read(file, "model=sdt", "a spike-driven transformer");
        MetaSpikeFormer model = new MetaSpikeFormer(SdtSpec.parse(specText(c)));
        restore(c, model.parameters());
        for (var e : model.buffers().entrySet()) {
            float[] v = c.floats("buffer." + e.getKey(), e.getValue().length);
            System.arraycopy(v, 0, e.getValue(), 0, v.length);
        }
        return model;
    }

    /** Whether the model file holds an L2MU (else an MLP). */
    public static boolean isL2mu(Path file) {
        return specText(Checkpoint.read(file)).startsWith("model=l2mu");
    }

    private static String specText(Checkpoint c) {
        return new String(c.bytes("spec", -1), StandardCharsets.UTF_8);
    }

    public static LoadedL2mu loadL2mu(Path file) {
        Checkpoint c = read(file, "model=l2mu", "an L2MU");
        L2mu model = new L2mu(L2mu.Spec.parse(specText(c)));
        restore(c, model.parameters());
        int ch = model.spec().inputs();
        float[] mean = c.has("input.mean") ? c.floats("input.mean", ch) : null;
        float[] std = mean != null ? c.floats("input.std", ch) : null;
        return new LoadedL2mu(model, mean, std);
    }

    /** Copies every parameter's stored values ({@code param.NAME}) into it. */
    private static void restore(Checkpoint c, java.util.List<Tensor> parameters) {
        for (Tensor p : parameters) {
            float[] v = c.floats("param." + p.name(), p.size());
            System.arraycopy(v, 0, p.data(), 0, p.size());
        }
    }

    public static Loaded load(Path file) {
        Checkpoint c = Checkpoint.read(file);
        String text = specText(c);
        c.requireFor(WRITER, fingerprint(text), "model");
        if (text.startsWith("model=l2mu") || text.startsWith("model=sdt")) {
            throw new MyelinException(file + " holds " + (text.startsWith("model=sdt") ? "a spike-driven transformer"
                    : "an L2MU") + ", not a spiking MLP");
        }
        MlpSpec spec = MlpSpec.parse(text);
        SpikingMlp model = spec.build();
        restore(c, model.parameters());
        return new Loaded(spec, model);
    }
}

package org.myelin.learning.model;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.learning.tensor.Tensor;

/**
 * A trained model on disk: the {@link MlpSpec} and every parameter, in Myelin's checksummed checkpoint
 * format (writer {@value #WRITER}).
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

    public static void save(Path file, MlpSpec spec, SpikingMlp model) {
        String text = spec.toText();
        Checkpoint c = new Checkpoint(WRITER, fingerprint(text), 0);
        c.put("spec", text.getBytes(StandardCharsets.UTF_8));
        for (Tensor p : model.parameters()) {
            c.put("param." + p.name(), p.data());
        }
        c.write(file);
    }

    public static Loaded load(Path file) {
        Checkpoint c = Checkpoint.read(file);
        String text = new String(c.bytes("spec", -1), StandardCharsets.UTF_8);
        c.requireFor(WRITER, fingerprint(text), "model");
        MlpSpec spec = MlpSpec.parse(text);
        SpikingMlp model = spec.build();
        for (Tensor p : model.parameters()) {
            float[] v = c.floats("param." + p.name(), p.size());
            System.arraycopy(v, 0, p.data(), 0, p.size());
        }
        return new Loaded(spec, model);
    }
}

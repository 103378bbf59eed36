package org.myelin.experiments.edge;

import java.nio.file.Path;
import org.myelin.core.MyelinException;

/**
 * A compression study of a saved model.
 *
 * @param model     a file written by {@code train mlp --save} or {@code train l2mu --save}
 * @param data      an MLP: {@code fashion-mnist} or a folder of IDX files (null: fashion-mnist); an L2MU: {@code
 *                  synthetic-har} or {@code wisdm:FOLDER} (null: synthetic-har)
 * @param samples   test windows at most
 * @param timeSteps an MLP: rate-coded steps per image
 * @param subjects  an L2MU on synthetic-har: subjects, as in training
 * @param seconds   an L2MU on synthetic-har: seconds per activity, as in training
 * @param bits      weights of the chosen variant: 8 or 4
 * @param prune     fraction of the chosen variant's weights pruned
 * @param windows   also give the test windows in the runtime's window format and the chosen variant's counts
 */
public record CompressionConfig(Path model, String data, int samples, int timeSteps, int subjects, int seconds,
                                int bits, double prune, boolean windows) {
    /** Checks the counts. */
    public CompressionConfig {
        if (model == null) {
            throw new MyelinException("edge compress: model must be given");
        }
        if (samples < 1 || timeSteps < 1 || subjects < 1 || seconds < 1) {
            throw new MyelinException("edge compress: samples, timeSteps, subjects and seconds must be >= 1, were "
                    + samples + ", " + timeSteps + ", " + subjects + ", " + seconds);
        }
    }

    /** The defaults of {@code myelin edge compress}: 2000 windows, 8 steps, 20 subjects x 60 s, int8 unpruned. */
    public static CompressionConfig defaults(Path model) {
        return new CompressionConfig(model, null, 2000, 8, 20, 60, 8, 0, false);
    }

    /** The same study on {@code data}, at most {@code samples} windows of {@code timeSteps} steps. */
    public CompressionConfig withData(String data, int samples, int timeSteps) {
        return new CompressionConfig(model, data, samples, timeSteps, subjects, seconds, bits, prune, windows);
    }
}

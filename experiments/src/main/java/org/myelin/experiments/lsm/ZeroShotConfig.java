package org.myelin.experiments.lsm;

import java.nio.file.Path;
import java.util.Arrays;
import org.myelin.core.MyelinException;

/**
 * An audio-to-image zero-shot retrieval run: an image liquid as {@code image} describes it (its data, samples,
 * backend, device, weights, crop, bins, neurons, dynamics and seed), an audio liquid with the reference's settings
 * for spoken digits, and the projection heads' training.
 *
 * @param image        the image liquid's run (its modality is not read: the liquid takes images; {@code validation}
 *                     must be null: the steps are chosen on training data)
 * @param audioData    an N-TIDIGITS HDF5 file; its whole train and test splits are used
 * @param audioNeurons the audio liquid's neurons
 * @param dim          embedding width
 * @param temperature  the contrastive loss's temperature
 * @param steps        training steps tried, chosen on the training data alone
 * @param headSeeds    heads trained from this many seeds (seed, seed + 1, ...)
 * @param batch        pairs per training batch
 * @param headLr       Adam learning rate of the heads
 */
public record ZeroShotConfig(LsmConfig image, Path audioData, int audioNeurons, int dim, float temperature,
                             int[] steps, int headSeeds, int batch, double headLr) {
    /** Checks the settings and copies the steps. */
    public ZeroShotConfig {
        if (image == null) {
            throw new MyelinException("zero-shot: the image liquid's settings must be given");
        }
        if (audioData == null) {
            throw new MyelinException("--task zeroshot needs --audio-data (an N-TIDIGITS HDF5 file) besides --data"
                    + " (images)");
        }
        if (image.validation() != null) {
            throw new MyelinException("--task zeroshot chooses its training steps on the training data alone (digits"
                    + " 1-5 retrieving 6-7); --validation is for --task classify");
        }
        if (steps == null || steps.length == 0 || Arrays.stream(steps).anyMatch(s -> s < 1)) {
            throw new MyelinException("zero-shot: steps must be one or more counts >= 1, were "
                    + Arrays.toString(steps));
        }
        if (audioNeurons < 1 || dim < 1 || headSeeds < 1 || batch < 1) {
            throw new MyelinException("zero-shot: audioNeurons, dim, headSeeds and batch must be >= 1, were "
                    + audioNeurons + ", " + dim + ", " + headSeeds + ", " + batch);
        }
        if (!(temperature > 0) || !(headLr > 0)) {
            throw new MyelinException("zero-shot: temperature and headLr must be > 0, were " + temperature + ", "
                    + headLr);
        }
        steps = steps.clone();
    }

    /**
     * The defaults of {@code myelin experiment lsm --task zeroshot}: 200 audio neurons, 64-wide embeddings,
     * temperature 0.1, 250 to 4000 steps, 5 head seeds, batches of 128, learning rate 1e-3.
     */
    public static ZeroShotConfig defaults(LsmConfig image, Path audioData) {
        return new ZeroShotConfig(image, audioData, 200, 64, 0.1f, new int[] {250, 500, 1000, 2000, 4000}, 5, 128,
                1e-3);
    }

    @Override
    public int[] steps() {
        return steps.clone();
    }

    /** The same run with other heads' settings. */
    public ZeroShotConfig withHeads(int audioNeurons, int[] steps, int headSeeds, int batch) {
        return new ZeroShotConfig(image, audioData, audioNeurons, dim, temperature, steps, headSeeds, batch, headLr);
    }
}

package org.myelin.experiments.lsm;

import java.nio.file.Path;
import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.model.ContrastiveHeads;

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
 * @param head         the projection head's kind
 */
public record ZeroShotConfig(LsmConfig image, Path audioData, int audioNeurons, int dim, float temperature,
                             int[] steps, int headSeeds, int batch, double headLr, ContrastiveHeads.Head head) {
    /*
     * The reference's head training (MrLinNing/MemristorLSM, LSM-CLIP-ATV/run_zero_shot_sim_pd64.sh, the last
     * command, "best acc for pd=64 ... 66.14% ... 88%"): zero_shot_sim.py --tp 1.0 (temperature) --feature_batch 8
     * (the batch the heads train on; --batch 500 is only the liquid's encoding batch) --pd 64 (embedding width)
     * --lr 0.001 --epochs 100; the head is zero_shot_sim.py's default --models OneFC with --act gelu (its
     * parse_args, lines 66-71): Contrastive_Simple(project_dim=64, act_fun='gelu'), Adam (line 818). The model file
     * defining Contrastive_Simple is not in the repository, so "one fully connected layer, then GELU" is read from
     * those names. LSM-CLIP-ATV/run_zero_shot_trainable.sh trains its SRNN baseline with the same --tp 1.0, --batch 8,
     * --pd 64, --lr 0.001.
     */
    /** The reference's temperature. */
    public static final float REFERENCE_TEMPERATURE = 1.0f;
    /** The reference's pairs per batch. */
    public static final int REFERENCE_BATCH = 8;
    /** Myelin's former temperature (before the reference's became the default). */
    public static final float FORMER_TEMPERATURE = 0.1f;
    /** Myelin's former pairs per batch. */
    public static final int FORMER_BATCH = 128;

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
        if (head == null) {
            throw new MyelinException("zero-shot: the head kind must be given");
        }
        if (!(temperature > 0) || !(headLr > 0)) {
            throw new MyelinException("zero-shot: temperature and headLr must be > 0, were " + temperature + ", "
                    + headLr);
        }
        steps = steps.clone();
    }

    /**
     * The defaults of {@code myelin experiment lsm --task zeroshot}, the reference's head training: 200 audio
     * neurons, 64-wide embeddings, temperature 1.0, 250 to 4000 steps, 5 head seeds, batches of 8 pairs, learning
     * rate 1e-3, one fully connected layer with GELU.
     */
    public static ZeroShotConfig defaults(LsmConfig image, Path audioData) {
        return new ZeroShotConfig(image, audioData, 200, 64, REFERENCE_TEMPERATURE,
                new int[] {250, 500, 1000, 2000, 4000}, 5, REFERENCE_BATCH, 1e-3, ContrastiveHeads.Head.FC_GELU);
    }

    /** As {@link #defaults}, with Myelin's former heads: temperature 0.1, batches of 128, a linear head. */
    public static ZeroShotConfig former(LsmConfig image, Path audioData) {
        return new ZeroShotConfig(image, audioData, 200, 64, FORMER_TEMPERATURE,
                new int[] {250, 500, 1000, 2000, 4000}, 5, FORMER_BATCH, 1e-3, ContrastiveHeads.Head.LINEAR);
    }

    @Override
    public int[] steps() {
        return steps.clone();
    }

    /** The same run with other heads' settings. */
    public ZeroShotConfig withHeads(int audioNeurons, int[] steps, int headSeeds, int batch) {
        return new ZeroShotConfig(image, audioData, audioNeurons, dim, temperature, steps, headSeeds, batch, headLr,
                head);
    }
}

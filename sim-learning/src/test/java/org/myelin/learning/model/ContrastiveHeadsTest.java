package org.myelin.learning.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.random.CounterRandom;

/**
 * Two modalities that see the same class latents through different random linear maps (plus noise): heads trained
 * contrastively on classes 0-4 retrieve across modalities on those classes and, through the shared space, on classes
 * 5 and 6 that were never paired.
 */
class ContrastiveHeadsTest {
    private static final int LATENT = 12;

    private static double[] latent(int c) {
        double[] z = new double[LATENT];
        for (int k = 0; k < LATENT; k++) {
            z[k] = CounterRandom.normal(1, 1, c, k);
        }
        return z;
    }

    /** n samples per class of classes 0..6: f = M z_c + noise, M (width x LATENT) fixed per modality. */
    private static ContrastiveHeads.Samples modality(int width, int stream, int n, long noiseSeed) {
        double[][] f = new double[7 * n][width];
        int[] y = new int[7 * n];
        for (int c = 0; c < 7; c++) {
            double[] z = latent(c);
            for (int i = 0; i < n; i++) {
                int s = c * n + i;
                y[s] = c;
                for (int j = 0; j < width; j++) {
                    double v = 0;
                    for (int k = 0; k < LATENT; k++) {
                        v += CounterRandom.normal(2, stream, j, k) * z[k];
                    }
                    f[s][j] = v / Math.sqrt(LATENT) + 0.3 * CounterRandom.normal(noiseSeed, stream, s, j);
                }
            }
        }
        return new ContrastiveHeads.Samples(f, y);
    }

    @Test
    void headsTrainedOnSomeClassesRetrieveTheOthersThroughTheSharedSpace() {
        ContrastiveHeads.Samples aTrain = modality(40, 1, 20, 3);
        ContrastiveHeads.Samples bTrain = modality(30, 2, 20, 4);
        ContrastiveHeads.Samples aTest = modality(40, 1, 10, 5);
        ContrastiveHeads.Samples bTest = modality(30, 2, 10, 6);
        int[] seen = {0, 1, 2, 3, 4};
        ContrastiveHeads h = new ContrastiveHeads(40, 30, 16, 0.1f, 7);
        double before = h.retrieval(aTest, bTest, new int[] {5, 6});
        double[] loss = h.train(aTrain, bTrain, seen, 16, 600, 3e-3, 1);
        assertTrue(loss[loss.length - 1] < loss[0] / 2, "the loss falls: " + loss[0] + " -> " + loss[loss.length - 1]);
        double in = h.retrieval(aTest, bTest, seen);
        double zero = h.retrieval(aTest, bTest, new int[] {5, 6});
        assertTrue(in > 0.9, "in-class retrieval (chance 0.2): " + in);
        assertTrue(zero > 0.85 && zero > before, "zero-shot retrieval of classes never paired (chance 0.5): " + zero
                + ", before training " + before);
        ContrastiveHeads.Samples odd = aTest.select(i -> i % 2 == 1);
        assertTrue(odd.labels().length == 35 && odd.labels()[0] == 0, "select keeps the chosen samples in order");
    }
}

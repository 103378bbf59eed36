package org.myelin.learning.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.ops.Losses;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

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
        ContrastiveHeads g = new ContrastiveHeads(40, 30, 16, 1.0f, 7, ContrastiveHeads.Head.FC_GELU);
        g.train(aTrain, bTrain, seen, 8, 600, 1e-3, 1);
        double gIn = g.retrieval(aTest, bTest, seen);
        assertTrue(gIn > 0.9, "the reference's head (FC + GELU, temperature 1, batches of 8) learns too: " + gIn);
        ContrastiveHeads.Samples odd = aTest.select(i -> i % 2 == 1);
        assertTrue(odd.labels().length == 35 && odd.labels()[0] == 0, "select keeps the chosen samples in order");
    }

    @Test
    void theHeadsHaveTheShapesOfTheirKind() {
        ContrastiveHeads lin = new ContrastiveHeads(5, 3, 4, 0.1f, 1);
        assertEquals(ContrastiveHeads.Head.LINEAR, lin.head());
        assertEquals(List.of(List.of(5, 4), List.of(3, 4)), shapes(lin));
        ContrastiveHeads fc = new ContrastiveHeads(5, 3, 4, 1f, 1, ContrastiveHeads.Head.FC_GELU);
        assertEquals(List.of(List.of(5, 4), List.of(3, 4), List.of(4), List.of(4)), shapes(fc));
        float[][] e = fc.embed(new double[][] {{1, 2, 3, 4, 5}, {0, 0, 0, 0, 0}}, true);
        assertEquals(2, e.length);
        assertEquals(4, e[0].length);
        double n = 0;
        for (float v : e[0]) {
            n += v * v;
        }
        assertEquals(1, n, 1e-5, "embeddings are unit vectors");
        // a zero input gives GELU(bias) for the FC head, and zero for the bias-free linear head
        float[] z = lin.embed(new double[][] {{0, 0, 0, 0, 0}}, true)[0];
        assertArrayEquals(new float[4], z);
        assertEquals(ContrastiveHeads.Head.FC_GELU, ContrastiveHeads.Head.of("fc-gelu"));
        assertThrows(MyelinException.class, () -> ContrastiveHeads.Head.of("mlp"));
    }

    private static List<List<Integer>> shapes(ContrastiveHeads h) {
        List<List<Integer>> out = new ArrayList<>();
        for (Tensor t : h.parameters()) {
            List<Integer> s = new ArrayList<>();
            for (int d : t.shape()) {
                s.add(d);
            }
            out.add(s);
        }
        return out;
    }

    @Test
    void theTemperatureSharpensTheLossOnA2x2Similarity() {
        // a = b = I: cosine similarities I, logits I / T; each row's cross-entropy is log(1 + e^(-1/T)), and the
        // symmetric loss averages two equal halves: T = 1 -> log(1 + 1/e) = 0.3132617, T = 0.1 -> log(1 + e^-10)
        // = 4.5398899e-5; a mismatched pair (b = the rows swapped) gives log(1 + e^(1/T)): 1.3132617 and 10.0000454
        Tensor a = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
        Tensor b = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
        Tensor swapped = Tensor.of(new float[] {0, 1, 1, 0}, 2, 2);
        assertEquals(0.3132617, Losses.contrastive(Tape.inference(), a, b, 1f).data()[0], 1e-6);
        assertEquals(4.5398899e-5, Losses.contrastive(Tape.inference(), a, b, 0.1f).data()[0], 1e-6, "float32");
        assertEquals(1.3132617, Losses.contrastive(Tape.inference(), a, swapped, 1f).data()[0], 1e-6);
        assertEquals(10.0000454, Losses.contrastive(Tape.inference(), a, swapped, 0.1f).data()[0], 1e-4);
    }
}

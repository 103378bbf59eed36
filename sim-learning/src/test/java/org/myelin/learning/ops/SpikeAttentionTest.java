package org.myelin.learning.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.GradCheck;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

class SpikeAttentionTest {
    /** One head, d = 2 channels, 3 tokens; rows are channels, columns tokens. */
    private static final float[] Q = {1, 1, 0, 0, 1, 1};
    private static final float[] K = {1, 0, 1, 0, 1, 1};
    private static final float[] V = {1, 1, 0, 0, 1, 1};

    @Test
    void sdsa3CountsCoincidencesByHand() {
        // A = K^T V: A00 = K0.V0 = 1, A01 = K0.V1 = 1, A10 = K1.V0 = 1, A11 = K1.V1 = 2.
        // Y[j, n] = sum_i Q[i, n] A[i][j]: n0 (Q = 1,0): 1, 1; n1 (1,1): 2, 3; n2 (0,1): 1, 2.
        Tensor y = SpikeAttention.linearAttention(Tape.inference(), Tensor.of(Q.clone(), 1, 2, 3),
                Tensor.of(K.clone(), 1, 2, 3), Tensor.of(V.clone(), 1, 2, 3), 1);
        assertArrayEquals(new float[] {1, 2, 1, 1, 3, 2}, y.data());
    }

    @Test
    void sdsa3HeadsAreIndependent() {
        // Two heads of one channel each: A is 1x1 per head, the count of tokens where k and v both fire.
        Tensor y = SpikeAttention.linearAttention(Tape.inference(), Tensor.of(Q.clone(), 1, 2, 3),
                Tensor.of(K.clone(), 1, 2, 3), Tensor.of(V.clone(), 1, 2, 3), 2);
        // head 0: A = K0.V0 = 1, Y0 = Q0 * 1 = 1 1 0; head 1: A = K1.V1 = 2, Y1 = Q1 * 2 = 0 2 2.
        assertArrayEquals(new float[] {1, 1, 0, 0, 2, 2}, y.data());
    }

    @Test
    void sdsa1TokenSumAndGateByHand() {
        float[] k = {1, 0, 0, 0, 1, 1};
        float[] v = {0, 1, 0, 0, 1, 1};
        Tensor kv = SpikeAttention.tokenSum(Tape.inference(),
                Elementwise.mul(Tape.inference(), Tensor.of(k, 1, 2, 3), Tensor.of(v, 1, 2, 3)));
        assertArrayEquals(new float[] {0, 2}, kv.data());
        Tensor gated = SpikeAttention.channelGate(Tape.inference(), Tensor.of(Q.clone(), 1, 2, 3),
                Tensor.of(new float[] {0, 1}, 1, 2));
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1}, gated.data());
    }

    @Test
    void padConstantFillsTheBorderPerChannel() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2);
        Tensor y = SpikeAttention.padConstant(Tape.inference(), x, 1, new float[] {-1, 9});
        assertArrayEquals(new float[] {
            -1, -1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1, -1, -1, -1,
            9, 9, 9, 9, 9, 5, 6, 9, 9, 7, 8, 9, 9, 9, 9, 9}, y.data());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor q = GradCheck.param(1, -1f, 1f, 2, 4, 5);
        Tensor k = GradCheck.param(2, -1f, 1f, 2, 4, 5);
        Tensor v = GradCheck.param(3, -1f, 1f, 2, 4, 5);
        GradCheck.check("linear attention, 2 heads", t -> SpikeAttention.linearAttention(t, q, k, v, 2),
                List.of(q, k, v), 1e-2, 2e-3, 2e-3);
        GradCheck.check("linear attention, 1 head", t -> SpikeAttention.linearAttention(t, q, k, v, 1),
                List.of(q, k, v), 1e-2, 2e-3, 2e-3);
        Tensor g = GradCheck.param(4, -1f, 1f, 2, 4);
        GradCheck.check("token sum", t -> SpikeAttention.tokenSum(t, Elementwise.mul(t, k, v)), List.of(k, v),
                1e-2, 1e-3, 1e-3);
        GradCheck.check("channel gate", t -> SpikeAttention.channelGate(t, q, g), List.of(q, g), 1e-2, 1e-3, 1e-3);
        Tensor x = GradCheck.param(5, -1f, 1f, 2, 3, 3, 4);
        GradCheck.check("pad constant", t -> SpikeAttention.padConstant(t, x, 2, new float[] {1, 2, 3}),
                List.of(x), 1e-2, 1e-3, 1e-3);
    }

    @Test
    void badShapesAreRefused() {
        Tensor a = Tensor.zeros(1, 3, 2);
        assertThrows(MyelinException.class, () -> SpikeAttention.linearAttention(Tape.inference(), a, a, a, 2));
        assertThrows(MyelinException.class, () -> SpikeAttention.channelGate(Tape.inference(), a,
                Tensor.zeros(1, 2)));
        assertThrows(MyelinException.class, () -> SpikeAttention.tokenSum(Tape.inference(), Tensor.zeros(3, 2)));
    }
}

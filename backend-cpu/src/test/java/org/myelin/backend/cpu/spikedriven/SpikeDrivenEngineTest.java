package org.myelin.backend.cpu.spikedriven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.core.spikedriven.SpikeProgram.Attention;
import org.myelin.core.spikedriven.SpikeProgram.Conv;
import org.myelin.core.spikedriven.SpikeProgram.Dense;
import org.myelin.core.spikedriven.SpikeProgram.Fire;
import org.myelin.core.spikedriven.SpikeProgram.Gate;
import org.myelin.core.spikedriven.SpikeProgram.Input;
import org.myelin.core.spikedriven.SpikeProgram.Node;
import org.myelin.core.spikedriven.SpikeProgram.TokenCount;

class SpikeDrivenEngineTest {
    /**
     * Q, K, V spike maps of 2 channels x 3 tokens made from a 6-channel input: a 1x1 convolution with weight 2
     * copies channels (2g, 2g+1) and a LIF at threshold 1 fires at the first step where the input is 1.
     */
    private static List<Node> qkv() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Input("in", 6, 1, 3));
        for (int g = 0; g < 3; g++) {
            float[] w = new float[2 * 6];
            w[2 * g] = 2f;
            w[6 + 2 * g + 1] = 2f;
            nodes.add(new Conv("c" + g, 0, 2, 1, 1, 0, 1, w, new float[2]));
            nodes.add(new Fire("s" + g, nodes.size() - 1, 1f));
        }
        return nodes; // q = node 2, k = node 4, v = node 6
    }

    private static Dense head(int input, int values) {
        return new Dense("out", input, 2, new float[values * 2], new float[2]);
    }

    private static float[] input(float[] q, float[] k, float[] v) {
        float[] x = new float[18];
        System.arraycopy(q, 0, x, 0, 6);
        System.arraycopy(k, 0, x, 6, 6);
        System.arraycopy(v, 0, x, 12, 6);
        return x;
    }

    @Test
    void sdsa3CountsCoincidentSpikesByHand() {
        List<Node> nodes = qkv();
        nodes.add(new Attention("attn", 2, 4, 6, 1));
        nodes.add(new Fire("attn.lif", 7, 4f));
        nodes.add(head(8, 6));
        SpikeDrivenEngine e = new SpikeDrivenEngine(new SpikeProgram(nodes, 1));
        float[] q = {1, 1, 0, 0, 1, 1};
        float[] k = {1, 0, 1, 0, 1, 1};
        float[] v = {1, 1, 0, 0, 1, 1};
        float[][][] trace = e.trace(input(q, k, v));
        assertArrayEquals(q, trace[0][2]);
        assertArrayEquals(k, trace[0][4]);
        // A = K^T V = [[1, 1], [1, 2]]; Y[j, n] = sum_i Q[i, n] A[i][j]
        assertArrayEquals(new float[] {1, 2, 1, 1, 3, 2}, trace[0][7]);
        // the output neurons fire at 4 raw counts (0.5 after the 1/8 scale): H = Y / 2 reaches 4 nowhere
        assertArrayEquals(new float[6], trace[0][8]);
        SpikeDrivenEngine.Result r = e.run(input(q, k, v));
        // accumulates: K^T V adds one per (token, firing key, firing value): token 0 keys {0} values {0}: 1,
        // token 1 keys {1} values {0, 1}: 2, token 2 keys {0, 1} values {1}: 2; Q A adds d = 2 per firing query
        // (4 of them): 8
        assertEquals(5 + 8, r.acs()[7]);
        assertEquals(0, r.macs()[7]);
    }

    @Test
    void sdsa1GatesQueriesByFiredTokenCounts() {
        List<Node> nodes = qkv();
        nodes.add(new TokenCount("kv", 4, 6));
        nodes.add(new Fire("kv.lif", 7, 0.5f));
        nodes.add(new Gate("gate", 2, 8));
        nodes.add(head(9, 6));
        SpikeDrivenEngine e = new SpikeDrivenEngine(new SpikeProgram(nodes, 1));
        float[] q = {1, 1, 0, 0, 1, 1};
        float[] k = {1, 0, 0, 0, 1, 1};
        float[] v = {0, 1, 0, 0, 1, 1};
        float[][][] trace = e.trace(input(q, k, v));
        assertArrayEquals(new float[] {0, 2}, trace[0][7]);
        // H = count / 2: channel 0 stays at 0, channel 1 reaches 1 >= 0.5
        assertArrayEquals(new float[] {0, 1}, trace[0][8]);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1}, trace[0][9]);
    }

    @Test
    void programsThatMultiplySpikesAwayAreRefused() {
        List<Node> nodes = qkv();
        // an attention over the input itself would multiply real values
        nodes.add(new Attention("bad", 1, 4, 6, 1));
        nodes.add(head(7, 6));
        assertThrows(MyelinException.class, () -> new SpikeProgram(nodes, 1));
        List<Node> dense = qkv();
        dense.add(new Dense("bad", 1, 2, new float[12], new float[2]));
        assertThrows(MyelinException.class, () -> new SpikeProgram(dense, 1));
    }
}

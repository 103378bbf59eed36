package org.myelin.backend.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.tensor.Tensor;
import org.myelin.core.random.CounterRandom;

/**
 * The C runtime in firmware/, built for the host with the system's C compiler, runs model images exactly as the Java
 * reference does (every window's output counts and the operation totals), and refuses damaged images. Without a C
 * compiler the test is skipped with the reason; with CI=true (where .ci/run installs one) it fails instead.
 */
class FirmwareTest {
    static Path binary;

    record Result(int code, String out, String err) {
    }

    static Result exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Skips with the reason, or fails under CI=true, where .ci/run installs what the firmware tests need. */
    static void require(boolean ok, String what) {
        if (!ok) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(what);
            }
            Assumptions.abort(what);
        }
    }

    /** Builds firmware/ sources (paths below firmware/) into target/firmware/{@code name} with the system's cc. */
    static Path compile(String name, List<String> flags, String... sources) throws Exception {
        Path src = Path.of("..", "firmware").toAbsolutePath().normalize();
        Path out = Path.of("target", "firmware").toAbsolutePath();
        Files.createDirectories(out);
        Path bin = out.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("cc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-o", bin.toString()));
        for (String s : sources) {
            cmd.add(src.resolve(s).toString());
        }
        Result r;
        try {
            r = exec(cmd);
        } catch (IOException e) {
            require(false, "no C compiler (cc) on this machine, so the C runtime cannot be built: " + e.getMessage());
            return null;
        }
        assertEquals(0, r.code(), "the firmware compiles without warnings: " + r.err());
        return bin;
    }

    @BeforeAll
    static void build() throws Exception {
        binary = compile("run_windows", List.of(), "src/myelin_rt.c", "host/run_windows.c");
    }

    static SpikingMlp model(long seed) {
        SpikingMlp m = new SpikingMlp(30, new int[] {24, 16, 5}, (name, n) -> LeakyNeuron.builder(n).name(name)
                .beta(0.85f, false).threshold(1f, false).resetDelay(false)
                .reset(name.equals("layer1") ? LeakyNeuron.Reset.ZERO : LeakyNeuron.Reset.SUBTRACT).build(),
                SpikingMlp.Readout.SPIKE_COUNT, seed);
        for (Tensor w : m.weights()) {
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] *= 3f;
            }
        }
        return m;
    }

    static byte[] windows(int count, int steps, int inputs, long seed, List<boolean[][]> keep) {
        ByteBuffer b = ByteBuffer.allocate(12 + count * steps * inputs).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(count).putInt(steps).putInt(inputs);
        for (int w = 0; w < count; w++) {
            boolean[][] s = new boolean[steps][inputs];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < inputs; i++) {
                    s[t][i] = CounterRandom.uniform(seed, w, i, t) < 0.3;
                    b.put((byte) (s[t][i] ? 1 : 0));
                }
            }
            keep.add(s);
        }
        return b.array();
    }

    @Test
    void theCRuntimeRunsEveryWindowExactlyAsTheJavaReference(@TempDir Path dir) throws Exception {
        Object[][] variants = {{8, 0.0, 1L, false}, {4, 0.0, 2L, false}, {8, 0.5, 3L, false}, {4, 0.3, 4L, false},
            {8, 0.0, 5L, true}, {4, 0.2, 6L, true}};
        for (Object[] v : variants) {
            boolean cuba = (Boolean) v[3];
            FixedPointNet q = Compression.compress(cuba ? CompressionTest.model(0.85f, false, 0.6f, true)
                    : model((Long) v[2]), (Integer) v[0], (Double) v[1]);
            int inputs = q.inputs();
            Path img = dir.resolve("m.img");
            Files.write(img, ModelImage.write(q));
            List<boolean[][]> ws = new ArrayList<>();
            Path win = dir.resolve("w.bin");
            Files.write(win, windows(40, 20, inputs, (Long) v[2], ws));
            Result r = exec(List.of(binary.toString(), img.toString(), win.toString()));
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().trim().split("\n");
            assertEquals(41, lines.length, r.out());
            long[] ops = new long[FixedPointNet.OPS];
            long spikes = 0;
            for (int w = 0; w < 40; w++) {
                int[] want = q.run(ws.get(w), ops);
                int[] got = java.util.Arrays.stream(lines[w].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
                assertArrayEquals(want, got, "int" + v[0] + " pruned " + v[1] + (cuba ? " recurrent CuBa" : "")
                        + ", window " + w);
                for (int c : want) {
                    spikes += c;
                }
            }
            assertEquals("ops " + ops[0] + " " + ops[1] + " " + ops[2] + " " + ops[3], lines[40], "operation totals");
            assertTrue(spikes > 20, "the output layer spikes: " + spikes);
        }
    }

    @Test
    void theCRuntimeRunsL2muImagesOnSensorValuesExactlyAsTheJavaReference(@TempDir Path dir) throws Exception {
        Object[][] variants = {{L2mu.Neuron.LIF, L2mu.Encoder.PLAIN, 8, 0.0}, {L2mu.Neuron.CUBA, L2mu.Encoder.SINGLE, 4,
            0.2}, {L2mu.Neuron.LIF, L2mu.Encoder.SINGLE, 8, 0.5}};
        for (Object[] v : variants) {
            FixedPointNet q = Compression.compress(CompressionTest.l2mu((L2mu.Neuron) v[0], (L2mu.Encoder) v[1], 2),
                    (Integer) v[2], (Double) v[3]);
            Path img = dir.resolve("l2mu.img");
            Files.write(img, ModelImage.write(q));
            int steps = 30;
            ByteBuffer b = ByteBuffer.allocate(12 + 30 * steps * 3 * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(30).putInt(steps).putInt(3);
            List<int[][]> ws = new ArrayList<>();
            for (int w = 0; w < 30; w++) {
                int[][] x = Compression.quantiseInput(CompressionTest.values(steps, 3, 100 + w), steps, 3);
                for (int[] step : x) {
                    for (int c : step) {
                        b.putShort((short) c);
                    }
                }
                ws.add(x);
            }
            Path win = dir.resolve("values.bin");
            Files.write(win, b.array());
            Result r = exec(List.of(binary.toString(), img.toString(), win.toString()));
            assertEquals(0, r.code(), r.err());
            String[] lines = r.out().trim().split("\n");
            long[] ops = new long[FixedPointNet.OPS];
            long spikes = 0;
            for (int w = 0; w < 30; w++) {
                int[] want = q.run(ws.get(w), ops);
                int[] got = java.util.Arrays.stream(lines[w].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
                assertArrayEquals(want, got, v[0] + " " + v[1] + " int" + v[2] + ", window " + w);
                for (int c : want) {
                    spikes += c;
                }
            }
            assertEquals("ops " + ops[0] + " " + ops[1] + " " + ops[2] + " " + ops[3], lines[30], "operation totals");
            assertTrue(spikes > 50 && ops[3] > 0, "the output spikes (" + spikes + ") and inputs are multiplied in");
        }
    }

    @Test
    void theCRuntimeRefusesDamagedImagesBeforeRunning(@TempDir Path dir) throws Exception {
        byte[] good = ModelImage.write(Compression.compress(model(9), 8, 0));
        List<boolean[][]> ws = new ArrayList<>();
        Path win = dir.resolve("w.bin");
        Files.write(win, windows(1, 5, 30, 9, ws));
        String[][] cases = {{"crc", "a section fails its CRC-32"}, {"version", "another format version"},
            {"hash", "the SHA-256 does not match"}, {"length", "image length does not match"}};
        for (String[] c : cases) {
            byte[] img = good.clone();
            switch (c[0]) {
                case "crc" -> img[ModelImage.check(good).get(4).offset() + 7] ^= 4;
                case "version" -> img[4] = 1;
                case "hash" -> img[img.length - 3] ^= 1;
                default -> img = java.util.Arrays.copyOf(img, img.length - 4);
            }
            Path f = dir.resolve(c[0] + ".img");
            Files.write(f, img);
            Result r = exec(List.of(binary.toString(), f.toString(), win.toString()));
            assertEquals(3, r.code(), c[0] + ": " + r.out());
            assertTrue(r.err().contains(c[1]), c[0] + ": " + r.err());
        }
    }
}

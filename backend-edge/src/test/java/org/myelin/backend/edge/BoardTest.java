package org.myelin.backend.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;

/**
 * The serial protocol against the board emulator (firmware/host/emulator.c) on a socat pseudo-terminal pair, through
 * jSerialComm as with a board. Without socat or a C compiler the tests are skipped with the reason; with CI=true
 * (where .ci/run installs both) they fail instead.
 */
class BoardTest {
    static Path emulator;
    static Path smallEmulator;
    private final List<Process> processes = new ArrayList<>();
    private Path ttyHost;
    private Path ttyBoard;

    @BeforeAll
    static void build() throws Exception {
        String[] sources = {"src/myelin_rt.c", "src/myelin_board.c", "host/emulator.c"};
        emulator = FirmwareTest.compile("emulator", List.of(), sources);
        smallEmulator = FirmwareTest.compile("emulator-small", List.of("-DMRT_MAX_NEURONS=64"), sources);
        boolean socat;
        try {
            socat = FirmwareTest.exec(List.of("socat", "-V")).code() == 0;
        } catch (IOException e) {
            socat = false;
        }
        FirmwareTest.require(socat, "no socat for the pseudo-terminal pair (apt-get install socat)");
    }

    private Process start(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        processes.add(p);
        return p;
    }

    /** A pty pair: the board's end and the host's end, as links under target/. */
    private void ptys(Path dir) throws Exception {
        ttyBoard = dir.resolve("ttyBoard");
        ttyHost = dir.resolve("ttyHost");
        start(List.of("socat", "pty,raw,echo=0,link=" + ttyBoard, "pty,raw,echo=0,link=" + ttyHost));
        for (int i = 0; i < 100 && !(Files.exists(ttyBoard) && Files.exists(ttyHost)); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(ttyBoard) && Files.exists(ttyHost), "socat made the pty pair");
    }

    private Process emulate(Path binary, Path state, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), ttyBoard.toString(), state.toString()));
        cmd.addAll(List.of(extra));
        Process p = start(cmd);
        Thread.sleep(150);
        return p;
    }

    @AfterEach
    void stop() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroyForcibly();
            try {
                processes.get(i).waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static FixedPointNet model(long seed, int hidden) {
        var m = FirmwareTest.model(seed);
        if (hidden == 24) {
            return Compression.compress(m, 8, 0);
        }
        var big = new org.myelin.learning.model.SpikingMlp(30, new int[] {hidden, 5}, (name, n) ->
                org.myelin.learning.neuron.LeakyNeuron.builder(n).name(name).beta(0.85f, false).threshold(1f, false)
                        .resetDelay(false).reset(org.myelin.learning.neuron.LeakyNeuron.Reset.SUBTRACT).build(),
                org.myelin.learning.model.SpikingMlp.Readout.SPIKE_COUNT, seed);
        return Compression.compress(big, 8, 0);
    }

    static List<boolean[][]> windows(int n, long seed) {
        List<boolean[][]> w = new ArrayList<>();
        FirmwareTest.windows(n, 20, 30, seed, w);
        return w;
    }

    @Test
    void uploadVerifyActivateAndRunGiveTheReferenceCounts(@TempDir Path dir) throws Exception {
        ptys(dir);
        emulate(emulator, Files.createDirectories(dir.resolve("state")));
        FixedPointNet q = model(1, 24);
        byte[] img = ModelImage.write(q);
        try (Board b = new Board(Board.serial(ttyHost.toString(), 115200), 500)) {
            Board.Hello h = b.hello();
            assertEquals(Board.PROTOCOL, h.protocol());
            assertEquals(-1, h.active(), "nothing active on a new board");
            List<Long> progress = new ArrayList<>();
            assertEquals(0, b.upload(0, img, progress::add));
            assertEquals(img.length, (long) progress.get(progress.size() - 1));
            b.verify(0);
            assertEquals(0, b.activate(0));
            long latency = 0;
            for (boolean[][] w : windows(25, 5)) {
                Board.Result r = b.run(w);
                assertArrayEquals(q.run(w, null), r.counts());
                latency += r.latencyUs();
            }
            Board.Stats s = b.stats();
            assertEquals(25, s.windows());
            assertEquals(latency, s.totalLatencyUs());
            assertTrue(s.accumulates() > 0);
            assertEquals(3, b.info()[0].state(), "slot 0 verified");
        }
    }

    @Test
    void anL2muImageRunsOnSensorValuesAsTheReference(@TempDir Path dir) throws Exception {
        ptys(dir);
        emulate(emulator, Files.createDirectories(dir.resolve("state")));
        FixedPointNet q = Compression.compress(CompressionTest.l2mu(org.myelin.learning.lmu.L2mu.Neuron.CUBA,
                org.myelin.learning.lmu.L2mu.Encoder.SINGLE, 4), 8, 0);
        try (Board b = new Board(Board.serial(ttyHost.toString(), 115200), 500)) {
            b.hello();
            b.upload(1, ModelImage.write(q), null);
            b.verify(1);
            assertEquals(1, b.activate(1));
            long macs = 0;
            for (int w = 0; w < 12; w++) {
                int[][] x = Compression.quantiseInput(CompressionTest.values(30, 3, 50 + w), 30, 3);
                long[] ops = new long[FixedPointNet.OPS];
                int[] want = q.run(x, ops);
                Board.Result r = b.run(x);
                assertArrayEquals(want, r.counts(), "window " + w);
                assertEquals(ops[0], r.accumulates());
                assertEquals(ops[3], r.macs());
                macs += r.macs();
            }
            assertEquals(macs, b.stats().macs());
            MyelinException e = assertThrows(MyelinException.class, () -> b.run(windows(1, 1).get(0)));
            assertTrue(e.getMessage().contains("bad argument"), "a spike window for a value model: " + e.getMessage());
        }
    }

    /** Stops an upload as a pulled cable would. */
    static final class Disconnect extends RuntimeException {
        Disconnect() {
            super("disconnected");
        }
    }

    @Test
    void anUploadInterruptedAtHalfResumesAfterTheBoardRestarts(@TempDir Path dir) throws Exception {
        ptys(dir);
        Path state = Files.createDirectories(dir.resolve("state"));
        Process board = emulate(emulator, state);
        FixedPointNet q = model(2, 100);
        byte[] img = ModelImage.write(q);
        assertTrue(img.length > 3 * Board.CHUNK, "several chunks: " + img.length);
        try (Board b = new Board(Board.serial(ttyHost.toString(), 115200), 400)) {
            b.hello();
            assertThrows(Disconnect.class, () -> b.upload(1, img, c -> {
                if (c >= img.length / 2) {
                    throw new Disconnect();
                }
            }));
            board.destroyForcibly();
            board.waitFor(5, TimeUnit.SECONDS);
            emulate(emulator, state);
            Board.Slot s = b.info()[1];
            assertTrue(s.confirmed() >= img.length / 2 && s.confirmed() < img.length, "kept " + s.confirmed());
            long from = b.upload(1, img, null);
            assertEquals(s.confirmed(), from, "resumed from the confirmed offset");
            b.verify(1);
            b.activate(1);
            for (boolean[][] w : windows(5, 6)) {
                assertArrayEquals(q.run(w, null), b.run(w).counts());
            }
        }
    }

    @Test
    void damagedFramesBothWaysAreRetransmitted(@TempDir Path dir) throws Exception {
        ptys(dir);
        emulate(emulator, Files.createDirectories(dir.resolve("state")), "--corrupt-every", "3");
        FixedPointNet q = model(3, 24);
        Board.Link serial = Board.serial(ttyHost.toString(), 115200);
        int[] writes = {0};
        Board.Link flaky = new Board.Link() {
            @Override
            public void write(byte[] b) {
                byte[] c = b.clone();
                if (++writes[0] % 4 == 0) {
                    c[c.length / 2] ^= 0x08; // a bit error on the way to the board
                }
                serial.write(c);
            }

            @Override
            public int read(byte[] b, int timeoutMs) {
                return serial.read(b, timeoutMs);
            }

            @Override
            public void close() {
                serial.close();
            }
        };
        try (Board b = new Board(flaky, 400)) {
            b.hello();
            b.upload(0, ModelImage.write(q), null);
            b.verify(0);
            b.activate(0);
            for (boolean[][] w : windows(10, 7)) {
                assertArrayEquals(q.run(w, null), b.run(w).counts());
            }
            assertTrue(b.retransmissions() > 5, "retransmitted " + b.retransmissions() + " times");
            assertEquals(10, b.stats().windows(), "no request executed twice");
        }
    }

    @Test
    void otherVersionsAreRefusedWithAClearMessage(@TempDir Path dir) throws Exception {
        ptys(dir);
        emulate(emulator, Files.createDirectories(dir.resolve("state")));
        byte[] img = ModelImage.write(model(4, 24));
        byte[] v1 = img.clone();
        v1[4] = 1;
        try (Board b = new Board(Board.serial(ttyHost.toString(), 115200), 400)) {
            MyelinException e = assertThrows(MyelinException.class, () -> b.request(0x01, new byte[] {1, 0}));
            assertTrue(e.getMessage().contains("another protocol version"), e.getMessage());
            b.hello();
            e = assertThrows(MyelinException.class, () -> b.upload(0, v1, null));
            assertTrue(e.getMessage().contains("format version 1; this Myelin reads version 2"), e.getMessage());
        }
    }

    @Test
    void anImageThatFailsTheSelfTestRollsBackToThePreviousOne(@TempDir Path dir) throws Exception {
        ptys(dir);
        emulate(smallEmulator, Files.createDirectories(dir.resolve("state")));
        FixedPointNet fits = model(5, 24);
        FixedPointNet tooBig = model(6, 100);
        try (Board b = new Board(Board.serial(ttyHost.toString(), 115200), 500)) {
            b.hello();
            b.upload(0, ModelImage.write(fits), null);
            b.verify(0);
            assertEquals(0, b.activate(0));
            b.upload(1, ModelImage.write(tooBig), null);
            b.verify(1);
            MyelinException e = assertThrows(MyelinException.class, () -> b.activate(1));
            assertTrue(e.getMessage().contains("exceeds the board's memory") && e.getMessage().contains("slot 0 stays"
                    + " active (rolled back)"), e.getMessage());
            for (boolean[][] w : windows(5, 8)) {
                assertArrayEquals(fits.run(w, null), b.run(w).counts(), "the previous image still runs");
            }
        }
    }
}

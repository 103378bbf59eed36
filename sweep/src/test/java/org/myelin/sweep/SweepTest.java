package org.myelin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;

class SweepTest {
    /** 100 points: the rram crossbar's read noise x network seeds, a small CUBA network each. */
    static final String GRID = """
            # read noise of the rram preset against the network's seed
            experiment = cuba
            neurons = 300
            p = 0.1
            duration = 0.05
            backend = memristor
            device = rram
            grid.read = 0, 0.01, 0.02, 0.05, 0.1
            grid.seed = 1..20
            """;

    @Test
    void pointsAreTheGridsProductFirstAxisSlowest() {
        SweepSpec s = SweepSpec.parse("neurons = 100\ngrid.seed = 1..3\ngrid.read = 0.1, 0.2 # two\n", "test");
        assertEquals(6, s.size());
        assertEquals(Map.of("neurons", "100", "seed", "1", "read", "0.1"), s.point(0));
        assertEquals(Map.of("neurons", "100", "seed", "1", "read", "0.2"), s.point(1));
        assertEquals(Map.of("neurons", "100", "seed", "3", "read", "0.2"), s.point(5));
        assertEquals(100, SweepSpec.parse(GRID, "grid").size());
    }

    @Test
    void badSpecsAreClearErrors() {
        assertTrue(assertThrows(MyelinException.class, () -> SweepSpec.parse("nuerons = 3", "f")).getMessage()
                .contains("unknown key 'nuerons'"));
        assertTrue(assertThrows(MyelinException.class, () -> SweepSpec.parse("seed 3", "f")).getMessage()
                .contains("f:1: expected key = value"));
        assertTrue(assertThrows(MyelinException.class, () -> SweepSpec.parse("seed = 1\ngrid.seed = 1..2", "f"))
                .getMessage().contains("both fixed and an axis"));
        assertTrue(assertThrows(MyelinException.class, () -> SweepSpec.parse("grid.seed = 5..2", "f")).getMessage()
                .contains("ascending"));
        assertTrue(assertThrows(MyelinException.class,
                () -> new SweepTask(0, Map.of("read", "0.1")).call()).getMessage().contains("needs backend = memristor"));
    }

    @Test
    void readNoiseChangesTheSpikesAndTheSeedTheNetwork() {
        SweepSpec s = SweepSpec.parse(GRID, "grid");
        SweepTask.Row quiet = new SweepTask(0, s.point(0)).call();
        SweepTask.Row noisy = new SweepTask(80, s.point(80)).call();
        assertEquals("0", quiet.columns().get("read"));
        assertEquals("0.1", noisy.columns().get("read"));
        assertTrue(Long.parseLong(quiet.columns().get("spikes")) > 100, quiet.toString());
        assertNotEquals(quiet.columns().get("checksum"), noisy.columns().get("checksum"));
        assertTrue(Double.parseDouble(noisy.columns().get("energy_nj")) > 0);
    }

    @Test
    void aDriverJoinsWorkersThatAreAlreadyRunning() throws Exception {
        SweepSpec s = SweepSpec.parse("experiment = cuba\nneurons = 400\nduration = 0.05\ngrid.seed = 1..12\n", "t");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort() > 60000 ? 47000 : free.getLocalPort();
        }
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        ClusterKey key = new ClusterKey("sweep-test-" + ProcessHandle.current().pid(), ClusterKey.newSecret());
        List<Process> workers = new java.util.ArrayList<>();
        try {
            for (int w = 0; w < 2; w++) {
                ProcessBuilder pb = new ProcessBuilder(javaCommand, "-cp", cp, SweepWorker.class.getName(), "--cluster",
                        key.name(), "--interface", "127.0.0.1", "--port", "" + port, "--members", "127.0.0.1");
                pb.environment().put(ClusterKey.SECRET_ENV, key.secret());
                workers.add(pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            List<SweepTask.Row> rows = SweepRunner.runOnCluster(s, key, "127.0.0.1", port, List.of("127.0.0.1"), 2,
                    d -> { });
            assertEquals(SweepRunner.results(SweepRunner.runSerial(s, d -> { })), SweepRunner.results(rows));
        } finally {
            for (Process p : workers) {
                p.destroy();
            }
            for (Process p : workers) {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void aHundredPointGridOnTwoLocalWorkersEqualsTheRunsOneByOne() throws Exception {
        SweepSpec s = SweepSpec.parse(GRID, "grid");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort() > 60000 ? 46000 : free.getLocalPort();
        }
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<SweepTask.Row> cluster = SweepRunner.runLocalCluster(s, 2, port, cp, d -> { });
        List<SweepTask.Row> serial = SweepRunner.runSerial(s, d -> { });
        assertEquals(100, cluster.size());
        assertEquals(SweepRunner.results(serial), SweepRunner.results(cluster));
        Set<String> checksums = cluster.stream().map(r -> r.columns().get("checksum")).collect(Collectors.toSet());
        assertTrue(checksums.size() > 90, "the points differ: " + checksums.size() + " distinct checksums");
        String csv = SweepRunner.csv(cluster);
        assertEquals(101, csv.split("\n").length);
        assertTrue(csv.startsWith("point,experiment,neurons,p,duration,backend,device,read,seed,spikes,rate_hz,"
                + "checksum,energy_nj,wall_s"), csv.substring(0, 120));
    }
}

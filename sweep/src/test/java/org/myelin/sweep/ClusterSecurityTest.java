package org.myelin.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;

/** The sweep cluster on loopback: who may join, where it listens, and what it refuses to deserialize. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterSecurityTest {
    @TempDir
    Path dir;

    /** A stand-in for a deserialization gadget: its readObject leaves a file behind when it runs. */
    static final class Gadget implements Callable<String>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String marker;

        Gadget(Path marker) {
            this.marker = marker.toString();
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            Files.writeString(Path.of(marker), "deserialized");
        }

        @Override
        public String call() {
            return "ran";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() > 60000 ? 45000 : s.getLocalPort();
        }
    }

    @Test
    void aMemberWithAWrongSecretCannotJoinAndGetsNoWork() throws Exception {
        int port = freePort();
        ClusterKey right = new ClusterKey("security-test", ClusterKey.newSecret());
        ClusterKey wrong = new ClusterKey("security-test", ClusterKey.newSecret());
        assertNotEquals(right.hazelcastName(), wrong.hazelcastName());
        assertFalse(right.hazelcastName().contains(right.secret()), "the secret itself is not sent");
        HazelcastInstance worker = HazelcastCluster.start(right, null, port, List.of("127.0.0.1"), false, 1);
        try {
            SweepSpec spec = SweepSpec.parse("neurons = 100\nduration = 0.01\ngrid.seed = 1..2\n", "t");
            MyelinException e = assertThrows(MyelinException.class, () -> SweepRunner.runOnCluster(spec, wrong, null,
                    port, List.of("127.0.0.1"), 1, d -> { }, 8));
            assertTrue(e.getMessage().contains("0 of 1 workers joined"), e.getMessage());
            assertEquals(1, worker.getCluster().getMembers().size(), "the worker's cluster stays alone");
            // the same driver with the right secret joins and gets the rows
            List<SweepTask.Row> rows = SweepRunner.runOnCluster(spec, right, null, port, List.of("127.0.0.1"), 1,
                    d -> { }, 60);
            assertEquals(SweepRunner.results(SweepRunner.runSerial(spec, d -> { })), SweepRunner.results(rows));
        } finally {
            worker.shutdown();
        }
    }

    @Test
    void aSerializedJavaObjectIsRefusedBeforeAnyOfItsCodeRuns() throws Exception {
        Path marker = dir.resolve("gadget-ran");
        // the bytes an attacker would send: a Java-serialized object in Hazelcast's framing
        InternalSerializationService plain = new DefaultSerializationServiceBuilder().build();
        Data crafted = plain.toData(new Gadget(marker));
        plain.toObject(crafted);
        assertTrue(Files.exists(marker), "without the filter the gadget's code runs (the control)");
        Files.delete(marker);

        int port = freePort();
        ClusterKey key = new ClusterKey("security-test", ClusterKey.newSecret());
        HazelcastInstance worker = HazelcastCluster.start(key, null, port, List.of("127.0.0.1"), false, 1);
        HazelcastInstance driver = HazelcastCluster.start(key, null, port, List.of("127.0.0.1"), true, 1);
        try {
            com.hazelcast.internal.serialization.SerializationService local = ((SerializationServiceSupport) worker).getSerializationService();
            Exception refused = assertThrows(Exception.class, () -> local.toObject(crafted));
            assertTrue(String.valueOf(refused.getMessage()).contains("not allowed")
                    || String.valueOf(refused.getCause()).contains("not allowed"), refused.toString());
            assertFalse(Files.exists(marker), "the worker did not run the object's readObject");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (driver.getCluster().getMembers().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Member target = worker.getCluster().getLocalMember();
            Future<String> f = driver.getExecutorService(HazelcastCluster.EXECUTOR).submitToMember(new Gadget(marker),
                    target);
            // the worker refuses it and says so (its error answer is itself Java-serialized, and admitted)
            ExecutionException sent = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertTrue(String.valueOf(sent.getCause()).contains("is not allowed"), String.valueOf(sent.getCause()));
            assertFalse(Files.exists(marker), "a Java object sent over the cluster is not deserialized");
            // plain-data points still run
            Future<SweepMessageFactory.RowMessage> ok = driver.getExecutorService(HazelcastCluster.EXECUTOR)
                    .submitToMember(new SweepMessageFactory.PointTask(0, Map.of("neurons", "100", "duration",
                            "0.01")), target);
            SweepMessageFactory.RowMessage row = ok.get(60, TimeUnit.SECONDS);
            assertEquals(null, row.error());
            assertEquals("100", row.row().columns().get("neurons"));
        } finally {
            driver.shutdown();
            worker.shutdown();
        }
    }

    @Test
    void pointMessagesAreBoundedAndTheirKeysAllowListed() {
        InternalSerializationService s = new DefaultSerializationServiceBuilder()
                .addDataSerializableFactory(SweepMessageFactory.FACTORY_ID, new SweepMessageFactory()).build();
        SweepMessageFactory.PointTask back = s.toObject(s.toData(new SweepMessageFactory.PointTask(3,
                Map.of("neurons", "100"))));
        assertEquals("100", back.call().row().columns().get("neurons"));
        Data unknown = s.toData(new SweepMessageFactory.PointTask(3, Map.of("rm -rf", "/")));
        Exception e = assertThrows(Exception.class, () -> s.toObject(unknown));
        assertTrue(String.valueOf(e.getMessage()).contains("unknown key 'rm -rf'")
                || String.valueOf(e.getCause()).contains("unknown key 'rm -rf'"), e.toString());
        SweepMessageFactory.RowMessage failed = new SweepMessageFactory.PointTask(0, Map.of("read", "0.1")).call();
        assertTrue(failed.error().contains("needs backend = memristor"), failed.error());
    }

    @Test
    void aMemberListensOnLoopbackOnlyUnlessAnAddressIsGiven() throws Exception {
        int port = freePort();
        HazelcastInstance worker = HazelcastCluster.start(new ClusterKey("security-test", ClusterKey.newSecret()), null,
                port, List.of("127.0.0.1"), false, 1);
        try {
            InetSocketAddress at = worker.getCluster().getLocalMember().getSocketAddress();
            assertTrue(at.getAddress().isLoopbackAddress(), at.toString());
            List<InetAddress> others = new ArrayList<>();
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        others.add(a);
                    }
                }
            }
            for (InetAddress a : others) {
                try (Socket s = new Socket()) {
                    assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(a, at.getPort()), 2000),
                            "the member's port is not reachable on " + a.getHostAddress());
                }
            }
        } finally {
            worker.shutdown();
        }
    }
}

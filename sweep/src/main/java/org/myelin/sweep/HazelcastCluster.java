package org.myelin.sweep;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import org.myelin.core.MyelinException;

/**
 * The Hazelcast configuration every sweep process uses: a cluster whose name is derived from a {@link ClusterKey}
 * (a member without the secret cannot join), joined over TCP/IP to a given member list (no multicast, no cloud
 * discovery, no phone-home), listening on one interface only (loopback unless an address is given), an executor
 * {@value #EXECUTOR} with one task at a time per worker thread, and Hazelcast's own logging off.
 *
 * <p>No Java deserialization of the sweep's data: points and rows are plain data ({@link SweepMessageFactory}), and
 * Hazelcast's Java serialization filter admits only what Hazelcast's own error answers are made of ({@link
 * #JAVA_CLASSES}: exceptions, their stack traces and suppressed lists, and Hazelcast's classes), so that a member
 * learns why a remote call failed instead of waiting for it to time out. Any other class in a serialized Java object
 * sent to a member is refused before any of its code runs.
 */
final class HazelcastCluster {
    static final String EXECUTOR = "myelin-sweep";
    /** The address members listen on when none is given. */
    static final String LOOPBACK = "127.0.0.1";
    /**
     * The Java classes a member may deserialize, by exact name: the exceptions (and what a Throwable is made of) that
     * Hazelcast sends back in its error answers. Arrays other than of stack trace elements, collections other than a
     * Throwable's suppressed list, and every class of the JDK or the class path not named here are refused.
     */
    static final java.util.List<String> JAVA_CLASSES = java.util.List.of("java.lang.Throwable", "java.lang.Exception",
            "java.lang.RuntimeException", "java.lang.Error", "java.lang.IllegalStateException",
            "java.lang.IllegalArgumentException", "java.lang.NullPointerException", "java.lang.SecurityException",
            "java.lang.UnsupportedOperationException", "java.lang.InterruptedException", "java.lang.OutOfMemoryError",
            "java.lang.StackOverflowError", "java.lang.StackTraceElement", "[Ljava.lang.StackTraceElement;",
            "java.io.IOException", "java.io.UncheckedIOException", "java.util.concurrent.ExecutionException",
            "java.util.concurrent.CancellationException", "java.util.concurrent.TimeoutException",
            "java.util.concurrent.RejectedExecutionException", "java.util.Collections$EmptyList",
            "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableList",
            "java.util.ArrayList", "org.myelin.core.MyelinException");
    /** Hazelcast's own classes (its exceptions), but not the third-party libraries it bundles. */
    private static final String HAZELCAST = "com.hazelcast.";
    private static final String HAZELCAST_BUNDLED = "com.hazelcast.shaded.";

    private HazelcastCluster() {
    }

    /**
     * A member of the cluster {@code key} listening on {@code interfaceAddress} (loopback when null):{@code port} (and
     * up to 19 ports above it when taken), joining {@code members} ("host:port", or "host" for the ports port .. port
     * + 19); {@code lite}: a driver that submits but runs no tasks; {@code poolSize}: tasks a worker runs at once.
     */
    static HazelcastInstance start(ClusterKey key, String interfaceAddress, int port, List<String> members, boolean lite,
                                   int poolSize) {
        String bind = interfaceAddress == null ? LOOPBACK : interfaceAddress;
        try {
            return Hazelcast.newHazelcastInstance(config(key, bind, port, members, lite, poolSize));
        } catch (RuntimeException e) {
            throw new MyelinException("sweep: cannot start a Hazelcast member on " + bind + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    static Config config(ClusterKey key, String bind, int port, List<String> members, boolean lite, int poolSize) {
        if (port < 1 || port > 65535 - 19) {
            throw new MyelinException("sweep: --port must be in [1, 65516], was " + port);
        }
        System.setProperty("hazelcast.logging.type", "none");
        Config cfg = new Config();
        cfg.setClusterName(key.hazelcastName());
        cfg.setInstanceName(key.name() + (lite ? "-driver-" : "-worker-") + ProcessHandle.current().pid() + "-"
                + System.nanoTime() % 1_000_000);
        cfg.setLiteMember(lite);
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        cfg.setProperty("hazelcast.logging.type", "none");
        // listen on the chosen interface only (by default Hazelcast binds the wildcard address whatever the interface)
        cfg.setProperty("hazelcast.socket.bind.any", "false");
        // join at once (by default a member waits 5 s for others before it forms or joins a cluster)
        cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
        cfg.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(true).setPortCount(20);
        net.getInterfaces().setEnabled(true).addInterface(bind);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        cfg.getExecutorConfig(EXECUTOR).setPoolSize(Math.max(1, poolSize));
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        filter.getWhitelist().addClasses(JAVA_CLASSES.toArray(new String[0])).addPrefixes(HAZELCAST);
        filter.getBlacklist().addPrefixes(HAZELCAST_BUNDLED);
        cfg.getSerializationConfig().setJavaSerializationFilterConfig(filter)
                .addDataSerializableFactory(SweepMessageFactory.FACTORY_ID, new SweepMessageFactory());
        return cfg;
    }
}

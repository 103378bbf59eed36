package org.myelin.sweep;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import org.myelin.core.MyelinException;

/**
 * The Hazelcast configuration every sweep process uses: a named cluster joined over TCP/IP to a given member list (no
 * multicast, no cloud discovery, no phone-home), an executor {@value #EXECUTOR} with one task at a time per worker
 * thread, and Hazelcast's own logging off.
 */
final class HazelcastCluster {
    static final String EXECUTOR = "myelin-sweep";

    private HazelcastCluster() {
    }

    /**
     * A member of cluster {@code name} listening on {@code interfaceAddress}:{@code port} (and up to 20 ports above it
     * when taken), joining {@code members} ("host:port", or "host" for the ports port .. port + 19); {@code lite}: a driver that submits but
     * runs no tasks; {@code poolSize}: tasks a worker runs at once.
     */
    static HazelcastInstance start(String name, String interfaceAddress, int port, List<String> members, boolean lite,
                                   int poolSize) {
        System.setProperty("hazelcast.logging.type", "none");
        Config cfg = new Config();
        cfg.setClusterName(name);
        cfg.setInstanceName(name + (lite ? "-driver-" : "-worker-") + ProcessHandle.current().pid());
        cfg.setLiteMember(lite);
        cfg.setProperty("hazelcast.phone.home.enabled", "false");
        cfg.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        cfg.setProperty("hazelcast.logging.type", "none");
        // join at once (by default a member waits 5 s for others before it forms or joins a cluster)
        cfg.setProperty("hazelcast.wait.seconds.before.join", "0");
        cfg.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        NetworkConfig net = cfg.getNetworkConfig();
        net.setPort(port).setPortAutoIncrement(true).setPortCount(20);
        if (interfaceAddress != null) {
            net.getInterfaces().setEnabled(true).addInterface(interfaceAddress);
        }
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        cfg.getExecutorConfig(EXECUTOR).setPoolSize(Math.max(1, poolSize));
        try {
            return Hazelcast.newHazelcastInstance(cfg);
        } catch (RuntimeException e) {
            throw new MyelinException("sweep: cannot start a Hazelcast member on " + interfaceAddress + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }
}

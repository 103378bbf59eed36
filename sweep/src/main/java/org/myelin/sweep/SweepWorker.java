package org.myelin.sweep;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.myelin.core.MyelinException;

/**
 * A sweep worker: joins the cluster and runs the points the driver sends until the cluster or the process is shut
 * down. Start one per machine (or several), then point {@code myelin sweep --members} at them with the same cluster
 * name and secret:
 *
 * <pre>
 *   export MYELIN_SWEEP_SECRET=...   # or --secret-file FILE; without either the first worker makes one and prints it
 *   java -cp myelin.jar org.myelin.sweep.SweepWorker --cluster NAME --interface 10.0.0.5 --port 5701 \
 *        --members 10.0.0.5:5701,10.0.0.6:5701
 * </pre>
 * A worker listens on loopback unless {@code --interface} names this machine's address on the cluster's network.
 */
public final class SweepWorker {
    private static final String USAGE = "usage: SweepWorker [--cluster NAME] [--secret-file FILE] [--interface ADDRESS]"
            + " [--port P] [--threads T] [--members host[:port],...]; the secret is read from --secret-file or "
            + ClusterKey.SECRET_ENV;

    private SweepWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        try {
            run(args);
        } catch (MyelinException e) {
            System.err.println("sweep worker: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws InterruptedException {
        String cluster = null;
        Path secretFile = null;
        String bind = null;
        int port = 5701;
        int threads = 1;
        String members = HazelcastCluster.LOOPBACK;
        if (args.length % 2 != 0) {
            throw new MyelinException("missing value after " + args[args.length - 1] + "; " + USAGE);
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--cluster" -> cluster = v;
                case "--secret-file" -> secretFile = Path.of(v);
                case "--interface" -> bind = v;
                case "--port" -> port = number(args[i], v);
                case "--threads" -> threads = number(args[i], v);
                case "--members" -> members = v;
                default -> throw new MyelinException("unknown option " + args[i] + "; " + USAGE);
            }
        }
        if (threads < 1 || threads > 1024) {
            throw new MyelinException("--threads must be in [1, 1024], was " + threads);
        }
        boolean newName = cluster == null;
        String secret = ClusterKey.secretFrom(secretFile, System.getenv());
        boolean newSecret = secret == null;
        ClusterKey key = new ClusterKey(newName ? ClusterKey.newName() : cluster,
                newSecret ? ClusterKey.newSecret() : secret);
        HazelcastInstance hz = HazelcastCluster.start(key, bind, port, Arrays.asList(members.split(",")), false,
                threads);
        CountDownLatch down = new CountDownLatch(1);
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                down.countDown();
            }
        });
        System.out.println("sweep worker " + hz.getCluster().getLocalMember().getAddress() + " joined cluster '"
                + key.name() + "'" + (newName ? " (a new name)" : ""));
        if (newSecret) {
            System.out.println("  no secret was given; this one was made: " + ClusterKey.SECRET_ENV + "="
                    + key.secret() + "  (give it to the other workers and the driver)");
        }
        System.out.flush();
        down.await();
    }

    private static int number(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new MyelinException(option + " must be an integer, was '" + v + "'");
        }
    }
}

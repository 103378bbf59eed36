package org.myelin.sweep;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * A sweep worker: joins the cluster and runs the points the driver sends until the cluster or the process is shut
 * down. Start one per machine (or several), then point {@code myelin sweep --members} at them:
 *
 * <pre>
 *   java -cp myelin.jar org.myelin.sweep.SweepWorker --cluster NAME --port 5701 --members host1:5701,host2:5701
 * </pre>
 */
public final class SweepWorker {
    private SweepWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        String cluster = "myelin";
        String bind = null;
        int port = 5701;
        int threads = 1;
        String members = "127.0.0.1";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cluster" -> cluster = args[i + 1];
                case "--interface" -> bind = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--members" -> members = args[i + 1];
                default -> {
                    System.err.println("unknown option " + args[i] + "; usage: SweepWorker [--cluster NAME]"
                            + " [--interface ADDRESS] [--port P] [--threads T] [--members host[:port],...]");
                    System.exit(2);
                }
            }
        }
        HazelcastInstance hz = HazelcastCluster.start(cluster, bind, port, Arrays.asList(members.split(",")), false,
                threads);
        CountDownLatch down = new CountDownLatch(1);
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                down.countDown();
            }
        });
        System.out.println("sweep worker " + hz.getCluster().getLocalMember().getAddress() + " joined cluster '"
                + cluster + "'");
        System.out.flush();
        down.await();
    }
}

package org.myelin.learning.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import org.myelin.core.MyelinException;

/**
 * Splits the heavy loops of sim-learning over worker threads. Every kernel that uses it computes each output
 * value in one thread, in a fixed order, so results do not depend on the number of threads.
 */
public final class Parallel {
    /** The body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static int threads = Runtime.getRuntime().availableProcessors();
    private static ForkJoinPool pool;

    private Parallel() {
    }

    /** Worker threads for the kernels; 1 runs everything on the calling thread. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new MyelinException("threads must be >= 1, was " + n);
        }
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    public static synchronized int threads() {
        return threads;
    }

    private static synchronized ForkJoinPool pool() {
        if (pool == null) {
            pool = new ForkJoinPool(threads, p -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setDaemon(true);
                t.setName("myelin-learning-" + t.getPoolIndex());
                return t;
            }, null, false);
        }
        return pool;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks of at least
     * {@code minChunk} items each.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int t = threads();
        int chunks = Math.max(1, Math.min(t, n / Math.max(1, minChunk)));
        if (chunks == 1 || n <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks];
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks[c] = new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            };
        }
        ForkJoinPool p = pool();
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == p) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            p.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    ForkJoinTask.invokeAll(tasks);
                }
            });
        }
    }
}

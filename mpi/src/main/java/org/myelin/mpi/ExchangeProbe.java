package org.myelin.mpi;

import java.util.Arrays;
import org.myelin.core.io.Json;

/**
 * The cost of one spike all-gather without a simulation around it: {@code --calls} all-gathers of {@code --ints} ints
 * per rank, timed one by one on rank 0 (median and 90th percentile), after a warm-up. What a window costs when no
 * rank is waiting for a slower one.
 *
 * <pre>
 *   mpirun -np 2 java -cp myelin.jar org.myelin.mpi.ExchangeProbe --ints 40 --calls 20000
 * </pre>
 */
public final class ExchangeProbe {
    private ExchangeProbe() {
    }

    public static void main(String[] args) {
        int ints = 40;
        int calls = 20_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--ints" -> ints = Integer.parseInt(args[i + 1]);
                case "--calls" -> calls = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("usage: ExchangeProbe [--ints N] [--calls N]");
                    System.exit(2);
                }
            }
        }
        MpiExchange x = new MpiExchange();
        int[] block = new int[ints];
        Arrays.fill(block, x.rank());
        for (int k = 0; k < calls / 10; k++) {
            x.allGather(block, ints);
        }
        x.barrier();
        long[] ns = new long[calls];
        long t0 = System.nanoTime();
        for (int k = 0; k < calls; k++) {
            long a = System.nanoTime();
            x.allGather(block, ints);
            ns[k] = System.nanoTime() - a;
        }
        double total = (System.nanoTime() - t0) * 1e-9;
        Arrays.sort(ns);
        if (x.rank() == 0) {
            System.out.println(Json.object().put("ranks", x.size()).put("ints_per_rank", ints).put("calls", calls)
                    .put("median_us", ns[calls / 2] / 1e3).put("p90_us", ns[calls * 9 / 10] / 1e3)
                    .put("calls_per_s", calls / total)
                    .put("mpi", Mpi.libraryVersion().split("[,\n]")[0].strip()));
        }
        Mpi.finalizeMpi();
    }
}

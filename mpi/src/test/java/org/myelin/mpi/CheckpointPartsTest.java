package org.myelin.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.backend.cpu.LocalExchange;
import org.myelin.core.MyelinException;

/**
 * A resumed distributed run takes the parts of one run only (the ranks are threads of this JVM through
 * {@link LocalExchange}, so this runs without Open MPI).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CheckpointPartsTest {
    private static final DistributedRun.Spec SPEC = new DistributedRun.Spec("cuba", 400, 0.02, 1, 7, 10, 50);

    @TempDir
    Path dir;

    /** Every rank's result, index = rank; the first failure of any rank is thrown. */
    private static List<DistributedRun.Result> job(int ranks, Path save, Path resume) throws Exception {
        if (save != null) {
            Files.createDirectories(save);
        }
        LocalExchange[] group = LocalExchange.group(ranks);
        ExecutorService pool = Executors.newFixedThreadPool(ranks);
        try {
            List<Future<DistributedRun.Result>> futures = new ArrayList<>();
            for (int r = 0; r < ranks; r++) {
                LocalExchange x = group[r];
                futures.add(pool.submit(() -> {
                    try {
                        return DistributedRun.run(SPEC, x, null, save, resume);
                    } catch (RuntimeException e) {
                        x.abort();
                        throw e;
                    }
                }));
            }
            List<DistributedRun.Result> out = new ArrayList<>();
            for (Future<DistributedRun.Result> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The message of rank 0's refusal. */
    private static String refusal(int ranks, Path resume) throws Exception {
        LocalExchange[] group = LocalExchange.group(ranks);
        ExecutorService pool = Executors.newFixedThreadPool(ranks);
        try {
            List<Future<DistributedRun.Result>> futures = new ArrayList<>();
            for (int r = 0; r < ranks; r++) {
                LocalExchange x = group[r];
                futures.add(pool.submit(() -> DistributedRun.run(SPEC, x, null, null, resume)));
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> futures.get(0).get(60, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof MyelinException, e.getCause().toString());
            for (Future<DistributedRun.Result> f : futures) {
                assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS), "every rank refuses");
            }
            return e.getCause().getMessage();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameRunsPartsResume() throws Exception {
        Path a = dir.resolve("a");
        job(2, a, null);
        List<DistributedRun.Result> resumed = job(2, null, a);
        assertEquals(2, resumed.get(0).ranks());
    }

    @Test
    void partsOfTwoRunsMixedTogetherAreRefusedNamingTheFiles() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        job(2, a, null);
        job(2, b, null);
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(a.resolve("rank-0.ckpt"), mixed.resolve("rank-0.ckpt"));
        Files.copy(b.resolve("rank-1.ckpt"), mixed.resolve("rank-1.ckpt"));
        String m = refusal(2, mixed);
        assertTrue(m.contains("the parts are of different runs") && m.contains("rank-0.ckpt: run ")
                && m.contains("rank-1.ckpt: run ") && m.contains(mixed.toString()), m);
    }

    @Test
    void partsOfAnotherRankCountAreRefused() throws Exception {
        Path four = dir.resolve("four");
        job(4, four, null);
        String m = refusal(2, four);
        assertTrue(m.contains("rank-3.ckpt") && m.contains("for ranks this job of 2 does not have")
                && m.contains("written by a job of 4 ranks; this job has 2"), m);
        // a 2-rank run saved over a 4-rank run's folder leaves its rank-2 and rank-3 behind
        job(2, four, null);
        m = refusal(2, four);
        assertTrue(m.contains("up to rank-3.ckpt") && !m.contains("different runs"), m);
        Files.delete(four.resolve("rank-2.ckpt"));
        Files.delete(four.resolve("rank-3.ckpt"));
        assertEquals(2, job(2, null, four).get(0).ranks());
    }

    @Test
    void aPartInTheWrongFileOrMissingIsRefused() throws Exception {
        Path a = dir.resolve("a");
        job(2, a, null);
        Files.move(a.resolve("rank-1.ckpt"), a.resolve("rank-0.ckpt"), StandardCopyOption.REPLACE_EXISTING);
        String m = refusal(2, a);
        assertTrue(m.contains("rank-0.ckpt was written by rank 1") && m.contains("rank-1.ckpt is missing"), m);
    }

    @Test
    void aMissingFolderIsOneLineBeforeMpiStarts() {
        MyelinException e = assertThrows(MyelinException.class,
                () -> CheckpointParts.requireFolder(dir.resolve("nonexistent")));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = DistributedRun.runUnderMpi(SPEC, System.out, new java.io.PrintStream(err, true), null,
                dir.resolve("nonexistent"));
        assertEquals(2, code);
        String text = err.toString();
        assertEquals(1, text.strip().lines().count(), text);
        assertTrue(text.contains("no such folder") && !text.contains("\tat "), text);
    }
}

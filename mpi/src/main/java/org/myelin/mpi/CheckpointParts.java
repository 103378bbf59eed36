package org.myelin.mpi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.myelin.backend.cpu.SpikeExchange;
import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;

/**
 * The parts of a distributed run's checkpoint, one per rank ({@code DIR/rank-R.ckpt}), and the check that a resumed
 * job takes parts of one run only. Each part carries a section {@value #SECTION}: the run's id (random, the same on
 * every rank of the run that wrote it, as two ints high and low), the rank that wrote it and the number of ranks. A
 * resumed job refuses a folder whose parts differ in run id, rank count or step, a part whose rank is not its
 * file's, a missing part, and parts of ranks the job does not have; the message names the files and what differs.
 */
public final class CheckpointParts {
    /** The section that records a part's run, rank and rank count. */
    public static final String SECTION = "run";
    private static final Pattern PART = Pattern.compile("rank-(\\d{1,9})\\.ckpt");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Per rank in the gathered table: status, run id, ranks in the file, rank in the file, step. */
    private static final int FIELDS = 5;
    private static final int OK = 1;
    private static final int MISSING = 2;
    private static final int UNREADABLE = 3;
    private static final int UNTAGGED = 4;

    private CheckpointParts() {
    }

    /** Where rank r keeps its part of a checkpoint in folder {@code dir}. */
    public static Path part(Path dir, int rank) {
        return dir.resolve("rank-" + rank + ".ckpt");
    }

    /** A fresh run id, agreed on by every rank (collective): rank 0 draws it. */
    public static long newRunId(SpikeExchange exchange) {
        long mine = exchange.rank() == 0 ? RANDOM.nextLong() : 0;
        return exchange.allReduceSum(new long[] {mine})[0];
    }

    /** Records run {@code runId}, {@code rank} and {@code ranks} in a part. */
    public static Checkpoint tag(Checkpoint part, long runId, int rank, int ranks) {
        return part.put(SECTION, new int[] {(int) (runId >>> 32), (int) runId, rank, ranks});
    }

    /** Checks, before anything starts, that {@code dir} is a folder that holds a part for rank 0. */
    public static void requireFolder(Path dir) {
        if (!Files.exists(dir)) {
            throw new MyelinException("--resume " + dir + ": no such folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new MyelinException("--resume " + dir + ": not a folder (give the folder that --save wrote the"
                    + " rank-R.ckpt parts into)");
        }
        if (!Files.exists(part(dir, 0))) {
            throw new MyelinException("--resume " + dir + ": no rank-0.ckpt in it (is it the folder --save wrote?)");
        }
    }

    /**
     * Reads this rank's part of {@code dir} and checks with the other ranks (collective) that the parts are of one
     * run with as many ranks as this job; returns this rank's part.
     */
    public static Checkpoint readChecked(Path dir, SpikeExchange exchange) {
        int rank = exchange.rank();
        int ranks = exchange.size();
        long[] table = new long[FIELDS * ranks + 2];
        Checkpoint mine = null;
        String localError = null;
        Path file = part(dir, rank);
        int at = FIELDS * rank;
        if (!Files.exists(file)) {
            table[at] = MISSING;
        } else {
            try {
                mine = Checkpoint.read(file);
                if (!mine.has(SECTION)) {
                    table[at] = UNTAGGED;
                } else {
                    int[] run = mine.ints(SECTION, 4);
                    table[at] = OK;
                    table[at + 1] = ((long) run[0] << 32) | (run[1] & 0xffffffffL);
                    table[at + 2] = run[3];
                    table[at + 3] = run[2];
                    table[at + 4] = mine.step();
                }
            } catch (RuntimeException e) {
                table[at] = UNREADABLE;
                localError = e.getMessage();
            }
        }
        if (rank == 0) {
            long[] extra = extraParts(dir, ranks);
            table[FIELDS * ranks] = extra[0];
            table[FIELDS * ranks + 1] = extra[1];
        }
        long[] all = exchange.allReduceSum(table);
        String verdict = verdict(dir, all, ranks);
        if (verdict != null) {
            throw new MyelinException(localError != null ? part(dir, rank) + ": " + localError + "; " + verdict
                    : verdict);
        }
        return mine;
    }

    /** Parts in {@code dir} for ranks this job does not have: {count, highest rank}. */
    private static long[] extraParts(Path dir, int ranks) {
        long count = 0;
        long highest = -1;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Matcher m = PART.matcher(p.getFileName().toString());
                if (m.matches()) {
                    long r = Long.parseLong(m.group(1));
                    if (r >= ranks) {
                        count++;
                        highest = Math.max(highest, r);
                    }
                }
            }
        } catch (IOException e) {
            throw new MyelinException("--resume " + dir + ": cannot list the folder: " + e.getMessage(), e);
        }
        return new long[] {count, highest};
    }

    /**
     * What is wrong with the parts described by the gathered {@code table} (per rank: status, run id, ranks, rank,
     * step; then the count and highest rank of parts beyond the job's ranks), or null when they are one run's.
     */
    static String verdict(Path dir, long[] table, int ranks) {
        String where = "--resume " + dir + ": ";
        List<String> problems = new ArrayList<>();
        for (int r = 0; r < ranks; r++) {
            int at = FIELDS * r;
            String name = "rank-" + r + ".ckpt";
            switch ((int) table[at]) {
                case MISSING -> problems.add(name + " is missing");
                case UNREADABLE -> problems.add(name + " cannot be read");
                case UNTAGGED -> problems.add(name + " records no run id (written before parts recorded their run;"
                        + " save it again)");
                default -> {
                    if (table[at + 3] != r) {
                        problems.add(name + " was written by rank " + table[at + 3]);
                    }
                }
            }
        }
        long extra = table[FIELDS * ranks];
        if (extra > 0) {
            problems.add("it also holds " + extra + " part(s) up to rank-" + table[FIELDS * ranks + 1]
                    + ".ckpt, for ranks this job of " + ranks + " does not have");
        }
        java.util.LinkedHashMap<String, List<Integer>> runs = new java.util.LinkedHashMap<>();
        for (int r = 0; r < ranks; r++) {
            int at = FIELDS * r;
            if (table[at] == OK) {
                String key = String.format(Locale.ROOT, "run %016x of %d ranks at step %d", table[at + 1], table[at + 2],
                        table[at + 4]);
                runs.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
        }
        if (runs.size() > 1) {
            StringBuilder sb = new StringBuilder("the parts are of different runs:");
            String sep = " ";
            for (var e : runs.entrySet()) {
                sb.append(sep).append(files(e.getValue())).append(": ").append(e.getKey());
                sep = "; ";
            }
            problems.add(sb.toString());
        } else if (runs.size() == 1) {
            int r = runs.values().iterator().next().get(0);
            long written = table[FIELDS * r + 2];
            if (written != ranks) {
                problems.add("the parts were written by a job of " + written + " ranks; this job has " + ranks
                        + " (resume with mpirun -np " + written + ")");
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        return where + String.join("; ", problems) + " (every part must come from one --save of a job with as many"
                + " ranks)";
    }

    private static String files(List<Integer> ranks) {
        List<String> names = new ArrayList<>();
        for (int r : ranks) {
            names.add("rank-" + r + ".ckpt");
        }
        return String.join(", ", names);
    }
}

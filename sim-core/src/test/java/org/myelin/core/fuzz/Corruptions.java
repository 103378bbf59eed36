package org.myelin.core.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated corruptions of valid files, one per seed, so that a failing case is replayed from its seed alone:
 * truncation, bit flips, length-field edits (a 2, 4 or 8-byte field of either byte order set to zero, -1, a huge or
 * a small value, or nudged by one), splices of two fixtures, deleted and duplicated ranges, random bytes.
 */
public final class Corruptions {
    private Corruptions() {
    }

    /** The seed of a case that no seed makes (a truncation sweep, a committed input): replay it from its file. */
    public static final long NO_SEED = Long.MIN_VALUE;

    /** One corrupted input and what was done to get it. */
    public record Case(long seed, String description, byte[] bytes) {
    }

    private static final long[] FIELD_VALUES = {0, 1, -1, 0x7FFFFFFFL, 0x80000000L, 0xFFFFL, 0x7FFFL, 0x10000L,
        Long.MAX_VALUE, Long.MIN_VALUE, 1L << 31, 1L << 40, 255, 256};

    /** The case of {@code seed} over {@code fixtures} (the first fixture is corrupted, the others are splice partners). */
    public static Case of(long seed, List<byte[]> fixtures) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] base = fixtures.get(r.nextInt(fixtures.size()));
        int kind = r.nextInt(10);
        return switch (kind) {
            case 0, 1 -> truncate(seed, base, r);
            case 2 -> flip(seed, base, r);
            case 3, 4, 5 -> field(seed, base, r);
            case 6 -> splice(seed, base, fixtures.get(r.nextInt(fixtures.size())), r);
            case 7 -> delete(seed, base, r);
            case 8 -> duplicate(seed, base, r);
            default -> multiple(seed, base, r);
        };
    }

    /** Every truncation of {@code base} (at most {@code max} of them, evenly spread) in a list of cases. */
    public static List<Case> truncations(byte[] base, int max) {
        int n = base.length;
        int step = Math.max(1, n / Math.max(1, max));
        java.util.ArrayList<Case> out = new java.util.ArrayList<>();
        for (int at = 0; at < n; at += step) {
            out.add(new Case(NO_SEED, "truncated to " + at + " of " + n + " bytes", Arrays.copyOf(base, at)));
        }
        return out;
    }

    private static Case truncate(long seed, byte[] base, SplittableRandom r) {
        int at = base.length == 0 ? 0 : r.nextInt(base.length);
        return new Case(seed, "truncated to " + at + " of " + base.length + " bytes", Arrays.copyOf(base, at));
    }

    private static Case flip(long seed, byte[] base, SplittableRandom r) {
        byte[] b = base.clone();
        int flips = 1 + r.nextInt(4);
        StringBuilder d = new StringBuilder("bit flips at");
        for (int i = 0; i < flips && b.length > 0; i++) {
            int at = r.nextInt(b.length);
            int bit = r.nextInt(8);
            b[at] ^= (byte) (1 << bit);
            d.append(' ').append(at).append('.').append(bit);
        }
        return new Case(seed, d.toString(), b);
    }

    private static Case field(long seed, byte[] base, SplittableRandom r) {
        byte[] b = base.clone();
        int width = new int[] {2, 4, 4, 8}[r.nextInt(4)];
        if (b.length < width) {
            return flip(seed, base, r);
        }
        int at = r.nextInt(b.length - width + 1);
        if (r.nextInt(3) == 0) {
            at &= ~(width - 1);
        }
        ByteOrder order = r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer bb = ByteBuffer.wrap(b).order(order);
        long old = width == 2 ? bb.getShort(at) : width == 4 ? bb.getInt(at) : bb.getLong(at);
        long v = switch (r.nextInt(4)) {
            case 0 -> FIELD_VALUES[r.nextInt(FIELD_VALUES.length)];
            case 1 -> old + (r.nextBoolean() ? 1 : -1);
            case 2 -> old * (2 + r.nextInt(1000));
            default -> r.nextLong();
        };
        switch (width) {
            case 2 -> bb.putShort(at, (short) v);
            case 4 -> bb.putInt(at, (int) v);
            default -> bb.putLong(at, v);
        }
        return new Case(seed, width + "-byte " + (order == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian field at "
                + at + " set from " + old + " to " + v, b);
    }

    private static Case splice(long seed, byte[] a, byte[] other, SplittableRandom r) {
        int cutA = a.length == 0 ? 0 : r.nextInt(a.length + 1);
        int cutB = other.length == 0 ? 0 : r.nextInt(other.length + 1);
        byte[] b = new byte[cutA + other.length - cutB];
        System.arraycopy(a, 0, b, 0, cutA);
        System.arraycopy(other, cutB, b, cutA, other.length - cutB);
        return new Case(seed, "splice of bytes [0, " + cutA + ") of one fixture and [" + cutB + ", " + other.length
                + ") of another", b);
    }

    private static Case delete(long seed, byte[] base, SplittableRandom r) {
        if (base.length < 2) {
            return truncate(seed, base, r);
        }
        int from = r.nextInt(base.length);
        int len = 1 + r.nextInt(Math.min(64, base.length - from));
        byte[] b = new byte[base.length - len];
        System.arraycopy(base, 0, b, 0, from);
        System.arraycopy(base, from + len, b, from, base.length - from - len);
        return new Case(seed, "bytes [" + from + ", " + (from + len) + ") deleted", b);
    }

    private static Case duplicate(long seed, byte[] base, SplittableRandom r) {
        if (base.length < 2) {
            return flip(seed, base, r);
        }
        int from = r.nextInt(base.length);
        int len = 1 + r.nextInt(Math.min(64, base.length - from));
        byte[] b = new byte[base.length + len];
        System.arraycopy(base, 0, b, 0, from + len);
        System.arraycopy(base, from, b, from + len, base.length - from);
        return new Case(seed, "bytes [" + from + ", " + (from + len) + ") repeated", b);
    }

    private static Case multiple(long seed, byte[] base, SplittableRandom r) {
        byte[] b = base.clone();
        int n = 1 + r.nextInt(16);
        for (int i = 0; i < n && b.length > 0; i++) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return new Case(seed, n + " random bytes overwritten", b);
    }
}

package org.myelin.sweep;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The only objects a sweep cluster exchanges, as plain data: a point to run ({@link PointTask}, class id
 * {@value #POINT}) and its row ({@link RowMessage}, class id {@value #ROW}), both under factory id
 * {@value #FACTORY_ID}. This is the allow-list: any other class id of this factory is refused, and Java
 * serialization is off in every member ({@link HazelcastCluster}).
 *
 * <p>Layout (Hazelcast's {@code ObjectDataOutput}, big-endian): a point is {@code int index, int n, n x (String key,
 * String value)} with keys from {@link SweepSpec}'s and the crossbar's; a row is {@code int index, int n, n x
 * (String column, String value), double wallSeconds, String error} (error null when the point ran). Every count
 * and length is bounded before anything is kept.
 */
final class SweepMessageFactory implements DataSerializableFactory {
    static final int FACTORY_ID = 0x4D79;
    static final int POINT = 1;
    static final int ROW = 2;
    private static final int MAX_ENTRIES = 64;
    private static final int MAX_KEY = 64;
    private static final int MAX_VALUE = 1024;
    private static final Set<String> RESULT_COLUMNS = Set.of("spikes", "rate_hz", "checksum", "energy_nj");

    @Override
    public IdentifiedDataSerializable create(int classId) {
        return switch (classId) {
            case POINT -> new PointTask();
            case ROW -> new RowMessage();
            default -> null;
        };
    }

    private static void writeMap(ObjectDataOutput out, Map<String, String> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            out.writeString(e.getKey());
            out.writeString(e.getValue());
        }
    }

    private static Map<String, String> readMap(ObjectDataInput in, String what, boolean results) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ENTRIES) {
            throw new IOException("sweep message: " + what + " has " + n + " entries, expected 0 to " + MAX_ENTRIES);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < n; k++) {
            String key = in.readString();
            String value = in.readString();
            if (key == null || value == null || key.length() > MAX_KEY || value.length() > MAX_VALUE) {
                throw new IOException("sweep message: " + what + " entry " + k + " is null or too long (keys up to "
                        + MAX_KEY + ", values up to " + MAX_VALUE + " characters)");
            }
            if (!SweepSpec.KEYS.contains(key) && !SweepTask.CROSSBAR_KEYS.contains(key)
                    && !(results && RESULT_COLUMNS.contains(key))) {
                throw new IOException("sweep message: " + what + " has unknown key '" + key + "'");
            }
            m.put(key, value);
        }
        return m;
    }

    /** One point, sent to a worker; it runs the point there and answers its row, or the error as text. */
    static final class PointTask implements Callable<RowMessage>, IdentifiedDataSerializable {
        private int index;
        private Map<String, String> point;

        PointTask() {
        }

        PointTask(int index, Map<String, String> point) {
            this.index = index;
            this.point = new LinkedHashMap<>(point);
        }

        @Override
        public RowMessage call() {
            try {
                return new RowMessage(new SweepTask(index, point).call(), null);
            } catch (RuntimeException e) {
                String m = e.getMessage();
                return new RowMessage(new SweepTask.Row(index, Map.of(), 0), e.getClass().getSimpleName()
                        + (m == null ? "" : ": " + m));
            }
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return POINT;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeInt(index);
            writeMap(out, point);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            index = in.readInt();
            if (index < 0) {
                throw new IOException("sweep message: point index must be >= 0, was " + index);
            }
            point = readMap(in, "point " + index, false);
        }
    }

    /** A worker's answer: the row, or why the point failed. */
    static final class RowMessage implements IdentifiedDataSerializable {
        private SweepTask.Row row;
        private String error;

        RowMessage() {
        }

        RowMessage(SweepTask.Row row, String error) {
            this.row = row;
            this.error = error;
        }

        SweepTask.Row row() {
            return row;
        }

        /** Why the point failed on the worker, or null. */
        String error() {
            return error;
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return ROW;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeInt(row.index());
            writeMap(out, row.columns());
            out.writeDouble(row.wallSeconds());
            out.writeString(error == null ? null : error.length() > MAX_VALUE ? error.substring(0, MAX_VALUE) : error);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            int index = in.readInt();
            if (index < 0) {
                throw new IOException("sweep message: row index must be >= 0, was " + index);
            }
            Map<String, String> columns = readMap(in, "row " + index, true);
            double wall = in.readDouble();
            error = in.readString();
            if (error != null && error.length() > MAX_VALUE) {
                throw new IOException("sweep message: row " + index + "'s error has " + error.length()
                        + " characters, expected at most " + MAX_VALUE);
            }
            row = new SweepTask.Row(index, columns, wall);
        }
    }
}

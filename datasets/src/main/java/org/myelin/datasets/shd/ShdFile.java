package org.myelin.datasets.shd;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.file.Path;
import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.hdf5.Hdf5Access;

/**
 * An SHD file (Cramer et al. 2020): {@code /spikes/times} (variable-length float32, seconds),
 * {@code /spikes/units} (variable-length uint16, 0..699) and {@code /labels} (uint16, 0..19). A sample is an
 * {@link EventStream} of 700 x 1 "pixels": x is the cochlea channel, y 0, polarity 1, time in microseconds.
 *
 * <p>jhdf reads a variable-length dataset whole, so the spike columns are loaded once, on the first sample;
 * SHD's files (a few hundred MB) fit in memory.
 */
public final class ShdFile implements AutoCloseable {
    public static final int CHANNELS = 700;

    private final Path path;
    private final HdfFile hdf;
    private final int[] labels;
    private Object[] times;
    private Object[] units;

    private ShdFile(Path path, HdfFile hdf, int[] labels) {
        this.path = path;
        this.hdf = hdf;
        this.labels = labels;
    }

    public static ShdFile open(Path path) {
        HdfFile hdf = Hdf5Access.open(path);
        try {
            Object l = Hdf5Access.data(dataset(hdf, path, "/labels"), path, "/labels");
            if (!(l instanceof int[] labels)) {
                throw new MyelinException(path + ": HDF5 path /labels must hold unsigned 16-bit integers, holds "
                        + l.getClass().getSimpleName());
            }
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0) {
                    throw new MyelinException(path + ": /labels[" + i + "] is " + labels[i] + ", expected 0 or more");
                }
            }
            return new ShdFile(path, hdf, labels);
        } catch (RuntimeException e) {
            hdf.close();
            throw e;
        }
    }

    private static Dataset dataset(HdfFile hdf, Path path, String name) {
        return Hdf5Access.dataset(hdf, path, name, "; an SHD file has /spikes/times, /spikes/units and /labels");
    }

    public int samples() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i];
    }

    /** The spikes of sample {@code i}, in file order (SHD's are time-ordered). */
    public EventStream sample(int i) {
        if (i < 0 || i >= labels.length) {
            throw new MyelinException(path + ": sample " + i + " does not exist; the file has " + labels.length);
        }
        if (times == null) {
            Object t = Hdf5Access.data(dataset(hdf, path, "/spikes/times"), path, "/spikes/times");
            Object u = Hdf5Access.data(dataset(hdf, path, "/spikes/units"), path, "/spikes/units");
            if (!(t instanceof Object[] ta) || !(u instanceof Object[] ua)) {
                throw new MyelinException(path + ": /spikes/times and /spikes/units must be variable-length datasets");
            }
            if (ta.length != labels.length || ua.length != labels.length) {
                throw new MyelinException(path + ": /spikes/times has " + ta.length + " samples, /spikes/units "
                        + ua.length + ", /labels " + labels.length);
            }
            times = ta;
            units = ua;
        }
        if (!(times[i] instanceof float[] t) || !(units[i] instanceof int[] u)) {
            throw new MyelinException(path + ": sample " + i + ": expected float32 times and uint16 units");
        }
        if (t.length != u.length) {
            throw new MyelinException(path + ": sample " + i + ": /spikes/times has " + t.length + " values, /spikes/units "
                    + u.length);
        }
        EventStream s = new EventStream(CHANNELS, 1, t.length);
        for (int k = 0; k < t.length; k++) {
            if (u[k] < 0 || u[k] >= CHANNELS) {
                throw new MyelinException(path + ": sample " + i + ", spike " + k + ": unit " + u[k]
                        + " is outside 0.." + (CHANNELS - 1));
            }
            if (!(t[k] >= 0) || t[k] > 1e9) {
                throw new MyelinException(path + ": sample " + i + ", spike " + k + ": time " + t[k]
                        + " s is not a finite time of 0 or more");
            }
            s.add(Math.round(t[k] * 1e6), u[k], 0, 1);
        }
        return s.requireTimeOrder(path + ": sample " + i);
    }

    @Override
    public void close() {
        hdf.close();
    }
}

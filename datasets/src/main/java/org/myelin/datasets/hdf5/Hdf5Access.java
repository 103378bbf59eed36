package org.myelin.datasets.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.nio.file.Path;
import org.myelin.core.MyelinException;

/** The jhdf calls the dataset readers share. */
public final class Hdf5Access {
    private Hdf5Access() {
    }

    /** Opens {@code path} read-only; a file that is not HDF5 is refused naming it. */
    public static HdfFile open(Path path) {
        try {
            return new HdfFile(path);
        } catch (HdfException | IllegalArgumentException e) {
            throw new MyelinException(path + ": not a readable HDF5 file: " + e.getMessage(), e);
        }
    }

    /** The dataset at {@code name}; {@code hint} is appended to the error when it is missing. */
    public static Dataset dataset(HdfFile hdf, Path path, String name, String hint) {
        Node n;
        try {
            n = hdf.getByPath(name);
        } catch (HdfException e) {
            throw new MyelinException(path + ": HDF5 path " + name + " is missing" + hint);
        }
        if (!(n instanceof Dataset d)) {
            throw new MyelinException(path + ": HDF5 path " + name + " is not a dataset");
        }
        return d;
    }
}

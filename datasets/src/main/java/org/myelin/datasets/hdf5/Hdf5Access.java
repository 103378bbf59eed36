package org.myelin.datasets.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.myelin.core.MyelinException;

/**
 * The jhdf calls the dataset readers share. jhdf believes what a file says, so a damaged file surfaces as any of its
 * runtime exceptions, or as a huge allocation when a size field is damaged: every call here turns the first into a
 * one-line MyelinException naming the file, and {@link #data} checks a dataset's declared size against the file's
 * before reading it.
 */
public final class Hdf5Access {
    private Hdf5Access() {
    }

    /** Opens {@code path} read-only; a file that is not HDF5 is refused naming it. */
    public static HdfFile open(Path path) {
        try {
            return new HdfFile(path);
        } catch (MyelinException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new MyelinException(path + ": not a readable HDF5 file: " + reason(e), e);
        }
    }

    /** The dataset at {@code name}; {@code hint} is appended to the error when it is missing. */
    public static Dataset dataset(HdfFile hdf, Path path, String name, String hint) {
        Node n;
        try {
            n = hdf.getByPath(name);
        } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
            throw new MyelinException(path + ": HDF5 path " + name + " is missing" + hint);
        } catch (MyelinException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new MyelinException(path + ": damaged HDF5 content at " + name + ": " + reason(e), e);
        }
        if (!(n instanceof Dataset d)) {
            throw new MyelinException(path + ": HDF5 path " + name + " is not a dataset");
        }
        return d;
    }

    /**
     * The data of dataset {@code name}, after checking that the file can hold what it declares (stored as is: the
     * file's size; compressed: a thousand times it, about deflate's best ratio; variable-length: 16 bytes an element).
     */
    public static Object data(Dataset d, Path path, String name) {
        try {
            long fileBytes = Files.size(path);
            long elements = d.getSize();
            long bytes = d.getSizeInBytes();
            boolean filtered = !d.getFilters().isEmpty();
            long limit = filtered ? fileBytes * 1000 : fileBytes;
            // a variable-length element is at least a 16-byte global heap reference in the file
            boolean tooMany = d.isVariableLength() ? elements > fileBytes / 16 : bytes > limit;
            if (elements < 0 || elements > Integer.MAX_VALUE - 8 || bytes < 0 || tooMany) {
                throw new MyelinException(path + ": dataset " + name + " declares " + elements + " values (" + bytes
                        + " bytes), more than the " + fileBytes + "-byte file can hold"
                        + (filtered ? " even compressed 1000:1" : ""));
            }
            // the storage the layout declares is read in one piece: a damaged size must not allocate gigabytes
            long storage = d.getStorageInBytes();
            if (!filtered && (storage < 0 || storage > fileBytes)) {
                throw new MyelinException(path + ": dataset " + name + " declares " + storage + " bytes of storage,"
                        + " more than the " + fileBytes + "-byte file holds");
            }
            Object data = d.getData();
            if (data == null) {
                throw new MyelinException(path + ": dataset " + name + " holds no data");
            }
            return data;
        } catch (IOException e) {
            throw new MyelinException("cannot read " + path + ": " + e.getMessage(), e);
        } catch (MyelinException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new MyelinException(path + ": damaged HDF5 content in dataset " + name + ": " + reason(e), e);
        }
    }

    /** An exception from the HDF5 library as one line: its type and message. */
    public static String reason(Throwable e) {
        String m = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s+", " ").strip();
        if (m.length() > 300) {
            m = m.substring(0, 300) + "...";
        }
        return e.getClass().getSimpleName() + m;
    }
}

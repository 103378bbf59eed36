package org.myelin.mpi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.myelin.core.MyelinException;

/**
 * Open MPI from Java: a thin JNI binding ({@code src/main/c/myelin_mpi.c}, built by this module with {@code mpicc}
 * when Open MPI's headers are installed) to the collectives a distributed network needs. The library is taken from
 * {@code -Dmyelin.mpi.library=PATH} or from this jar. Calls must come from the thread that called {@link #init}.
 */
public final class Mpi {
    /** Where the build puts the binding inside the jar. */
    static final String RESOURCE = "/org/myelin/mpi/native/libmyelinmpi-linux-x86_64.so";
    private static boolean loaded;
    private static boolean initialized;
    private static boolean finished;

    private Mpi() {
    }

    /** Whether this build carries the binding (it was built where {@code mpicc} was installed). */
    public static boolean bindingBuilt() {
        return System.getProperty("myelin.mpi.library") != null || Mpi.class.getResource(RESOURCE) != null;
    }

    /** Whether this process was started by {@code mpirun} (Open MPI's launcher sets OMPI_COMM_WORLD_SIZE). */
    public static boolean launchedByMpirun() {
        return System.getenv("OMPI_COMM_WORLD_SIZE") != null;
    }

    private static synchronized void load() {
        if (loaded) {
            return;
        }
        String explicit = System.getProperty("myelin.mpi.library");
        if (explicit != null) {
            System.load(Path.of(explicit).toAbsolutePath().toString());
            loaded = true;
            return;
        }
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new MyelinException("the MPI binding is built for linux-x86_64 only; this is " + os + "-" + arch
                    + " (build it with mpicc and pass -Dmyelin.mpi.library=PATH)");
        }
        try (InputStream in = Mpi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new MyelinException("this build of Myelin has no MPI binding: it is compiled only where Open MPI's"
                        + " headers and mpicc are installed (Debian: apt-get install openmpi-bin libopenmpi-dev), then"
                        + " rebuild (mvn -pl mpi -am install)");
            }
            Path tmp = Files.createTempFile("libmyelinmpi", ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            System.load(tmp.toString());
            loaded = true;
        } catch (IOException e) {
            throw new MyelinException("cannot unpack the MPI binding: " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError e) {
            throw new MyelinException("cannot load the MPI binding (is Open MPI's libmpi.so.40 installed? Debian:"
                    + " apt-get install openmpi-bin): " + e.getMessage(), e);
        }
    }

    /**
     * Initializes MPI once per process (the calling thread becomes the one that may call MPI) and finalizes it at
     * exit. Run under {@code mpirun}; a plain {@code java} start is a world of one rank.
     */
    public static synchronized void init() {
        if (initialized) {
            return;
        }
        if (finished) {
            throw new MyelinException("MPI was finalized in this process; it cannot be initialized again");
        }
        load();
        initialize();
        initialized = true;
    }

    /** Finalizes MPI (every rank must call it; later calls do nothing). */
    public static synchronized void finalizeMpi() {
        if (initialized && !finished) {
            finish();
            finished = true;
        }
    }

    static void requireInit() {
        if (!initialized || finished) {
            throw new MyelinException("MPI is not initialized in this process (call Mpi.init() first)");
        }
    }

    private static native int initialize();

    static native int rank();

    static native int size();

    static native int[] allGather(int[] block, int length, int[] lengths);

    static native long[] allReduceSum(long[] values);

    static native long[] allReduceMin(long[] values);

    static native long[] allReduceMax(long[] values);

    static native void barrier();

    /** The MPI library's version string. */
    public static String libraryVersion() {
        requireInit();
        return library();
    }

    /** The name of the machine this rank runs on. */
    public static String hostName() {
        requireInit();
        return host();
    }

    private static native String library();

    private static native String host();

    private static native void finish();

    /** Ends every rank of the job with {@code code}. */
    public static void abortAll(int code) {
        requireInit();
        abort(code);
    }

    private static native void abort(int code);
}

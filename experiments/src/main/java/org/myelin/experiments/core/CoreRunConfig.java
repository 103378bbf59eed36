package org.myelin.experiments.core;

import java.nio.file.Path;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.EngineMode;
import org.myelin.learning.train.Encoding;

/**
 * A model file run on a core backend.
 *
 * @param model     the model file ({@code myelin train mlp --save} or {@code train l2mu --save})
 * @param data      MLP: {@code fashion-mnist} or a folder of IDX files (its t10k- split, or the last fifth of a single
 *                  images/labels pair, as {@code train mlp} tests on); L2MU: {@code synthetic-har} or {@code
 *                  wisdm:FOLDER} (the test subjects' windows, as {@code train l2mu} tests on)
 * @param backend   the backend's name ({@code cpu}, {@code reference}, {@code memristor}, {@code opencl}, ...)
 * @param mode      the engine mode the backend is asked for
 * @param threads   worker threads of the backend (0: the backend chooses)
 * @param testLimit at most this many test samples (MLP: the first ones; L2MU: evenly spaced, as training does)
 * @param seed      null for the model's own seed (training's), else the seed of the rate coding (MLP) or of the
 *                  synthetic data (L2MU)
 * @param timeSteps MLP: null for the steps the model file records, else steps per sample
 * @param encoding  MLP: null for the encoding the model file records, else direct or rate
 * @param subjects  L2MU, synthetic-har: subjects generated (as {@code train l2mu --subjects})
 * @param seconds   L2MU, synthetic-har: seconds per activity (as {@code train l2mu --seconds})
 */
public record CoreRunConfig(Path model, String data, String backend, EngineMode mode, int threads, int testLimit,
                            Long seed, Integer timeSteps, Encoding encoding, int subjects, int seconds) {
    /** Checks the counts. */
    public CoreRunConfig {
        if (model == null || data == null || backend == null || mode == null) {
            throw new MyelinException("core run: model, data, backend and mode must be given");
        }
        if (testLimit < 1 || threads < 0 || subjects < 2 || seconds < 1) {
            throw new MyelinException("core run: test limit >= 1, threads >= 0, subjects >= 2 and seconds >= 1, were "
                    + testLimit + ", " + threads + ", " + subjects + ", " + seconds);
        }
        if (timeSteps != null && timeSteps < 1) {
            throw new MyelinException("core run: time steps must be >= 1, was " + timeSteps);
        }
    }

    /** {@code model} on {@code data}, cpu clock, one thread, every test sample, the file's own settings. */
    public static CoreRunConfig of(Path model, String data) {
        return new CoreRunConfig(model, data, "cpu", EngineMode.CLOCK, 1, Integer.MAX_VALUE, null, null, null, 20, 60);
    }

    /** The same run on {@code backend} in {@code mode}. */
    public CoreRunConfig on(String backend, EngineMode mode) {
        return new CoreRunConfig(model, data, backend, mode, threads, testLimit, seed, timeSteps, encoding, subjects,
                seconds);
    }

    /** The same run on at most {@code testLimit} samples. */
    public CoreRunConfig limit(int testLimit) {
        return new CoreRunConfig(model, data, backend, mode, threads, testLimit, seed, timeSteps, encoding, subjects,
                seconds);
    }

    /** The same run with synthetic-har of {@code subjects} subjects and {@code seconds} s per activity. */
    public CoreRunConfig synthetic(int subjects, int seconds) {
        return new CoreRunConfig(model, data, backend, mode, threads, testLimit, seed, timeSteps, encoding, subjects,
                seconds);
    }
}

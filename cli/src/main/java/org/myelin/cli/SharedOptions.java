package org.myelin.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.myelin.core.MyelinException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options every command shares, declared once: {@code --seed} ({@link Seed}) and {@code --threads}
 * ({@link Threads}), each a picocli mixin with one meaning everywhere. A command that wants other defaults than
 * seed 1 and threads 0 says so with {@link Defaults} on its class; {@link #PROVIDER}, set on the command line by
 * {@link Main#commandLine}, reads it, so that the help shows each command's own default.
 */
final class SharedOptions {
    private SharedOptions() {
    }

    /** The defaults of the shared options for the command this annotates (absent: seed 1, threads 0). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Defaults {
        /** The default of {@code --seed}. */
        long seed() default 1;

        /** The default of {@code --threads}. */
        int threads() default 0;
    }

    private static final String SEED_KEY = "myelin.shared.seed";
    private static final String THREADS_KEY = "myelin.shared.threads";

    /** Gives each shared option the default its command's {@link Defaults} names; other options keep theirs. */
    static final CommandLine.IDefaultValueProvider PROVIDER = arg -> {
        if (!(arg instanceof CommandLine.Model.OptionSpec o)
                || !(SEED_KEY.equals(o.descriptionKey()) || THREADS_KEY.equals(o.descriptionKey()))) {
            return null;
        }
        Object command = arg.command() == null ? null : arg.command().userObject();
        Defaults d = command == null ? null : command.getClass().getAnnotation(Defaults.class);
        if (SEED_KEY.equals(o.descriptionKey())) {
            return Long.toString(d == null ? 1 : d.seed());
        }
        return Integer.toString(d == null ? 0 : d.threads());
    };

    /** {@code --seed}: the seed of every random draw of the command. */
    static final class Seed {
        @Option(names = "--seed", paramLabel = "SEED", descriptionKey = SEED_KEY, defaultValue = "1",
                description = "seed of every random draw (weights, connections, inputs, data order); the same seed"
                        + " gives the same result, bit for bit (default: ${DEFAULT-VALUE})")
        long seed;

        long value() {
            return seed;
        }
    }

    /** {@code --threads}: worker threads, 0 for one per core. */
    static final class Threads {
        @Option(names = "--threads", paramLabel = "N", descriptionKey = THREADS_KEY, defaultValue = "0",
                description = "worker threads, 0 for one per core (simulations: the backend chooses); the result does"
                        + " not depend on it (default: ${DEFAULT-VALUE})")
        int threads;

        /** The threads asked for, checked to be in [0, 1024]. */
        int value() {
            return atLeast(0);
        }

        /** The threads asked for, checked to be in [{@code min}, 1024]. */
        int atLeast(int min) {
            if (threads < min || threads > 1024) {
                throw new MyelinException("--threads must be in [" + min + ", 1024], was " + threads);
            }
            return threads;
        }

        /** Sets the training code's worker threads when a number was given (0 keeps one per core). */
        void applyToTraining() {
            if (value() > 0) {
                org.myelin.learning.tensor.Parallel.setThreads(threads);
            }
        }
    }
}

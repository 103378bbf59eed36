package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.myelin.core.io.AtomicFile;
import org.myelin.core.io.Json;
import picocli.CommandLine.Option;

/**
 * {@code --json} and {@code --json-file FILE}, the same on every command that reports a result: {@code --json} prints
 * the result as one JSON object, the last line of stdout (commands whose report is short print only that line;
 * the others print their human-readable lines first); {@code
 * --json-file} writes that object to a file (atomically: readers see the previous file or the whole new one). The
 * object is written by {@link Json}, so it is valid JSON always (a number that is not finite is {@code null}).
 */
final class JsonOptions {
    @Option(names = "--json", description = "print the result as one JSON object, the last line of stdout")
    boolean json;

    @Option(names = "--json-file", paramLabel = "FILE",
            description = "write the result as one JSON object to FILE (replaced atomically)")
    Path file;

    /** Whether a JSON result was asked for, on stdout or in a file. */
    boolean wanted() {
        return json || file != null;
    }

    /** Refuses, before any work, a {@code --json-file} that cannot be written (a folder, or in a missing folder). */
    void check() {
        if (file != null) {
            NirCommand.requireFileToWrite("--json-file", file);
        }
    }

    /** Writes the file (when asked for) and prints the line (when asked for). */
    void emit(PrintWriter out, Json result) {
        String line = result.toString();
        if (file != null) {
            AtomicFile.writeString(file, line + "\n");
        }
        if (json) {
            out.println(line);
        } else if (file != null) {
            out.println("  JSON result       " + file.toAbsolutePath());
        }
        out.flush();
    }

    /** Writes {@code result} to the file only: a partial result kept while a long run goes on. */
    void keep(Json result) {
        if (file != null) {
            AtomicFile.writeString(file, result + "\n");
        }
    }
}

package org.myelin.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.myelin.core.MyelinException;

/**
 * Writes a file so that readers see either the previous file or the complete new one, never a part: the bytes go to a
 * temporary file in the same folder ({@code NAME.*.part}), are forced to the disk, and the temporary file is renamed
 * over the target ({@link StandardCopyOption#ATOMIC_MOVE}; where the file system cannot move atomically, a plain
 * replacing move). If the writer fails or the process dies before the rename, the target is untouched; a failure
 * removes the temporary file.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** What writes the new contents. */
    @FunctionalInterface
    public interface Body {
        /** Writes the whole contents to {@code out}; an exception aborts the write and keeps the previous file. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Replaces {@code file} with {@code bytes}. */
    public static void write(Path file, byte[] bytes) {
        write(file, out -> out.write(bytes));
    }

    /** Replaces {@code file} with {@code text} in UTF-8. */
    public static void writeString(Path file, CharSequence text) {
        write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code file} with what {@code body} writes. */
    public static void write(Path file, Body body) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            if (Files.isDirectory(target)) {
                throw new MyelinException("cannot write " + file + ": it is a folder");
            }
            tmp = Files.createTempFile(dir, target.getFileName().toString() + ".", ".part");
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel),
                         1 << 16)) {
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            replace(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw new MyelinException("cannot write " + file + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such folder: " + dir : e.getMessage()), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error that brought us here is the one to report
                }
            }
        }
    }

    /**
     * Moves a finished temporary file over {@code target}: atomically where the file system can, with the
     * permissions of the file it replaces, or else those of a new file (rw-r--r--, not the owner-only ones a
     * temporary file is created with). For writers that fill the temporary file themselves (e.g. HDF5 libraries).
     */
    public static void replace(Path tmp, Path target) throws IOException {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
                    ? Files.getPosixFilePermissions(target)
                    : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
            Files.setPosixFilePermissions(tmp, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

package org.myelin.datasets.emulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.myelin.core.MyelinException;
import org.myelin.datasets.audio.WavFile;

/**
 * Spoken digits synthesised with {@code espeak-ng}: the words "zero".."nine" and "oh" in several voices, speeds
 * and pitches. Each utterance gets an N-TIDIGITS-style id {@code <speaker>-<digit>}, with digit z for zero, o for
 * oh, 1..9, and speaker {@code v<voice>s<speed>p<pitch>} (indices into the lists).
 */
public final class SpokenDigits {
    public static final String[] WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "oh"};
    public static final String[] CODES = {"z", "1", "2", "3", "4", "5", "6", "7", "8", "9", "o"};

    /** One synthesised utterance. */
    public record Utterance(String id, int label, WavFile audio, int voice) {
    }

    private SpokenDigits() {
    }

    /** True when espeak-ng can be run. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Synthesises every word in every (voice, speed, pitch); {@code work} holds the temporary WAV files. */
    public static List<Utterance> synthesise(List<String> voices, int[] speeds, int[] pitches, Path work) {
        if (!available()) {
            throw new MyelinException("espeak-ng is needed to synthesise spoken digits; on Debian: apt-get install espeak-ng");
        }
        List<Utterance> out = new ArrayList<>();
        try {
            Files.createDirectories(work);
            for (int v = 0; v < voices.size(); v++) {
                for (int s = 0; s < speeds.length; s++) {
                    for (int p = 0; p < pitches.length; p++) {
                        for (int w = 0; w < WORDS.length; w++) {
                            Path wav = work.resolve("u.wav");
                            Process proc = new ProcessBuilder("espeak-ng", "-v", voices.get(v), "-s",
                                    Integer.toString(speeds[s]), "-p", Integer.toString(pitches[p]), "-w", wav.toString(),
                                    WORDS[w]).redirectErrorStream(true).start();
                            String log = new String(proc.getInputStream().readAllBytes());
                            if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                                throw new MyelinException("espeak-ng failed for voice " + voices.get(v) + ": " + log.trim());
                            }
                            String id = "v" + v + "s" + s + "p" + p + "-" + CODES[w];
                            out.add(new Utterance(id, w == 10 ? 10 : w, WavFile.read(wav), v));
                            Files.deleteIfExists(wav);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new MyelinException("spoken digits: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException("spoken digits: interrupted", e);
        }
        return out;
    }
}

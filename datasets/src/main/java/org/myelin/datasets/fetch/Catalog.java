package org.myelin.datasets.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.myelin.core.MyelinException;

/**
 * The datasets {@code myelin data fetch NAME} knows: where each file is published and the checksum published with
 * it (MD5 where that is what the publisher, torchvision or Tonic lists), and how it unpacks. A dataset lands in
 * {@code cache/NAME/}: each file is downloaded (verified, resumable) and unpacked next to it, so that the readers
 * of this module open the result.
 */
public final class Catalog {
    /** How a downloaded file is unpacked. */
    public enum Unpack {
        /** kept as it is (the readers open it directly, e.g. gzip IDX files) */
        NONE,
        /** {@code x.gz} is decompressed to {@code x} */
        GZIP,
        /** a zip archive is extracted into the dataset's folder */
        ZIP
    }

    /** One published file. {@code checksum} is null only where the publisher gives none. */
    public record Remote(URI url, String file, Checksum checksum, Unpack unpack) {
        public Remote {
            if (file == null || file.isBlank() || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
                throw new MyelinException("catalog: a file name must be a plain name, was '" + file + "'");
            }
        }
    }

    /** A dataset: its files, where their checksums come from, and which reader opens it. */
    public record Dataset(String name, String title, String source, String reader, List<Remote> files) {
        public Dataset {
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new MyelinException("catalog: dataset " + name + " has no files");
            }
        }

        /** Whether every file has a published checksum. */
        public boolean verified() {
            return files.stream().allMatch(r -> r.checksum() != null);
        }
    }

    private static final String TORCHVISION_MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    private static final String FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    private static final String MENDELEY_NMNIST = "https://data.mendeley.com/public-files/datasets/468j46mzdv/files/";
    private static final String ZENKELAB = "https://zenkelab.org/datasets/";

    private static final List<Dataset> KNOWN = List.of(
            new Dataset("mnist", "MNIST handwritten digits (IDX, 60,000 train + 10,000 test)",
                    "torchvision's mirror and MD5s", "IdxFile", List.of(
                    idx(TORCHVISION_MNIST, "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                    idx(TORCHVISION_MNIST, "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                    idx(TORCHVISION_MNIST, "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                    idx(TORCHVISION_MNIST, "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"))),
            new Dataset("fashion-mnist", "Fashion-MNIST (IDX, 60,000 train + 10,000 test)",
                    "the MD5s of the Fashion-MNIST README (Zalando Research)", "IdxFile", List.of(
                    idx(FASHION, "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                    idx(FASHION, "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                    idx(FASHION, "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                    idx(FASHION, "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"))),
            new Dataset("nmnist", "N-MNIST (ATIS saccades over MNIST, Orchard et al. 2015; Train/ and Test/ folders)",
                    "Mendeley Data 10.17632/468j46mzdv.1, MD5s as Tonic lists them", "NmnistDataset", List.of(
                    new Remote(URI.create(MENDELEY_NMNIST + "39c25547-014b-4137-a934-9d29fa53c7a0/file_downloaded"),
                            "train.zip", Checksum.md5("20959b8e626244a1b502305a9e6e2031"), Unpack.ZIP),
                    new Remote(URI.create(MENDELEY_NMNIST + "05a4d654-7e03-4c15-bdfa-9bb2bcbea494/file_downloaded"),
                            "test.zip", Checksum.md5("69ca8762b2fe404d9b9bad1103e97832"), Unpack.ZIP))),
            new Dataset("shd", "Spiking Heidelberg Digits (Cramer et al. 2020; shd_train.h5, shd_test.h5)",
                    "zenkelab.org, MD5s as Tonic lists them", "ShdFile", List.of(
                    zip(ZENKELAB, "shd_train.h5.zip", "f3252aeb598ac776c1b526422d90eecb"),
                    zip(ZENKELAB, "shd_test.h5.zip", "1503a5064faa34311c398fb0a1ed0a6f"))),
            new Dataset("ssc", "Spiking Speech Commands (Cramer et al. 2020; SHD's format, 35 classes)",
                    "zenkelab.org, MD5s as Tonic lists them", "ShdFile", List.of(
                    zip(ZENKELAB, "ssc_train.h5.zip", "d102be95e7144fcc0553d1f45ba94170"),
                    zip(ZENKELAB, "ssc_valid.h5.zip", "b4eee3516a4a90dd0c71a6ac23a8ae43"),
                    zip(ZENKELAB, "ssc_test.h5.zip", "a35ff1e9cffdd02a20eb850c17c37748"))),
            new Dataset("ntidigits", "N-TIDIGITS18 (CochleaAMS1b, Anumula et al. 2018; one HDF5 file)",
                    "the authors' Dropbox link, MD5 as Tonic lists it", "NtidigitsFile", List.of(
                    new Remote(URI.create("https://www.dropbox.com/scl/fi/1x4lxt9yyw25sc3tez8oi/n-tidigits.hdf5"
                            + "?e=2&rlkey=w8gi5udvib2zqzosusa5tr3wq&dl=1"), "n-tidigits.hdf5",
                            Checksum.md5("360a2d11e5429555c9197381cf6b58e0"), Unpack.NONE))),
            new Dataset("wisdm", "WISDM smartphone and smartwatch activity (UCI 507; raw accel/gyro text)",
                    "UCI Machine Learning Repository; UCI publishes NO checksum: fetch needs --unverified",
                    "WisdmReader", List.of(
                    new Remote(URI.create("https://archive.ics.uci.edu/static/public/507/"
                            + "wisdm+smartphone+and+smartwatch+activity+and+biometrics+dataset.zip"), "wisdm.zip", null,
                            Unpack.ZIP))));

    private Catalog() {
    }

    private static Remote idx(String base, String file, String md5) {
        return new Remote(URI.create(base + file), file, Checksum.md5(md5), Unpack.NONE);
    }

    private static Remote zip(String base, String file, String md5) {
        return new Remote(URI.create(base + file), file, Checksum.md5(md5), Unpack.ZIP);
    }

    /** Every dataset the catalogue knows, by name. */
    public static List<Dataset> datasets() {
        return KNOWN;
    }

    /** The dataset called {@code name}, or an error that lists the known names. */
    public static Dataset get(String name) {
        return KNOWN.stream().filter(d -> d.name().equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new MyelinException("no dataset '" + name + "' in the catalogue; known: "
                        + KNOWN.stream().map(Dataset::name).collect(Collectors.joining(", "))
                        + " (or give a URL with --sha256 or --md5)"));
    }

    /** Told which file is being fetched before its download starts. */
    @FunctionalInterface
    public interface Listener {
        Downloader.Progress starting(Remote remote);
    }

    /**
     * Downloads and unpacks {@code dataset} into {@code cache/name/} and returns that folder. A file without a
     * published checksum is refused unless {@code unverified}. Files already downloaded and unpacked (a marker
     * records the checksum of what was unpacked) are neither fetched nor unpacked again.
     */
    public static Path fetch(Dataset dataset, Path cache, Downloader downloader, boolean unverified, Listener listener) {
        if (!dataset.verified() && !unverified) {
            throw new MyelinException("dataset " + dataset.name() + ": " + dataset.source()
                    + " (the download would not be checked against a published digest)");
        }
        Path folder = cache.resolve(dataset.name());
        for (Remote r : dataset.files()) {
            Downloader.Progress progress = listener == null ? null : listener.starting(r);
            Path file = downloader.fetch(r.url(), r.checksum(), folder, r.file(), progress);
            try {
                unpack(r, file, folder);
            } catch (IOException e) {
                throw new MyelinException("unpacking " + file + " failed: " + e.getMessage(), e);
            }
        }
        return folder;
    }

    /** Unpacks {@code file} into {@code folder} as {@code r} says; atomic per file, idempotent. */
    static void unpack(Remote r, Path file, Path folder) throws IOException {
        if (r.unpack() == Unpack.NONE) {
            return;
        }
        // the file was verified against its published checksum just before: that checksum identifies what was
        // unpacked (a file without one is identified by its SHA-256)
        String digest = r.checksum() != null ? r.checksum().toString() : "sha256 " + Downloader.sha256(file);
        Path marker = folder.resolve("." + r.file() + ".unpacked");
        if (Files.exists(marker) && Files.readString(marker).trim().equals(digest)) {
            return;
        }
        Path work = folder.resolve("." + r.file() + ".unpacking");
        deleteTree(work);
        Files.createDirectories(work);
        if (r.unpack() == Unpack.GZIP) {
            String plain = r.file().endsWith(".gz") ? r.file().substring(0, r.file().length() - 3) : r.file() + ".out";
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
                Files.copy(in, work.resolve(plain));
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                deleteTree(work);
                throw new MyelinException(file + " is not a whole gzip file: " + e.getMessage(), e);
            }
        } else {
            extractZip(file, work);
        }
        try (Stream<Path> top = Files.list(work)) {
            for (Path p : top.toList()) {
                Path dest = folder.resolve(p.getFileName().toString());
                deleteTree(dest);
                Files.move(p, dest, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        deleteTree(work);
        Files.writeString(marker, digest + "\n");
    }

    private static void extractZip(Path file, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        long entries = 0;
        try (ZipInputStream zin = new ZipInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            ZipEntry e;
            byte[] buf = new byte[1 << 16];
            while ((e = zin.getNextEntry()) != null) {
                Path out = root.resolve(e.getName()).normalize();
                if (!out.startsWith(root) || out.equals(root)) {
                    deleteTree(into);
                    throw new MyelinException(file + ": zip entry '" + e.getName() + "' points outside the folder;"
                            + " refused");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (OutputStream os = Files.newOutputStream(out)) {
                        int n;
                        while ((n = zin.read(buf)) >= 0) {
                            os.write(buf, 0, n);
                        }
                    }
                }
                entries++;
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            deleteTree(into);
            throw new MyelinException(file + " is not a whole zip archive: " + e.getMessage(), e);
        }
        if (entries == 0) {
            deleteTree(into);
            throw new MyelinException(file + " is not a zip archive (no entries)");
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}

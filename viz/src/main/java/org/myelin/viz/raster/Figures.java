package org.myelin.viz.raster;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.myelin.core.MyelinException;
import org.myelin.core.monitor.MemorySink;
import org.myelin.core.monitor.SpikeMonitor;
import org.myelin.core.network.Network;

/** Writing figures: PNG or SVG by the file's extension. */
public final class Figures {
    private Figures() {
    }

    /** True for {@code .svg}, false for {@code .png}; any other extension is refused with a message. */
    public static boolean isSvg(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".svg")) {
            return true;
        }
        if (n.endsWith(".png")) {
            return false;
        }
        throw new MyelinException("figure " + file + ": the name must end in .png or .svg");
    }

    /** A raster of every node of {@code network} whose spikes {@code memory} recorded, in network order. */
    public static RasterImage raster(Network network, MemorySink memory) {
        RasterImage r = new RasterImage();
        for (SpikeMonitor m : recorded(network)) {
            r.add(m.node(), memory.spikes(m.name()), network.node(m.node()).size());
        }
        return r;
    }

    /** The rates of the same nodes as {@link #raster}. */
    public static RatePlot rates(Network network, MemorySink memory) {
        RatePlot r = new RatePlot();
        for (SpikeMonitor m : recorded(network)) {
            r.add(m.node(), memory.spikes(m.name()), network.node(m.node()).size());
        }
        return r;
    }

    private static java.util.List<SpikeMonitor> recorded(Network network) {
        java.util.List<SpikeMonitor> l = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (org.myelin.core.network.Node n : network.nodes()) {
            for (SpikeMonitor m : network.spikeMonitors()) {
                if (m.node().equals(n.name()) && seen.add(n.name())) {
                    l.add(m);
                }
            }
        }
        if (l.isEmpty()) {
            throw new MyelinException("no spikes recorded: the network monitors no node's spikes");
        }
        return l;
    }

    static void writePng(BufferedImage img, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new MyelinException("no PNG writer available for " + file);
            }
        } catch (IOException e) {
            throw new MyelinException("cannot write image " + file + ": " + e.getMessage(), e);
        }
    }
}

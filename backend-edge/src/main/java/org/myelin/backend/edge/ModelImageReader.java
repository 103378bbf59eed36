package org.myelin.backend.edge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.myelin.core.MyelinException;

/**
 * Decodes the sections of a checked {@link ModelImage}. The CRCs and the hash say the bytes are the ones written, not
 * that the counts in them are sane, so every count is checked against the bytes its section has before anything is
 * allocated: a crafted image is refused naming the section, the field, the value and what it allows.
 */
final class ModelImageReader {
    private static final int META = 12;
    private static final int LAYER = 32;
    private static final int LINK = 16;

    private final String source;

    private ModelImageReader(String source) {
        this.source = source;
    }

    static FixedPointNet read(byte[] img, String source) {
        try {
            return new ModelImageReader(source).decode(img);
        } catch (MyelinException e) {
            throw e.getMessage().startsWith(source) ? e : new MyelinException(source + ": " + e.getMessage(), e);
        }
    }

    private FixedPointNet decode(byte[] img) {
        Map<String, ByteBuffer> s = new LinkedHashMap<>();
        for (ModelImage.Section sec : ModelImage.check(img, source)) {
            s.put(sec.id(), ByteBuffer.wrap(img, sec.offset(), sec.length()).slice().order(ByteOrder.LITTLE_ENDIAN));
        }
        for (String id : new String[] {"META", "LAYR", "LINK", "BIAS", "WGHT"}) {
            if (!s.containsKey(id)) {
                throw fail("section " + id + " is missing; found " + s.keySet());
            }
        }
        ByteBuffer meta = s.get("META");
        if (meta.remaining() != META) {
            throw fail("section META has " + meta.remaining() + " bytes, expected " + META);
        }
        int inputs = meta.getInt();
        int layers = meta.getShort() & 0xFFFF;
        meta.getShort();
        boolean values = meta.get() != 0;
        int inputFrac = meta.get();
        int links = meta.getShort() & 0xFFFF;
        if (inputs < 1) {
            throw fail("META inputs " + (inputs & 0xFFFFFFFFL) + " must be in 1.." + Integer.MAX_VALUE);
        }
        if (layers < 1) {
            throw fail("META layers 0: an image has at least one layer");
        }
        ByteBuffer layr = s.get("LAYR");
        ByteBuffer link = s.get("LINK");
        ByteBuffer bias = s.get("BIAS");
        ByteBuffer wght = s.get("WGHT");
        size(layr, "LAYR", (long) LAYER * layers, layers + " layers of " + LAYER + " bytes");
        size(link, "LINK", (long) LINK * links, links + " links of " + LINK + " bytes");
        List<FixedPointNet.Layer> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int o = layr.getInt();
            int bits = layr.get();
            int frac = layr.get();
            int a = layr.get();
            int bb = layr.get();
            int sign = layr.get();
            boolean subtract = layr.get() != 0;
            int sa = layr.get();
            int sb = layr.get();
            int th = layr.getInt();
            double scale = layr.getDouble();
            int ss = layr.get();
            int nl = layr.get() & 0xFF;
            layr.position(layr.position() + 6);
            if (o < 1 || 4L * o > bias.remaining()) {
                throw fail("layer " + l + " size " + (o & 0xFFFFFFFFL) + " needs " + 4L * (o & 0xFFFFFFFFL)
                        + " bytes of biases, section BIAS has " + bias.remaining() + " left");
            }
            if (bits != 8 && bits != 4) {
                throw fail("layer " + l + " weight bits " + bits + ", expected 8 or 4");
            }
            if (nl * LINK > link.remaining()) {
                throw fail("layer " + l + " has " + nl + " links, section LINK has " + link.remaining() / LINK + " left");
            }
            int[] bv = new int[o];
            for (int j = 0; j < o; j++) {
                bv[j] = bias.getInt();
            }
            List<FixedPointNet.Link> ks = new ArrayList<>();
            for (int q = 0; q < nl; q++) {
                int src = link.getShort();
                boolean prev = link.get() != 0;
                link.get();
                int blocks = link.getShort() & 0xFFFF;
                link.getShort();
                int rows = link.getInt();
                int cols = link.getInt();
                String where = "layer " + l + " link " + q;
                if (blocks < 1 || rows < 1 || cols < 1 || rows % blocks != 0 || cols % blocks != 0) {
                    throw fail(where + ": " + blocks + " blocks of a " + (rows & 0xFFFFFFFFL) + " x "
                            + (cols & 0xFFFFFFFFL) + " matrix; expected positive sizes that the blocks divide");
                }
                long n = (long) (rows / blocks) * (cols / blocks);
                long bytes = ModelImage.pad4((int) Math.min(Integer.MAX_VALUE - 3, bits == 8 ? n : (n + 1) / 2));
                if (n > Integer.MAX_VALUE - 8 || bytes > wght.remaining()) {
                    throw fail(where + ": " + n + " weights of " + bits + " bits need " + (bits == 8 ? n : (n + 1) / 2)
                            + " bytes, section WGHT has " + wght.remaining() + " left");
                }
                ks.add(new FixedPointNet.Link(src, prev, rows, cols, blocks, ModelImage.getWeights(wght, bits, (int) n)));
            }
            out.add(new FixedPointNet.Layer(o, bits, frac, bv, th, a, bb, sign, subtract, scale, sa, sb,
                    ss == 0 ? 1 : ss, ks));
        }
        if (link.remaining() > 0 || bias.remaining() > 0 || wght.remaining() > 0) {
            throw fail("bytes are left over after the last layer (LINK " + link.remaining() + ", BIAS "
                    + bias.remaining() + ", WGHT " + wght.remaining() + "): the counts in META and LAYR do not"
                    + " match the sections");
        }
        return new FixedPointNet(inputs, values, inputFrac, out);
    }

    private void size(ByteBuffer b, String id, long expected, String what) {
        if (b.remaining() != expected) {
            throw fail("section " + id + " has " + b.remaining() + " bytes, META says " + what + " (" + expected + ")");
        }
    }

    private MyelinException fail(String what) {
        return new MyelinException(source + ": " + what);
    }
}

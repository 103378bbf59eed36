package org.myelin.viz.raster;

/** The colours of populations, in the order they are added (the same in the live view and in exported figures). */
public final class Palette {
    private static final int[] RGB = {0x1f77b4, 0xd62728, 0x2ca02c, 0x9467bd, 0xff7f0e, 0x8c564b, 0xe377c2, 0x17becf};

    private Palette() {
    }

    /** RGB (no alpha) of group {@code g}. */
    public static int rgb(int g) {
        return RGB[Math.floorMod(g, RGB.length)];
    }

    /** RGB of groups {@code 0..n-1}. */
    public static int[] first(int n) {
        int[] c = new int[n];
        for (int g = 0; g < n; g++) {
            c[g] = rgb(g);
        }
        return c;
    }

    /** {@code #rrggbb}, for SVG and CSS. */
    public static String hex(int rgb) {
        return String.format("#%06x", rgb & 0xFFFFFF);
    }
}

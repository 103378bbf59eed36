package org.myelin.viz.raster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.viz.live.SpikeFeed;

class RasterGridTest {

    private static long[][] randomSpikes(int n, long steps, int neurons, long seed) {
        Random r = new Random(seed);
        long[][] s = new long[n][];
        for (int i = 0; i < n; i++) {
            s[i] = new long[] {(long) (r.nextDouble() * steps), r.nextInt(neurons)};
        }
        java.util.Arrays.sort(s, (a, b) -> Long.compare(a[0], b[0]));
        return s;
    }

    @Test
    void densityBinsKeepEverySpikeInView() {
        RasterGrid g = new RasterGrid(100, 50, new int[] {800, 200}, new int[] {0x0000ff, 0xff0000});
        g.view(1000, 5000, 0, 1000);
        long[][] s = randomSpikes(20_000, 8000, 1000, 1);
        long inView = 0;
        for (long[] e : s) {
            g.add(e[0], (int) e[1]);
            if (e[0] >= 1000 && e[0] < 6000) {
                inView++;
            }
        }
        assertEquals(inView, g.total());
        long sum = 0;
        for (int t = 0; t < g.timeBins(); t++) {
            for (int b = 0; b < 50; b++) {
                sum += g.count(t, b);
            }
        }
        assertEquals(inView, sum, "every spike in view is in exactly one cell");
        long groups = 0;
        for (int t = 0; t < g.timeBins(); t++) {
            groups += g.groupCount(0, t) + g.groupCount(1, t);
        }
        assertEquals(inView, groups);
        assertEquals(1, g.group(800));
        assertEquals(0, g.group(799));
    }

    @Test
    void scrollingByColumnsEqualsBinningAfresh() {
        long[][] s = randomSpikes(30_000, 10_000, 500, 2);
        RasterGrid scrolled = new RasterGrid(200, 100, new int[] {500}, new int[] {0x00ff00});
        scrolled.view(0, 4000, 0, 500);
        int i = 0;
        for (long from = 0; from <= 6000; from += 20 * 7) {
            assertTrue(scrolled.scrollTo(from));
            while (i < s.length && s[i][0] < from + 4000) {
                scrolled.add(s[i][0], (int) s[i][1]);
                i++;
            }
            RasterGrid fresh = new RasterGrid(200, 100, new int[] {500}, new int[] {0x00ff00});
            fresh.view(from, 4000, 0, 500);
            for (long[] e : s) {
                if (e[0] < from + 4000) {
                    fresh.add(e[0], (int) e[1]);
                }
            }
            assertEquals(fresh.total(), scrolled.total(), "from " + from);
            int[] a = new int[200 * 100];
            int[] b = new int[200 * 100];
            fresh.paint(a, 200, 0, 0);
            scrolled.paint(b, 200, 0, 0);
            assertTrue(java.util.Arrays.equals(a, b), "same pixels from " + from);
        }
        assertTrue(!scrolled.scrollTo(6000 + 7), "a move of part of a column needs re-binning");
    }

    @Test
    void dotsWhenBinsAreLargerThanPixels() {
        RasterGrid g = new RasterGrid(100, 100, new int[] {10}, new int[] {0x000000});
        g.view(0, 10, 0, 10);
        g.add(3, 2);
        int[] px = new int[100 * 100];
        g.paint(px, 100, 0, 0);
        int lit = 0;
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 100; x++) {
                if (px[y * 100 + x] != RasterGrid.BACKGROUND) {
                    lit++;
                    assertTrue(x >= 30 && x < 30 + RasterGrid.MAX_DOT, "x " + x);
                    assertEquals(2, g.neuronAt(y), "row of neuron 2");
                }
            }
        }
        assertEquals(RasterGrid.MAX_DOT * RasterGrid.MAX_DOT, lit);
        assertEquals(3, g.stepAt(30));
    }

    @Test
    void badViewsAreRefused() {
        RasterGrid g = new RasterGrid(10, 10, new int[] {5}, new int[] {0});
        assertThrows(MyelinException.class, () -> g.view(0, 0, 0, 5));
        assertThrows(MyelinException.class, () -> g.view(0, 10, 0, 6));
        assertThrows(MyelinException.class, () -> new RasterGrid(0, 10, new int[] {5}, new int[] {0}));
    }

    @Test
    void aFullFeedDropsAndCountsInsteadOfBlocking() {
        var net = org.myelin.core.network.Network.builder().population("p", 3000, org.myelin.core.model.LifModel.builder()
                .build()).monitorSpikes("p").build();
        SpikeFeed feed = new SpikeFeed(net, java.util.Map.of("p", 0), 1024);
        int[] all = new int[3000];
        for (int k = 0; k < all.length; k++) {
            all[k] = k;
        }
        var monitor = net.spikeMonitors().get(0);
        feed.spikes(monitor, 5, all, 1000);
        feed.spikes(monitor, 6, all, 1000);
        assertEquals(1000 + 1000 - 1024, feed.dropped());
        assertEquals(2000, feed.offered());
        long[] seen = {0, 0};
        assertEquals(1024, feed.drain((step, n) -> {
            seen[0]++;
            seen[1] += step;
        }));
        assertEquals(1000 * 5 + 24 * 6, seen[1]);
        feed.spikes(monitor, 7, all, 3000);
        assertEquals(976 + 3000 - 1024, feed.dropped());
        assertEquals(1024, feed.drain((step, n) -> { }));
        assertEquals(0, feed.drain((step, n) -> { }));
    }
}

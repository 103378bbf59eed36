/**
 * Visualisation. Now: headless raster images (Java2D, no display needed). The JavaFX live views (raster,
 * rates, membrane traces, crossbar maps) come with the visualisation issue and will share these
 * renderers' layout.
 */
package org.myelin.viz;

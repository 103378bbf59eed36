/** Spike rasters rendered to PNG with Java2D, headless. */
package org.myelin.viz.raster;

/** Statistics of recorded spikes: rates, inter-spike-interval variability, and a checksum to compare runs. */
package org.myelin.core.analysis;

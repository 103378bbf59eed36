/** Address-event streams: (time, x, y, polarity) events held column-wise. */
package org.myelin.datasets.event;

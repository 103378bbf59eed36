/** The WISDM smartphone and smartwatch activity dataset's raw text files, windowed for training. */
package org.myelin.datasets.wisdm;

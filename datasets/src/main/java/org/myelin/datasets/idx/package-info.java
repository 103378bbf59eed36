/** The IDX format of MNIST and Fashion-MNIST (big-endian header, raw or gzip). */
package org.myelin.datasets.idx;

/** Myelin's own address-event files (binary and CSV), written and read back exactly. */
package org.myelin.datasets.aer;

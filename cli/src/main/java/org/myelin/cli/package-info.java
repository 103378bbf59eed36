/** The {@code myelin} command line: {@code demo}, {@code bench cuba}, {@code backends}. */
package org.myelin.cli;

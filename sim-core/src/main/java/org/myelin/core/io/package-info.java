/**
 * File output that must not be lost: {@link org.myelin.core.io.AtomicFile} writes beside the target and moves the
 * finished file into place, so a crash or a failure during the write leaves the previous file as it was.
 */
package org.myelin.core.io;

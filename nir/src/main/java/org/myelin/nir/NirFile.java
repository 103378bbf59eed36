package org.myelin.nir;

import java.nio.file.Path;
import java.util.List;

/**
 * A read {@code .nir} file.
 *
 * @param path     where it was read from
 * @param version  the NIR version written in it ("version" dataset), or "" when absent
 * @param graph    the top-level graph
 * @param warnings what the reader tolerated and a strict importer will not (edges naming a node that does not exist,
 *                 as some published files have), each naming the graph and the edge
 */
public record NirFile(Path path, String version, NirGraph graph, List<String> warnings) {
}

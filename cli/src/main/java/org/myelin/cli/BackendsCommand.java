package org.myelin.cli;

import java.util.concurrent.Callable;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Lists the backends on the class path. */
@Command(name = "backends", mixinStandardHelpOptions = true, description = "List the available backends.")
final class BackendsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (Backend b : Backends.available()) {
            spec.commandLine().getOut().printf("%-12s %s%n", b.name(), b.description());
        }
        return 0;
    }
}

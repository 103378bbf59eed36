package org.myelin.cli;

import java.util.concurrent.Callable;
import org.myelin.backend.opencl.OpenClDevices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the OpenCL devices, as {@code --device} selects them. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the OpenCL platforms and devices (id, name, vendor, compute units, memory).")
final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (OpenClDevices.Device d : OpenClDevices.list()) {
            spec.commandLine().getOut().println(d.describe());
        }
        return 0;
    }
}

package org.myelin.core.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.myelin.core.MyelinException;

/** Looks backends up on the class path. */
public final class Backends {
    private Backends() {
    }

    /** Every backend on the class path. */
    public static List<Backend> available() {
        List<Backend> l = new ArrayList<>();
        ServiceLoader.load(Backend.class).forEach(l::add);
        return l;
    }

    /** The backend called {@code name}; the error lists the names that exist. */
    public static Backend find(String name) {
        List<String> names = new ArrayList<>();
        for (Backend b : available()) {
            if (b.name().equals(name)) {
                return b;
            }
            names.add(b.name());
        }
        throw new MyelinException("no backend named '" + name + "'; available: " + names);
    }
}

package org.tcpjmx.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the project's files are, found from the module Maven runs the tests in (the {@code basedir}
 * property Surefire and Failsafe set, else the working directory): the project root is the topmost
 * directory of the chain of {@code pom.xml}s above it, and the shared material lives in
 * {@code ../shared} next to that root. No test names a machine path.
 */
public final class ProjectLayout {
    private ProjectLayout() {
    }

    /** The directory of the parent pom.xml (the repository root). */
    public static Path root() {
        Path module = Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
        if (!Files.isRegularFile(module.resolve("pom.xml"))) {
            throw new AssertionError("no pom.xml in " + module + ": run the tests through Maven");
        }
        Path root = module;
        while (root.getParent() != null && Files.isRegularFile(root.getParent().resolve("pom.xml"))) {
            root = root.getParent();
        }
        return root;
    }

    /** A file of the repository, by its path from the root. */
    public static Path file(String relative) {
        return root().resolve(relative);
    }

    /** {@code ../shared/RELATIVE} from the project root, which may not exist on this machine. */
    public static Path shared(String relative) {
        return root().resolveSibling("shared").resolve(relative);
    }
}

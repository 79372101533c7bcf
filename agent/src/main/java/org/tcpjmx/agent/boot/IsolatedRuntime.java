package org.tcpjmx.agent.boot;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * The agent's implementation and its dependencies (JNA, Jolokia, SLF4J) in a class loader of their
 * own. Inside an application its parent is the platform class loader, so nothing the application
 * has on its class path (its own JNA, SLF4J binding or Jolokia) is ever seen, and the application
 * never sees ours. JNA cannot be relocated (its native library binds {@code com.sun.jna} names), which
 * is why the agent isolates instead of shading.
 */
final class IsolatedRuntime implements AutoCloseable {
    private final NestedJars jars;
    private final URLClassLoader loader;

    private IsolatedRuntime(NestedJars jars, URLClassLoader loader) {
        this.jars = jars;
        this.loader = loader;
    }

    /**
     * Extracts the nested jars of {@code agentJar} and opens a loader over them.
     *
     * @param parent the platform class loader inside an application; the application class loader
     *     for the command line, where {@code jdk.attach} lives
     */
    static IsolatedRuntime open(Path agentJar, ClassLoader parent) throws IOException {
        NestedJars jars = NestedJars.extract(agentJar);
        return new IsolatedRuntime(jars, new URLClassLoader("tcpjmx-agent", jars.urls(), parent));
    }

    ClassLoader loader() {
        return loader;
    }

    Class<?> load(String className) throws ClassNotFoundException {
        return Class.forName(className, true, loader);
    }

    /** Deletes the extracted jars without closing the loader (JVM exit: Linux keeps open files readable). */
    void deleteFiles() {
        jars.delete();
    }

    /** Closes the loader's jar files and deletes the extracted copies. */
    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            // The files are deleted below whatever the loader says; Linux keeps open ones readable.
        }
        jars.delete();
    }
}

package org.tcpjmx.agent.origins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts {@code OriginHook} where {@code java.base} can call it: the bootstrap class path. Its bytes
 * come from the agent's own jar (never loaded by the agent's loader, which would make a second,
 * unseen copy), go into a one-class jar in the temp directory that the JVM keeps open, and the file
 * is deleted as soon as the class is loaded. The bootstrap loader never unloads, so a re-attach
 * finds the class already there and appends nothing.
 */
final class BootstrapHook {
    static final String NAME = OriginTransformer.HOOK.replace('/', '.');

    private BootstrapHook() {
    }

    /** The hook class in the bootstrap loader, appending it first if this JVM has none yet. */
    static Class<?> install(Instrumentation inst) throws IOException {
        Class<?> found = find();
        if (found != null) {
            return checked(found);
        }
        String resource = OriginTransformer.HOOK + ".class";
        Path jar = Files.createTempFile("tcpjmx-origins-hook-", ".jar");
        try {
            try (InputStream in = BootstrapHook.class.getClassLoader().getResourceAsStream(resource);
                 OutputStream file = Files.newOutputStream(jar);
                 JarOutputStream out = new JarOutputStream(file)) {
                if (in == null) {
                    throw new IOException(resource + " is missing from the agent jar");
                }
                out.putNextEntry(new JarEntry(resource));
                in.transferTo(out);
                out.closeEntry();
            }
            try (JarFile j = new JarFile(jar.toFile())) {
                inst.appendToBootstrapClassLoaderSearch(j);
            }
            Class<?> loaded = find();
            if (loaded == null) {
                throw new IOException("the bootstrap loader did not find " + NAME + " after appending " + jar);
            }
            return checked(loaded);
        } finally {
            Files.deleteIfExists(jar);
        }
    }

    /**
     * The hook class if it is the one the transformer calls. One that another tcpjmx version appended
     * earlier in this JVM's life (attached, detached, then this one attached) stays there for good; the
     * rewritten JDK methods would call methods it lacks.
     */
    private static Class<?> checked(Class<?> hook) throws IOException {
        try {
            if (hook.getField("sink").getType() == BiConsumer.class) {
                hook.getMethod("opened", Object.class);
                hook.getMethod("accepted", Object.class, Object.class);
                hook.getMethod("accepting", Object.class);
                return hook;
            }
        } catch (NoSuchFieldException | NoSuchMethodException e) {
            // Said below.
        }
        throw new IOException("the bootstrap loader holds an " + NAME + " of another tcpjmx version (an earlier attach);"
                + " tracking origins with this version needs a JVM restart");
    }

    /** Sets the hook's sink (null: the hook does nothing and holds nothing). */
    static void sink(Class<?> hook, BiConsumer<Object, Object> sink) {
        try {
            Field f = hook.getField("sink");
            f.set(null, sink);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the origin hook in the bootstrap loader is not this agent's: " + e, e);
        }
    }

    private static Class<?> find() {
        try {
            return Class.forName(NAME, true, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}

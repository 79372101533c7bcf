package org.tcpjmx.agent;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * Whether this JVM lets the agent's JNA call native code. JDK 17 to 23 do not restrict JNI. JDK 24+
 * (JEP 472) warn when code in an unnamed module, such as the agent's, first loads a native library,
 * unless the JVM was started with {@code --enable-native-access=ALL-UNNAMED}; under
 * {@code --illegal-native-access=deny} they refuse, and the agent reads {@code /proc} instead of netlink.
 *
 * <p>{@code Module.isNativeAccessEnabled()} (JDK 22+) turns true in "warn" mode only after the first
 * warning, so {@link #refused()} means something only after JNA tried to load.
 */
final class NativeAccess {
    private static final int FIRST_RESTRICTING_JDK = 24;

    private NativeAccess() {
    }

    /** After a JNA load was attempted: whether the JVM refused it. */
    static boolean refused() {
        return Runtime.version().feature() >= FIRST_RESTRICTING_JDK && enabled().map(e -> !e).orElse(false);
    }

    /** A sentence for the Agent MBean. */
    static String describe() {
        int feature = Runtime.version().feature();
        Optional<Boolean> enabled = enabled();
        if (feature < FIRST_RESTRICTING_JDK || enabled.isEmpty()) {
            return "allowed: JDK " + feature + " does not restrict JNI";
        }
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (args.stream().anyMatch(a -> a.startsWith("--enable-native-access") && a.contains("ALL-UNNAMED"))) {
            return "enabled (--enable-native-access=ALL-UNNAMED)";
        }
        if (enabled.get()) {
            return "allowed with a warning: JDK " + feature + " warns when JNA loads its library; start the JVM with"
                    + " --enable-native-access=ALL-UNNAMED";
        }
        if (args.contains("--illegal-native-access=deny")) {
            return "refused (--illegal-native-access=deny): the agent reads /proc instead of netlink; start the JVM with"
                    + " --enable-native-access=ALL-UNNAMED for netlink";
        }
        return "not used yet: JDK " + feature + " will warn when JNA loads its library, unless the JVM runs with"
                + " --enable-native-access=ALL-UNNAMED";
    }

    private static Optional<Boolean> enabled() {
        try {
            Method m = Module.class.getMethod("isNativeAccessEnabled");
            return Optional.of((Boolean) m.invoke(NativeAccess.class.getModule()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Before JDK 22 the method does not exist: JNI is not restricted.
            return Optional.empty();
        }
    }
}

package org.tcpjmx.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads what this process may do to the host's sockets without touching any: its effective
 * capability set ({@code /proc/self/status}), the kernel's build options ({@code /proc/config.gz}
 * or {@code /boot/config-RELEASE}), and whether JNA loads in this JVM.
 */
public final class HostCapabilityReader {
    /** Bit of CAP_NET_ADMIN in the capability masks ({@code include/uapi/linux/capability.h}). */
    static final int CAP_NET_ADMIN = 12;

    private HostCapabilityReader() {
    }

    /** Whether CAP_NET_ADMIN is in this process's effective set ({@code CapEff}). */
    public static boolean capNetAdmin() {
        return capNetAdmin(readString(Paths.get("/proc/self/status")));
    }

    /** Parses the {@code CapEff:} line of {@code /proc/PID/status}; false when it is missing or malformed. */
    public static boolean capNetAdmin(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("CapEff:")) {
                try {
                    long mask = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return (mask & (1L << CAP_NET_ADMIN)) != 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * Whether the kernel {@code release} was built with {@code CONFIG_INET_DIAG_DESTROY}; empty
     * when neither {@code /proc/config.gz} nor {@code /boot/config-RELEASE} is readable.
     */
    public static Optional<Boolean> destroyConfig(String release) {
        Path gz = Paths.get("/proc/config.gz");
        if (Files.isReadable(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                return Optional.of(hasDestroy(in));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        Path boot = Paths.get("/boot/config-" + release);
        if (Files.isReadable(boot)) {
            try (InputStream in = Files.newInputStream(boot)) {
                return Optional.of(hasDestroy(in));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Whether JNA can call native code here. When an earlier attempt to load JNA failed, its classes
     * fail to initialise again here (no new load attempt).
     */
    public static boolean nativeCallsWork() {
        try {
            Class.forName("com.sun.jna.Native", true, HostCapabilityReader.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean hasDestroy(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.equals("CONFIG_INET_DIAG_DESTROY=y")) {
                return true;
            }
        }
        return false;
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}

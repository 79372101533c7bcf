package org.tcpjmx.platform;

import java.util.Locale;
import org.tcpjmx.linux.LinuxTcpPlatform;
import org.tcpjmx.linux.SockDiagReader;
import org.tcpjmx.model.Backend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the TCP table backend for this host. */
public final class TcpPlatforms {
    /**
     * System property choosing the backend: {@code auto} (default: netlink, falling back to procfs),
     * {@code netlink} or {@code procfs}.
     */
    public static final String BACKEND_PROPERTY = "tcpjmx.backend";
    private static final Logger LOG = LoggerFactory.getLogger(TcpPlatforms.class);

    private TcpPlatforms() {
    }

    /**
     * Opens the backend the {@value #BACKEND_PROPERTY} property asks for.
     *
     * @throws IllegalArgumentException for an unknown property value
     * @throws IllegalStateException when {@code netlink} was demanded and is unavailable, or the OS is not Linux
     */
    public static TcpPlatform open() {
        return open(System.getProperty(BACKEND_PROPERTY, "auto"));
    }

    /** Opens a backend by name: {@code auto}, {@code netlink} or {@code procfs}. */
    public static TcpPlatform open(String choice) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IllegalStateException("tcpjmx reads the TCP table of Linux; this is " + os);
        }
        switch (c) {
            case "procfs":
                return new LinuxTcpPlatform(Backend.PROCFS, "procfs (/proc/net/tcp*), chosen by " + BACKEND_PROPERTY + "=procfs");
            case "netlink": {
                String failure = netlinkFailure();
                if (failure != null) {
                    throw new IllegalStateException("netlink backend demanded by " + BACKEND_PROPERTY + " but unavailable: " + failure);
                }
                return new LinuxTcpPlatform(Backend.NETLINK, "netlink (NETLINK_SOCK_DIAG)");
            }
            case "auto": {
                String failure = netlinkFailure();
                if (failure == null) {
                    return new LinuxTcpPlatform(Backend.NETLINK, "netlink (NETLINK_SOCK_DIAG)");
                }
                LOG.warn("netlink sock_diag unavailable ({}); reading /proc/net/tcp instead: no cookies, no tcp_info, no drops of other processes' sockets", failure);
                return new LinuxTcpPlatform(Backend.PROCFS, "procfs (/proc/net/tcp*) because netlink is unavailable: " + failure);
            }
            default:
                throw new IllegalArgumentException(BACKEND_PROPERTY + "='" + choice + "' is not one of auto, netlink, procfs");
        }
    }

    /** Null when a sock_diag dump works here, else why not. */
    private static String netlinkFailure() {
        try {
            SockDiagReader.probe();
            // A dump of listeners only proves tcp_diag is loaded (ENOENT otherwise) at little cost.
            new SockDiagReader().dump(org.tcpjmx.model.IpFamily.INET4, 1 << 10, 0, new byte[0], m -> { });
            return null;
        } catch (RuntimeException | LinkageError e) {
            // ExceptionInInitializerError carries no message; the cause (IllegalCallerException when a
            // JDK denies native access, UnsatisfiedLinkError without JNA's library) says why.
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }
}

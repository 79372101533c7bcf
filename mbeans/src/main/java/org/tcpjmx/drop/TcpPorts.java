package org.tcpjmx.drop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the port of a connection as tcpdrop(8) takes it: a number 1-65535 or a TCP service name
 * from {@code /etc/services} ({@code http}, {@code ssh}, ...). Port 0 is never part of a
 * connection, so it is rejected like any other out-of-range value.
 */
public final class TcpPorts {
    private static final Path SERVICES = Paths.get("/etc/services");

    private TcpPorts() {
    }

    /**
     * Parses a port.
     *
     * @param what what the port is, for the message ("local port", "foreign port")
     * @param text the user's text
     * @return the port, 1 to 65535
     * @throws IllegalArgumentException naming the text and what is valid
     */
    public static int parse(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing " + what + "; expected a number 1-65535 or a TCP service name");
        }
        String t = text.trim();
        if (t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // Compare digit strings without overflow: anything longer than five digits is out of range.
            long v = t.length() > 5 ? Long.MAX_VALUE : Long.parseLong(t);
            if (v < 1 || v > 65535) {
                throw new IllegalArgumentException(what + " '" + text + "' is out of range; a TCP port is 1-65535");
            }
            return (int) v;
        }
        Integer service = Services.TCP.get(t);
        if (service == null) {
            throw new IllegalArgumentException(what + " '" + text
                    + "' is neither a port number 1-65535 nor a TCP service name in " + SERVICES);
        }
        return service;
    }

    /** The TCP entries of /etc/services, read once. */
    private static final class Services {
        static final Map<String, Integer> TCP = read();

        private static Map<String, Integer> read() {
            Map<String, Integer> m = new HashMap<>();
            List<String> lines;
            try {
                lines = Files.readAllLines(SERVICES, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                // No services file (a minimal container): only numeric ports then.
                return Map.of();
            }
            for (String line : lines) {
                int hash = line.indexOf('#');
                String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                if (f.length < 2 || !f[1].endsWith("/tcp")) {
                    continue;
                }
                int port;
                try {
                    port = Integer.parseInt(f[1].substring(0, f[1].length() - 4));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (port < 1 || port > 65535) {
                    continue;
                }
                for (int i = 0; i < f.length; i++) {
                    if (i != 1) {
                        m.putIfAbsent(f[i], port);
                    }
                }
            }
            return Map.copyOf(m);
        }
    }
}

package org.tcpjmx.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small Jolokia reads ({@code States/CloseWait}) timed one by one: over one kept-alive connection,
 * as jolokia.js, hawtio and Python sessions send them, and over a new connection each, the peer in
 * the same run. A raw HTTP/1.1 client, so that nothing but the agent's server decides the timing.
 */
final class SmallReads {
    static final String PATH = "read/org.tcpjmx:type=States/CloseWait";
    /**
     * A small read with no kernel work (CloseWait asks the kernel for a filtered dump, whose cost
     * grows with every socket of the host): what the HTTP server, Jolokia and an MBean read cost.
     */
    static final String VERSION = "read/org.tcpjmx:type=Agent/Version";
    /** Reads before the timed ones, on the same connection (or as many connections): the JIT's, not the agent's, cost. */
    static final int WARMUP = 20;

    private SmallReads() {
    }

    /** Milliseconds of each of {@code n} GETs of {@code path} over one connection, after {@link #WARMUP} untimed ones on it. */
    static List<Double> keepAlive(URI base, String path, int n) throws IOException {
        List<Double> ms = new ArrayList<>();
        try (Socket s = connect(base)) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < WARMUP + n; i++) {
                long t0 = System.nanoTime();
                read(s.getOutputStream(), in, base, path, false);
                if (i >= WARMUP) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
        return ms;
    }

    /** Milliseconds of each of {@code n} GETs of {@code path}, each on a new connection (connect included), after {@link #WARMUP} untimed ones. */
    static List<Double> newConnections(URI base, String path, int n) throws IOException {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < WARMUP + n; i++) {
            long t0 = System.nanoTime();
            try (Socket s = connect(base)) {
                read(s.getOutputStream(), new BufferedInputStream(s.getInputStream()), base, path, true);
            }
            if (i >= WARMUP) {
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return ms;
    }

    private static Socket connect(URI base) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        s.setSoTimeout(30_000);
        s.setTcpNoDelay(true);
        return s;
    }

    private static void read(OutputStream out, InputStream in, URI base, String path, boolean close) throws IOException {
        out.write(("GET " + base.getPath() + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException(base + path + " answered " + status);
        }
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            String l = h.toLowerCase(Locale.ROOT);
            if (l.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            }
        }
        String body;
        if (chunked) {
            StringBuilder b = new StringBuilder();
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                b.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                line(in);
            }
            line(in);
            body = b.toString();
        } else {
            body = new String(length >= 0 ? in.readNBytes((int) length) : in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!body.contains("\"status\":200")) {
            throw new IOException(base + path + " answered " + body);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the agent closed the connection mid-answer");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }
}

package org.tcpjmx.drop;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.tcpjmx.model.IpAddresses;

/**
 * Turns the address argument of a drop into raw addresses. Numeric literals (IPv4, IPv6,
 * {@code [v6]}, {@code ::ffff:a.b.c.d}) are parsed without touching DNS; a host name is resolved
 * on a daemon thread with a deadline, because {@code getaddrinfo} cannot be interrupted and a dead
 * resolver would otherwise hold a JMX call (or the command line) for tens of seconds.
 */
public final class HostResolver {
    /** How long a name may take to resolve before the drop is refused. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(2500);
    /** Host names as RFC 1123 allows them, plus '_' which local resolvers accept. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})");
    /**
     * Shared by every resolver: lookups that hang past their deadline keep their thread until the
     * system resolver gives up, so the pool is bounded and refuses work rather than piling threads up.
     */
    private static final ThreadPoolExecutor LOOKUPS = new ThreadPoolExecutor(0, 8, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), daemonThreads());

    private final Duration timeout;

    /** A resolver with {@link #DEFAULT_TIMEOUT}. */
    public HostResolver() {
        this(DEFAULT_TIMEOUT);
    }

    /** A resolver that gives a name at most {@code timeout} to resolve. */
    public HostResolver(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("name resolution timeout must be positive, not " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * The addresses {@code text} stands for: one for a numeric literal (an IPv4-mapped IPv6 literal
     * stays 16 bytes), every distinct address of a host name.
     *
     * @param what which argument this is, for messages ("local address")
     * @throws IllegalArgumentException for a missing or malformed address, naming it
     * @throws AddressResolutionException for a name that does not resolve within the timeout
     */
    public List<byte[]> resolve(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing " + what + "; expected a numeric IPv4 or IPv6 address or a host name");
        }
        String t = text.trim();
        if (IpAddresses.looksNumeric(t)) {
            try {
                return List.of(IpAddresses.parseNumeric(t));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
            }
        }
        if (!HOST_NAME.matcher(t).matches()) {
            throw new IllegalArgumentException(what + " '" + text
                    + "' is neither a numeric IPv4 or IPv6 address nor a host name");
        }
        InetAddress[] found = lookUp(what, t);
        List<byte[]> out = new ArrayList<>(found.length);
        for (InetAddress a : found) {
            byte[] raw = a.getAddress();
            if (out.stream().noneMatch(o -> Arrays.equals(o, raw))) {
                out.add(raw);
            }
        }
        if (out.isEmpty()) {
            throw new AddressResolutionException(what + " '" + text + "' resolves to no address");
        }
        return out;
    }

    private InetAddress[] lookUp(String what, String name) {
        Future<InetAddress[]> f;
        try {
            f = LOOKUPS.submit(() -> InetAddress.getAllByName(name));
        } catch (RejectedExecutionException e) {
            throw new AddressResolutionException("cannot resolve " + what + " '" + name
                    + "': too many earlier name lookups are still hanging; give a numeric address");
        }
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AddressResolutionException("cannot resolve " + what + " '" + name + "' within "
                    + timeout.toMillis() + " ms (is DNS reachable?); give a numeric address");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof UnknownHostException ? "unknown host" : String.valueOf(cause);
            throw new AddressResolutionException("cannot resolve " + what + " '" + name + "': " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new AddressResolutionException("interrupted while resolving " + what + " '" + name + "'");
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tcpjmx-resolver-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

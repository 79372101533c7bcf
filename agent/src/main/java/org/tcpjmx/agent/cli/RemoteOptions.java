package org.tcpjmx.agent.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code --url URL | --pid PID [--user USER] [--password PASSWORD]} taken out of a command's
 * arguments: every remote verb takes them. {@code --pid} names a JVM of this host whose agent to
 * reach wherever it lives: its URL comes from the JVM's {@code tcpjmx.agent.url}, and for a JVM in a
 * network namespace of its own (a container) the connection is made from inside that namespace. The
 * password may also come from {@code TCPJMX_PASSWORD}, which {@code ps} does not show.
 *
 * @param url the remote agent's Jolokia URL, ending with '/'; empty: act on this host
 * @param networkOf with {@code --pid} of a JVM in a network namespace of its own: that pid, whose namespace the connection is made in
 * @param user basic auth user, empty for none
 * @param password basic auth password, empty for none
 * @param rest the other arguments, in order
 */
record RemoteOptions(Optional<URI> url, Optional<Long> networkOf, String user, String password, List<String> rest) {
    /** Environment variable holding the password for {@code --user}. */
    static final String PASSWORD_ENV = "TCPJMX_PASSWORD";

    RemoteOptions {
        rest = List.copyOf(rest);
    }

    static RemoteOptions parse(List<String> args) {
        Optional<URI> url = Optional.empty();
        String pid = null;
        String user = "";
        String password = "";
        List<String> rest = new ArrayList<>();
        boolean local = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                rest.addAll(args.subList(i, args.size()));
                break;
            }
            if (a.equals("--local")) {
                // This host's table read by the command itself, as without --url; recipes pass it explicitly.
                local = true;
                continue;
            }
            String key = a.contains("=") && a.startsWith("--") ? a.substring(0, a.indexOf('=')) : a;
            if (!key.equals("--url") && !key.equals("--pid") && !key.equals("--user") && !key.equals("--password")) {
                rest.add(a);
                continue;
            }
            String value;
            if (!key.equals(a)) {
                value = a.substring(key.length() + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(key + " needs a value");
            }
            switch (key) {
                case "--url":
                    url = Optional.of(parseUrl(value));
                    break;
                case "--pid":
                    pid = value;
                    break;
                case "--user":
                    user = value;
                    break;
                default:
                    password = value;
                    break;
            }
        }
        if (password.isEmpty() && !user.isEmpty()) {
            password = Optional.ofNullable(System.getenv(PASSWORD_ENV)).orElse("");
        }
        if (!user.isEmpty() && password.isEmpty()) {
            throw new UsageException("--user " + user + " needs a password: set " + PASSWORD_ENV + " (or give --password)");
        }
        if (pid != null && url.isPresent()) {
            throw new UsageException("--url and --pid both say where the agent is: give one");
        }
        if (local && (pid != null || url.isPresent())) {
            throw new UsageException("--local reads this host's table without an agent; it does not take --url or --pid");
        }
        if (url.isEmpty() && pid == null && !user.isEmpty()) {
            throw new UsageException("--user applies to --url or --pid only");
        }
        Optional<Long> networkOf = Optional.empty();
        if (pid != null) {
            AgentEndpoint agent = AgentEndpoint.of(pid);
            url = Optional.of(agent.url());
            networkOf = agent.networkOf();
        }
        return new RemoteOptions(url, networkOf, user, password, rest);
    }

    static URI parseUrl(String value) {
        try {
            URI u = new URI(value.endsWith("/") ? value : value + "/");
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new UsageException("--url " + value + " is not an http(s) URL such as http://127.0.0.1:8778/jolokia/");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new UsageException("--url " + value + " is not a URL: " + e.getMessage());
        }
    }

    /** The MBeans to use: through the remote agent, or in this process. */
    MBeanAccess open() {
        return url.<MBeanAccess>map(u -> new JolokiaClient(u, user, password, networkOf)).orElseGet(LocalMBeans::new);
    }
}

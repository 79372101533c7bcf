package org.tcpjmx.agent.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code --url URL [--user USER] [--password PASSWORD]} taken out of a command's arguments. The
 * password may also come from {@code TCPJMX_PASSWORD}, which {@code ps} does not show.
 *
 * @param url the remote agent's Jolokia URL, ending with '/'; empty: act on this host
 * @param user basic auth user, empty for none
 * @param password basic auth password, empty for none
 * @param rest the other arguments, in order
 */
record RemoteOptions(Optional<URI> url, String user, String password, List<String> rest) {
    /** Environment variable holding the password for {@code --user}. */
    static final String PASSWORD_ENV = "TCPJMX_PASSWORD";

    RemoteOptions {
        rest = List.copyOf(rest);
    }

    static RemoteOptions parse(List<String> args) {
        Optional<URI> url = Optional.empty();
        String user = "";
        String password = "";
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                rest.addAll(args.subList(i, args.size()));
                break;
            }
            String key = a.contains("=") && a.startsWith("--") ? a.substring(0, a.indexOf('=')) : a;
            if (!key.equals("--url") && !key.equals("--user") && !key.equals("--password")) {
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
        if (url.isEmpty() && !user.isEmpty()) {
            throw new UsageException("--user applies to --url only");
        }
        return new RemoteOptions(url, user, password, rest);
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
        return url.<MBeanAccess>map(u -> new JolokiaClient(u, user, password)).orElseGet(LocalMBeans::new);
    }
}

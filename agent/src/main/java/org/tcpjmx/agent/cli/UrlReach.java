package org.tcpjmx.agent.cli;

import org.tcpjmx.model.ProcessPlace;

/**
 * Where an agent's URL can be reached from. An agent binds in its JVM's network namespace: for a JVM in
 * a container, {@code 127.0.0.1} is the container's loopback, which this host's loopback is not.
 */
final class UrlReach {
    private UrlReach() {
    }

    /** A word for the list: {@code same} (this command's network namespace) or {@code own} (the JVM's own). */
    static String word(ProcessPlace place) {
        return place.ownNetwork() ? "own" : "same";
    }

    /** The pid for people: ours, and the one inside its PID namespace when it has one. */
    static String jvm(ProcessPlace place) {
        return "JVM " + place.pid() + (place.ownPids() ? " (pid " + place.innerPid() + " inside its container)" : "");
    }

    /** Empty for a JVM of our network namespace; else a sentence saying where {@code url} answers and how to get there. */
    static String note(ProcessPlace place, String url) {
        if (!place.ownNetwork() || url.isEmpty()) {
            return "";
        }
        return url + " is in the network namespace of JVM " + place.pid() + " (its container), not this one's: from here"
                + " use --pid " + place.pid() + " with states, table, tcpdrop (as root), or nsenter -t " + place.pid() + " -n";
    }

    /** The failure to enter a JVM's network namespace, with the other ways in. */
    static String cannotEnter(long pid, String url, String why) {
        String port = port(url);
        return "the agent of JVM " + pid + " serves " + url + " inside the JVM's own network namespace, and " + why
                + ". Run this as root, or enter the namespace yourself: nsenter -t " + pid + " -n java -jar tcpjmx-agent.jar VERB --url "
                + url + " ; in Kubernetes: kubectl port-forward pod/POD " + port + ":" + port + " and --url http://127.0.0.1:" + port
                + "/jolokia/ (see docs/kubernetes.md)";
    }

    private static String port(String url) {
        try {
            int p = java.net.URI.create(url).getPort();
            return p < 0 ? "8778" : Integer.toString(p);
        } catch (IllegalArgumentException e) {
            return "8778";
        }
    }
}

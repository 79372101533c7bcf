package org.tcpjmx.drop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tcpjmx.model.Endpoint;
import org.tcpjmx.model.TcpConnection;

/**
 * The rebalance selection rule: group the matched connections by peer (remote address), take
 * {@code round(fraction × count)} of each peer's at random, and order the whole selection at random
 * so that the peers' drops interleave. A peer is its address alone (a client with many ports is one
 * peer); an IPv4-mapped address is the IPv4 peer it maps.
 */
final class RebalanceSelection {
    private RebalanceSelection() {
    }

    /** How many of a peer's {@code count} connections {@code fraction} selects: rounded half up. */
    static int share(double fraction, int count) {
        return (int) Math.min(count, Math.round(fraction * count));
    }

    /** The peer a connection belongs to: its remote address, an IPv4-mapped one as IPv4. */
    static String peer(TcpConnection c) {
        Endpoint remote = c.remote();
        String text = remote.addressText();
        if (remote.isV4Mapped()) {
            int colon = text.lastIndexOf(':');
            return text.substring(colon + 1);
        }
        return text;
    }

    /** The selection, in the order to drop it. */
    static List<TcpConnection> select(List<TcpConnection> matched, double fraction, Random random) {
        Map<String, List<TcpConnection>> byPeer = new LinkedHashMap<>();
        for (TcpConnection c : matched) {
            byPeer.computeIfAbsent(peer(c), p -> new ArrayList<>()).add(c);
        }
        List<TcpConnection> selected = new ArrayList<>();
        for (List<TcpConnection> peer : byPeer.values()) {
            Collections.shuffle(peer, random);
            selected.addAll(peer.subList(0, share(fraction, peer.size())));
        }
        Collections.shuffle(selected, random);
        return selected;
    }
}

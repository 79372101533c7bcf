package org.tcpjmx.model;

/**
 * A process holding a socket, as {@code ss -p} shows it.
 *
 * @param pid the process id
 * @param command the process's command name
 */
public record SocketOwner(long pid, String command) {
}

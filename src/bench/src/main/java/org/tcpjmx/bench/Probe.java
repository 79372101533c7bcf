package org.tcpjmx.bench;

/**
 * One thing timed in every round.
 *
 * @param id stable key for CSV/JSON
 * @param label what a reader sees
 * @param allocation whether to count the heap bytes this thread allocates during it (our in-process calls)
 * @param action runs once; returns how many sockets it saw, or -1 when the tool does not say
 */
record Probe(String id, String label, boolean allocation, Action action) {

    /** A timed action. */
    @FunctionalInterface
    interface Action {
        long run() throws Exception;
    }
}

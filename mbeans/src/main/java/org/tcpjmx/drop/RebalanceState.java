package org.tcpjmx.drop;

/** Where a rebalance job is: dropping, or ended one of two ways. */
public enum RebalanceState {
    /** Its thread is dropping the selected connections, one at a time. */
    RUNNING,
    /** Every selected connection had its turn (dropped, gone already, or failed). */
    DONE,
    /** Stopped before every selected connection had its turn: cancelled, or the registration closed (detach). */
    CANCELLED
}

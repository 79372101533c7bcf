package org.tcpjmx.originapp;

import java.lang.instrument.Instrumentation;
import java.util.Optional;
import org.tcpjmx.agent.origins.OriginTracking;

/**
 * An agent whose jar's manifest lacks {@code Can-Retransform-Classes}: its Instrumentation cannot
 * retransform. It hands that Instrumentation to origin tracking, switches it on and prints
 * {@code REFUSED message} (or {@code TRACKING} if it was not refused), then whether tracking is on and
 * whether the origin hook reached the bootstrap class path.
 */
public final class NoRetransformAgent {
    private NoRetransformAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        OriginTracking tracking = new OriginTracking(Optional.of(inst));
        try {
            tracking.track(true);
            System.out.println("TRACKING");
        } catch (IllegalStateException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
        System.out.println("AFTER tracking=" + tracking.tracking() + " rewritten=" + tracking.rewritten() + " hook=" + hookInstalled());
    }

    private static boolean hookInstalled() {
        try {
            Class.forName("org.tcpjmx.agent.origins.hook.OriginHook", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

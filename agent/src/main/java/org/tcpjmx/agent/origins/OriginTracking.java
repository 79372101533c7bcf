package org.tcpjmx.agent.origins;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpjmx.jmx.OriginLookup;
import org.tcpjmx.model.SocketOrigin;
import org.tcpjmx.model.TcpConnection;

/**
 * Origin tracking switched on and off while the agent runs (agent option {@code trackOrigins},
 * attribute {@code Agent.TrackOrigins}). On: the hook gets the recorder, the transformer is added
 * and the JDK's connect and accept classes are retransformed. Off: the hook is emptied first, the
 * transformer removed and the classes retransformed back, which restores them as they were (other
 * agents' transformations kept), and the records are forgotten. Without an {@link Instrumentation}
 * that can retransform, switching on is refused with a message saying so and nothing changes.
 */
public final class OriginTracking implements OriginLookup, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OriginTracking.class);

    private final Optional<Instrumentation> inst;
    private final OriginRecords records;
    private OriginTransformer transformer;
    private Class<?> hook;

    /** @param inst the agent's instrumentation; empty when the agent was started without one */
    public OriginTracking(Optional<Instrumentation> inst) {
        this(inst, OriginRecords.DEFAULT_CAP);
    }

    OriginTracking(Optional<Instrumentation> inst, int cap) {
        this.inst = inst;
        this.records = new OriginRecords(cap);
    }

    /** Whether origins are recorded now. */
    @Override
    public synchronized boolean tracking() {
        return transformer != null;
    }

    /**
     * Switches tracking on or off; doing what is already so does nothing.
     *
     * @throws IllegalStateException when this JVM cannot retransform the JDK's classes, naming why;
     *     tracking stays off
     */
    public synchronized void track(boolean on) {
        if (on == tracking()) {
            return;
        }
        if (on) {
            start();
        } else {
            stop();
        }
    }

    private void start() {
        Instrumentation i = inst.orElseThrow(() -> new IllegalStateException(
                "origin tracking needs the JVM's Instrumentation, which this agent was started without; attach the agent"
                        + " (or -javaagent) to track origins"));
        if (!i.isRetransformClassesSupported()) {
            throw new IllegalStateException("this JVM refuses to retransform classes (the agent jar's manifest or the JVM lack"
                    + " Can-Retransform-Classes), so origins cannot be tracked; the agent goes on without them");
        }
        List<Class<?>> targets = targets(i);
        if (targets.isEmpty()) {
            throw new IllegalStateException("none of the JDK's socket classes " + HookedMethod.classNames()
                    + " can be retransformed in this JVM, so origins cannot be tracked");
        }
        try {
            hook = BootstrapHook.install(i);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot put the origin hook on the bootstrap class path: " + e.getMessage(), e);
        }
        OriginTransformer t = new OriginTransformer();
        records.tracking(true);
        BootstrapHook.sink(hook, records);
        i.addTransformer(t, true);
        try {
            i.retransformClasses(targets.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            BootstrapHook.sink(hook, null);
            records.tracking(false);
            i.removeTransformer(t);
            restore(i, targets);
            throw new IllegalStateException("this JVM refused to retransform the JDK's socket classes (" + e
                    + "), so origins cannot be tracked; the agent goes on without them", e);
        }
        transformer = t;
        LOG.info("origin tracking on: rewrote {}", t.rewritten());
    }

    private void stop() {
        Instrumentation i = inst.orElseThrow();
        // The hook first: from here on no socket reaches the recorder, whatever the retransform does.
        BootstrapHook.sink(hook, null);
        records.tracking(false);
        i.removeTransformer(transformer);
        transformer = null;
        restore(i, targets(i));
        records.clear();
        LOG.info("origin tracking off: the JDK's socket classes are restored");
    }

    private static void restore(Instrumentation i, List<Class<?>> targets) {
        try {
            i.retransformClasses(targets.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            // The hook is empty, so the rewritten methods call a hook that does nothing.
            LOG.warn("origin tracking: could not restore the JDK's socket classes ({}); their hook does nothing now", e.toString());
        }
    }

    private static List<Class<?>> targets(Instrumentation i) {
        List<Class<?>> out = new ArrayList<>();
        for (String name : HookedMethod.classNames()) {
            try {
                Class<?> c = Class.forName(name, false, null);
                if (i.isModifiableClass(c)) {
                    out.add(c);
                }
            } catch (ClassNotFoundException e) {
                // Another JDK or OS: that kind of socket is not covered.
            }
        }
        return out;
    }

    /** The classes rewritten now (empty when off). */
    public synchronized List<String> rewritten() {
        return transformer == null ? List.of() : List.copyOf(transformer.rewritten());
    }

    @Override
    public Optional<SocketOrigin> originOf(TcpConnection connection) {
        return records.originOf(connection);
    }

    @Override
    public String describe() {
        return records.describe();
    }

    /** Records held now. */
    public long records() {
        return records.size();
    }

    /** Sockets not recorded because the cap was reached. */
    public long notRecorded() {
        return records.notRecorded();
    }

    /** Switches tracking off (detach): afterwards the hook does nothing and holds nothing. */
    @Override
    public synchronized void close() {
        if (tracking()) {
            stop();
        }
    }
}

package org.tcpjmx.agent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tcpjmx.agent.AgentEntry;
import org.tcpjmx.agent.testing.Http;
import org.tcpjmx.agent.testing.Http.Answer;

/**
 * "A local user reads *:* from the agent of a service whose own MBeans do work in their getters":
 * Jolokia alone fetched every attribute of every MBean and only then refused the hidden ones, so the
 * service's getters ran for a client that may not see them. The agent refuses such reads before any
 * getter runs, without naming what it hides.
 */
class HiddenMBeansUntouchedTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName hidden = name("application.example:type=Expensive");
    private final Expensive expensive = new Expensive();
    private AutoCloseable agent;

    /** An application MBean whose getters count their calls. */
    public interface ExpensiveMBean {
        long getComputed();

        long getOther();
    }

    /** Counts how often its getters run. */
    public static final class Expensive implements ExpensiveMBean {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public long getComputed() {
            return calls.incrementAndGet();
        }

        @Override
        public long getOther() {
            return calls.incrementAndGet();
        }
    }

    @BeforeEach
    void register() throws Exception {
        SERVER.registerMBean(expensive, hidden);
    }

    @AfterEach
    void unregister() throws Exception {
        if (agent != null) {
            agent.close();
        }
        SERVER.unregisterMBean(hidden);
    }

    @Test
    void readsReachingHiddenMBeansAreRefusedBeforeAnyGetterRuns() throws Exception {
        agent = AgentEntry.start("port=0");
        String url = System.getProperty("tcpjmx.agent.url");
        for (String read : List.of("read/*:*", "read/application.example:*", "read/application.example:type=Expensive",
                "read/application.example:type=Expensive/Computed,Other", "read/*:type=Expensive/Computed")) {
            Answer a = Http.get(url + read);
            assertEquals(403, a.jolokiaStatus(), read + ": " + a.body());
            assertFalse(a.body().contains("application.example") && !read.contains("application.example"),
                    "the refusal does not name a hidden MBean: " + a.body());
        }
        Answer single = Http.get(url + "read/application.example:type=Expensive/Computed");
        assertEquals(403, single.jolokiaStatus(), single.body());
        assertEquals(0, expensive.calls.get(), "no getter of the hidden MBean ran");
        Answer ours = Http.get(url + "read/org.tcpjmx:type=States");
        assertEquals(200, ours.jolokiaStatus(), ours.body());
        assertTrue(((Map<?, ?>) ours.value()).containsKey("Histogram"), ours.body());
    }

    @Test
    void aPolicyCannotOpenAnotherDomainAndItsGettersNeverRun(@TempDir Path dir) throws Exception {
        // Jolokia's policy semantics would allow what is not denied; the agent keeps other domains closed anyway.
        Path policy = Files.writeString(dir.resolve("access.xml"), "<restrict><deny><mbean><name>application.example:type=Expensive</name>"
                + "<attribute>Other</attribute></mbean></deny></restrict>");
        agent = AgentEntry.start("port=0,policy=" + policy);
        String url = System.getProperty("tcpjmx.agent.url");
        Answer all = Http.get(url + "read/application.example:type=Expensive");
        assertEquals(403, all.jolokiaStatus(), all.body());
        Answer computed = Http.get(url + "read/application.example:type=Expensive/Computed");
        assertEquals(403, computed.jolokiaStatus(), "not denied by the policy, and still outside org.tcpjmx: " + computed.body());
        assertEquals(0, expensive.calls.get(), "no getter of the application's MBean ran");
        assertEquals(200, Http.get(url + "read/org.tcpjmx:type=States/Total").jolokiaStatus());
    }

    private static ObjectName name(String n) {
        try {
            return new ObjectName(n);
        } catch (Exception e) {
            throw new IllegalArgumentException(n, e);
        }
    }
}

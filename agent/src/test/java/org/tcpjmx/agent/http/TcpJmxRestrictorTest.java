package org.tcpjmx.agent.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.management.ObjectName;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TcpJmxRestrictorTest {
    private static final ObjectName CONNECTIONS = name("org.tcpjmx:type=Connections");
    private static final ObjectName DROP = name("org.tcpjmx:type=Drop");
    private static final ObjectName STATES = name("org.tcpjmx:type=States");
    private static final ObjectName RUNTIME = name("java.lang:type=Runtime");

    @AfterEach
    void noRequest() {
        RequestMethod.clear();
    }

    @Test
    void byDefaultOnlyTcpjmxMBeansExist() {
        TcpJmxRestrictor r = new TcpJmxRestrictor(AccessRules.of(false, Optional.empty()));
        assertTrue(r.isAttributeReadAllowed(CONNECTIONS, "Count"));
        assertFalse(r.isAttributeReadAllowed(RUNTIME, "Name"));
        assertTrue(r.isObjectNameHidden(RUNTIME));
        assertTrue(r.isObjectNameHidden(name("jolokia:type=Config")));
        assertFalse(r.isObjectNameHidden(DROP));
        RequestMethod.set("POST");
        assertFalse(r.isOperationAllowed(RUNTIME, "gc"));
        assertFalse(r.isAttributeWriteAllowed(name("java.lang:type=Memory"), "Verbose"));
    }

    @Test
    void execAndWriteOnlyInsideAPost() {
        TcpJmxRestrictor r = new TcpJmxRestrictor(AccessRules.of(false, Optional.empty()));
        assertFalse(r.isOperationAllowed(DROP, "dropSpec"), "outside any request");
        RequestMethod.set("GET");
        assertFalse(r.isOperationAllowed(DROP, "dropSpec"));
        assertFalse(r.isOperationAllowed(CONNECTIONS, "query"));
        assertFalse(r.isAttributeWriteAllowed(STATES, "SampleIntervalMillis"));
        RequestMethod.set("POST");
        assertTrue(r.isOperationAllowed(DROP, "dropSpec"));
        assertTrue(r.isAttributeWriteAllowed(STATES, "SampleIntervalMillis"));
    }

    @Test
    void readOnlyRefusesEveryDropOperationAndEveryWrite() {
        TcpJmxRestrictor r = new TcpJmxRestrictor(AccessRules.of(true, Optional.empty()));
        RequestMethod.set("POST");
        for (String op : new String[] {"drop", "dropSpec", "dropAll", "dropState", "dropStack", "dropStackState", "dropMatching"}) {
            assertFalse(r.isOperationAllowed(DROP, op), op);
        }
        assertFalse(r.isAttributeWriteAllowed(STATES, "SampleIntervalMillis"));
        assertTrue(r.isOperationAllowed(CONNECTIONS, "query"));
        assertTrue(r.isAttributeReadAllowed(DROP, "anything"));
    }

    @Test
    void noBrowserOriginIsAllowedByDefault() {
        TcpJmxRestrictor r = new TcpJmxRestrictor(AccessRules.of(false, Optional.empty()));
        assertTrue(r.isOriginAllowed(null, true));
        assertFalse(r.isOriginAllowed("http://evil.example", true));
        assertFalse(r.isOriginAllowed("http://evil.example", false));
        assertFalse(r.isOriginAllowed("null", true));
        assertFalse(r.isOriginAllowed("*", false));
    }

    @Test
    void onlyReadListSearchVersionExecAndWriteRequests() {
        TcpJmxRestrictor r = new TcpJmxRestrictor(AccessRules.of(false, Optional.empty()));
        for (RequestType t : new RequestType[] {RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION,
            RequestType.EXEC, RequestType.WRITE}) {
            assertTrue(r.isTypeAllowed(t), t.getName());
        }
        assertFalse(r.isTypeAllowed(RequestType.CONFIG));
        assertFalse(r.isTypeAllowed(RequestType.NOTIFICATION));
        assertTrue(r.isHttpMethodAllowed(HttpMethod.GET));
        assertTrue(r.isHttpMethodAllowed(HttpMethod.POST));
    }

    @Test
    void aPolicyFileNarrowsMBeansAndDecidesOriginsButNotTheMethodOrReadOnlyOrOtherDomains(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("access.xml"), "<restrict>\n"
                + "  <cors><allow-origin>https://console.example:8443</allow-origin><strict-checking/></cors>\n"
                + "  <allow><mbean><name>java.lang:type=Runtime</name><attribute>Name</attribute></mbean></allow>\n"
                + "  <deny><mbean><name>org.tcpjmx:type=Settings</name><attribute>*</attribute></mbean></deny>\n"
                + "</restrict>\n");
        TcpJmxRestrictor r = new TcpJmxRestrictor(AccessRules.of(true, Optional.of(policy)));
        assertFalse(r.isAttributeReadAllowed(RUNTIME, "Name"), "a policy never opens another domain");
        assertTrue(r.isObjectNameHidden(RUNTIME));
        assertFalse(r.isAttributeReadAllowed(name("org.tcpjmx:type=Settings"), "TcpSyncookies"));
        assertTrue(r.isAttributeReadAllowed(name("org.tcpjmx:type=States"), "Total"));
        assertTrue(r.isOriginAllowed("https://console.example:8443", true));
        assertFalse(r.isOriginAllowed("https://other.example", true));
        RequestMethod.set("POST");
        assertFalse(r.isOperationAllowed(DROP, "dropAll"), "readOnly still applies under a policy");
        RequestMethod.set("GET");
        assertFalse(r.isOperationAllowed(name("java.lang:type=Memory"), "gc"));
    }

    @Test
    void aWildcardOriginInThePolicyIsRefused(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("access.xml"), "<restrict><cors><allow-origin>*</allow-origin></cors></restrict>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessRules.of(false, Optional.of(policy)));
        assertTrue(e.getMessage().contains("wildcard"), e.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.xml"), "<restrict><allow>");
        assertThrows(IllegalArgumentException.class, () -> AccessRules.of(false, Optional.of(broken)));
    }

    @Test
    void jolokiaCannotCreateItWithoutTheAgentsRules() {
        assertThrows(IllegalStateException.class, () -> new TcpJmxRestrictor((org.jolokia.server.core.config.Configuration) null));
    }

    private static ObjectName name(String n) {
        try {
            return new ObjectName(n);
        } catch (Exception e) {
            throw new IllegalArgumentException(n, e);
        }
    }
}

package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentOptionsTest {

    @Test
    void noOptionsMeansLoopbackPort8778JolokiaOnDropsAllowedNoAuth() {
        AgentOptions o = AgentOptions.parse("");
        assertEquals("127.0.0.1", o.host());
        assertEquals(8778, o.port());
        assertTrue(o.jolokia());
        assertFalse(o.readOnly());
        assertFalse(o.authenticated());
        assertTrue(o.policy().isEmpty());
        assertEquals(DropAccess.AGENT, o.dropAccess());
        assertEquals(o, AgentOptions.parse(null));
    }

    @Test
    void dropAccessIsAgentOrEverywhereAndABadValueSaysWhichAreValid() {
        assertEquals(DropAccess.EVERYWHERE, AgentOptions.parse("dropAccess=everywhere").dropAccess());
        assertEquals(DropAccess.AGENT, AgentOptions.parse("dropAccess=Agent").dropAccess());
        assertTrue(AgentOptions.parse("dropAccess=everywhere").toString().contains("dropAccess=everywhere"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("dropAccess=jconsole"));
        assertTrue(e.getMessage().contains("'jconsole'") && e.getMessage().contains("dropAccess=agent")
                && e.getMessage().contains("dropAccess=everywhere"), e.getMessage());
    }

    @Test
    void everyKeyIsRead(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("access.xml"), "<restrict/>");
        AgentOptions o = AgentOptions.parse("host=::1,port=0,user=ops,password=s3cret,readOnly=true,policy=" + policy);
        assertEquals("::1", o.host());
        assertEquals(0, o.port());
        assertEquals("ops", o.user());
        assertEquals("s3cret", o.password());
        assertTrue(o.readOnly());
        assertEquals(policy.toAbsolutePath(), o.policy().orElseThrow());
        assertFalse(AgentOptions.parse("jolokia=false").jolokia());
    }

    @Test
    void unknownKeysAreErrorsNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("port=0,prot=1"));
        assertTrue(e.getMessage().contains("unknown option 'prot'"), e.getMessage());
        assertTrue(e.getMessage().contains("readOnly"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("readonly=true"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("port"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("port=1,,readOnly=true"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("port=1,port=2"));
    }

    @Test
    void badValuesNameTheValueAndWhatIsValid() {
        for (String bad : new String[] {"port=-1", "port=65536", "port=x", "port="}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(bad));
            assertTrue(e.getMessage().contains("0 (any free port) to 65535"), e.getMessage());
        }
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("readOnly=yes"));
        assertTrue(b.getMessage().contains("'yes'") && b.getMessage().contains("true or false"), b.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("jolokia=1"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("auth=digest"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("host="));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("policy=/no/such/policy.xml"));
    }

    @Test
    void userAndPasswordGoTogether() {
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("user=ops"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("password=x"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("auth=basic"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("auth=none,user=a,password=b"));
    }

    @Test
    void aPasswordOverPlainHttpOffLoopbackIsRefusedUnlessTheRiskIsAcceptedAndTheErrorSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("host=0.0.0.0,user=a,password=b"));
        assertTrue(e.getMessage().contains("clear text") && e.getMessage().contains("protocol=https") && e.getMessage().contains("insecureAuth=true"),
                e.getMessage());
        assertTrue(AgentOptions.parse("host=127.0.0.1,user=a,password=b").authenticated(), "loopback: no one on the path");
        assertTrue(AgentOptions.parse("host=0.0.0.0,user=a,password=b,insecureAuth=true").http().insecureAuth());
        IllegalArgumentException noStore = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("protocol=https"));
        assertTrue(noStore.getMessage().contains("keystore="), noStore.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("keystore=/nonexistent"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("protocol=ftp"));
    }

    @Test
    void httpLimitsAndOriginsAreParsedAndBadOnesNamed() {
        AgentOptions o = AgentOptions.parse("maxConnections=5,requestTimeout=2,idleTimeout=3,allowOrigin=http://localhost:8080,https://h.example:8443,readOnly=true");
        assertEquals(5, o.http().maxConnections());
        assertEquals(2, o.http().requestTimeoutSeconds());
        assertEquals(3, o.http().idleTimeoutSeconds());
        assertEquals(List.of("http://localhost:8080", "https://h.example:8443"), o.http().allowedOrigins());
        assertTrue(o.readOnly());
        for (String bad : List.of("maxConnections=0", "idleTimeout=-1", "requestTimeout=x", "allowOrigin=*", "allowOrigin=http://h/path",
                "allowOrigin=localhost:8080")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf('='))), e.getMessage());
        }
    }

    @Test
    void aNonLoopbackAddressWithoutAuthIsRefusedUnlessAuthNoneIsExplicit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("host=0.0.0.0"));
        assertTrue(e.getMessage().contains("host=0.0.0.0") && e.getMessage().contains("auth=none"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("host=::"));
        assertTrue(AgentOptions.parse("host=0.0.0.0,auth=none").authNone());
        assertTrue(AgentOptions.parse("host=0.0.0.0,user=a,password=b,insecureAuth=true").authenticated());
        assertEquals("localhost", AgentOptions.parse("host=localhost").host());
    }

    @Test
    void optionsThatNeedHttpAreRefusedWithJolokiaOff() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("jolokia=false,port=0"));
        assertTrue(e.getMessage().contains("port="), e.getMessage());
        assertTrue(AgentOptions.parse("jolokia=false,readOnly=true").readOnly());
    }

    @Test
    void thePasswordNeverShowsInLogs() {
        String shown = AgentOptions.parse("user=ops,password=s3cret").toString();
        assertFalse(shown.contains("s3cret"), shown);
        assertTrue(shown.contains("user=ops"), shown);
    }

    @Test
    void answerBudgetTakesASizeAndRefusesNonsenseNamingIt() {
        assertEquals(32L << 20, AgentOptions.parse("answerBudget=32m").answerBudget());
        assertEquals(512L << 10, AgentOptions.parse("answerBudget=512K").answerBudget());
        assertEquals(1L << 30, AgentOptions.parse("answerBudget=1g").answerBudget());
        assertEquals(0, AgentOptions.defaults().answerBudget(), "0: 10% of the heap, at most 64 MiB");
        for (String bad : new String[] {"lots", "-5m", "1k", "", "9999999999g"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AgentOptions.parse("answerBudget=" + bad));
            assertTrue(e.getMessage().startsWith("answerBudget='" + bad + "' is not a size of at least 64k"), e.getMessage());
        }
    }

    @Test
    void snapshotMaxAgeAndWalkBudgetAreBoundedAndTheErrorNamesTheRange() {
        AgentOptions o = AgentOptions.parse("snapshotMaxAge=0,walkBudget=5");
        assertEquals(0, o.snapshotMaxAgeMillis());
        assertEquals(5, o.walkBudgetPercent());
        assertTrue(o.toString().contains("snapshotMaxAge=0,walkBudget=5"), o.toString());
        assertEquals(-1, AgentOptions.defaults().snapshotMaxAgeMillis(), "not given: the MBean's default");
        assertEquals(-1, AgentOptions.defaults().walkBudgetPercent());
        for (String bad : new String[] {"snapshotMaxAge=-1", "snapshotMaxAge=60001", "snapshotMaxAge=1s", "walkBudget=101", "walkBudget=x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(bad));
            String key = bad.substring(0, bad.indexOf('='));
            assertTrue(e.getMessage().startsWith(key + "='" + bad.substring(key.length() + 1) + "' is not valid; use a whole number from 0 to "),
                    e.getMessage());
        }
    }
}

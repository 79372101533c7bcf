package org.tcpjmx.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.TooltipDescriptions;

/**
 * An operator who hovers over an attribute, operation or parameter in JConsole reads what it is
 * before the tooltip runs off the screen: every description of the five MBeans, as a client reads
 * their MBeanInfo over a real RMI connector, opens with a sentence of at most
 * {@value TooltipDescriptions#FIRST_SENTENCE_LIMIT} characters ({@code AgentMBeanDocTest} checks
 * the agent's own MBean).
 */
class DescriptionsFitATooltipTest {

    @Test
    void everyDescriptionOpensWithAShortSentence() throws Exception {
        try (RemoteJmx jmx = new RemoteJmx(TcpJmxOptions.of(TcpPlatforms.open()))) {
            List<String> tooLong = new ArrayList<>();
            for (ObjectName name : jmx.registration.names()) {
                tooLong.addAll(TooltipDescriptions.tooLong(name.toString(), jmx.connection.getMBeanInfo(name)));
            }
            assertEquals(5, jmx.registration.names().size(), jmx.registration.names().toString());
            assertEquals(List.of(), tooLong, "first sentences over " + TooltipDescriptions.FIRST_SENTENCE_LIMIT
                    + " characters (say what it is first, details after a full stop)");
        }
    }

    @Test
    void theFirstSentenceEndsAtAFullStopBeforeSpaceOrTheEnd() {
        assertEquals("Sockets in TIME_WAIT.", TooltipDescriptions.firstSentence("Sockets in TIME_WAIT. Linux 6.0 or later drops them"));
        assertEquals("On Linux 6.0 or later", TooltipDescriptions.firstSentence("On Linux 6.0 or later"));
        assertEquals("Ends here.", TooltipDescriptions.firstSentence("Ends here."));
    }
}

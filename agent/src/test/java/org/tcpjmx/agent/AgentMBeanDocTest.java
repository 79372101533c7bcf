package org.tcpjmx.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.management.MBeanAttributeInfo;
import org.junit.jupiter.api.Test;
import org.tcpjmx.platform.TcpPlatforms;
import org.tcpjmx.testing.TooltipDescriptions;

/**
 * src/docs/agent.md names every attribute of {@code org.tcpjmx:type=Agent} in its section, so the
 * reference cannot go stale, and every description opens with a sentence short enough for JConsole's
 * tooltip (src/docs/mbeans.md covers the other five MBeans, checked by
 * {@code MBeansDocTest} in the mbeans module).
 */
class AgentMBeanDocTest {

    @Test
    void everyAgentAttributeIsNamedInItsSection() throws Exception {
        AgentBean bean = bean();
        String section = section(Files.readAllLines(doc()), "## " + AgentBean.NAME);
        List<String> missing = new ArrayList<>();
        MBeanAttributeInfo[] attributes = bean.getMBeanInfo().getAttributes();
        assertTrue(attributes.length > 5, "the Agent MBean's attributes");
        for (MBeanAttributeInfo a : attributes) {
            if (!Pattern.compile("`" + Pattern.quote(a.getName()) + "`").matcher(section).find()) {
                missing.add(a.getName());
            }
        }
        assertEquals(List.of(), missing, "attributes of " + AgentBean.NAME + " not named in src/docs/agent.md");
        assertEquals(0, bean.getMBeanInfo().getOperations().length, "the doc describes a read-only MBean");
    }

    /** As {@code DescriptionsFitATooltipTest} checks the other five: JConsole's tooltips show the first sentence. */
    @Test
    void everyAgentDescriptionOpensWithAShortSentence() throws Exception {
        assertEquals(List.of(), TooltipDescriptions.tooLong(AgentBean.NAME.toString(), bean().getMBeanInfo()),
                "first sentences over " + TooltipDescriptions.FIRST_SENTENCE_LIMIT + " characters");
    }

    private static AgentBean bean() throws Exception {
        return new AgentBean("test", new AgentBean.RunningState() {
            @Override
            public String backend() {
                return "netlink";
            }

            @Override
            public String backendDetail() {
                return "netlink";
            }

            @Override
            public String jolokiaUrl() {
                return "";
            }

            @Override
            public boolean readOnly() {
                return false;
            }

            @Override
            public boolean authenticated() {
                return false;
            }

            @Override
            public List<String> mbeans() {
                return List.of();
            }
        }, HostCapabilities.probe(TcpPlatforms.open("netlink")), new ManagementConnections());
    }

    private static Path doc() {
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("src/docs/agent.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("src/docs/agent.md not found above " + here);
    }

    private static String section(List<String> lines, String heading) {
        int start = lines.indexOf(heading);
        assertTrue(start >= 0, "src/docs/agent.md has no section '" + heading + "'");
        StringBuilder text = new StringBuilder();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            text.append(line).append('\n');
        }
        return text.toString();
    }
}

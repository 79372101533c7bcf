package org.tcpjmx.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * What the agent's Jolokia allows, beyond what the HTTP layer enforces (bind address, basic auth).
 *
 * @param readOnly drop operations (and attribute writes) refused
 * @param policy the user's Jolokia access policy, deciding which MBeans, attributes, operations and
 *     client addresses are allowed; empty: only {@code org.tcpjmx} MBeans, from anywhere that can reach the port
 * @param allowedOrigins browser origins allowed to call, exact matches, from the policy's
 *     {@code <cors>} section; never a wildcard
 * @param policyFile where the policy came from, for messages
 */
record AccessRules(boolean readOnly, Optional<Restrictor> policy, List<String> allowedOrigins, Optional<Path> policyFile) {

    AccessRules {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** The admitted origins, with the rule the filter and the restrictor share. */
    WebOrigins origins() {
        return new WebOrigins(allowedOrigins);
    }

    /** These rules, also admitting {@code extra} origins (the agent's {@code allowOrigin=}). */
    AccessRules withOrigins(List<String> extra) {
        List<String> all = new ArrayList<>(allowedOrigins);
        for (String o : extra) {
            if (!all.contains(o)) {
                all.add(o);
            }
        }
        return new AccessRules(readOnly, policy, all, policyFile);
    }

    /**
     * The rules for the agent's options.
     *
     * @throws IllegalArgumentException when the policy file cannot be read or parsed, or asks for wildcard origins
     */
    static AccessRules of(boolean readOnly, Optional<Path> policyFile) {
        if (policyFile.isEmpty()) {
            return new AccessRules(readOnly, Optional.empty(), List.of(), Optional.empty());
        }
        Path file = policyFile.get();
        Restrictor policy;
        try (InputStream in = Files.newInputStream(file)) {
            policy = new PolicyRestrictor(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("policy=" + file + " is not a valid Jolokia access policy: " + e.getMessage(), e);
        }
        return new AccessRules(readOnly, Optional.of(policy), corsOrigins(file), policyFile);
    }

    /** The {@code <cors><allow-origin>} entries; a wildcard is refused rather than silently widened. */
    private static List<String> corsOrigins(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            Document doc;
            try (InputStream in = Files.newInputStream(file)) {
                doc = f.newDocumentBuilder().parse(in);
            }
            NodeList nodes = doc.getElementsByTagName("allow-origin");
            List<String> origins = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                String origin = nodes.item(i).getTextContent().trim();
                if (origin.contains("*")) {
                    throw new IllegalArgumentException("policy=" + file + " allows origin '" + origin
                            + "': wildcard origins are refused; list each origin (scheme://host:port) exactly");
                }
                if (!origin.isEmpty()) {
                    origins.add(origin);
                }
            }
            return origins;
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw new IllegalArgumentException("policy=" + file + " is not readable XML: " + e.getMessage(), e);
        }
    }
}

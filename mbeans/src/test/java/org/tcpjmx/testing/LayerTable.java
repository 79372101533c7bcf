package org.tcpjmx.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layer table of src/docs/architecture.md, read from the page itself so that the page and the
 * architecture tests cannot disagree, and the check of a source file against it.
 */
public final class LayerTable {
    /** The package prefixes each library name of the table stands for. */
    private static final Map<String, List<String>> LIBRARIES = Map.of(
            "JDK", List.of("java.", "javax.", "jdk.", "com.sun.net.httpserver.", "com.sun.tools.attach.", "org.w3c.dom.", "org.xml.sax."),
            "SLF4J", List.of("org.slf4j."),
            "JNA", List.of("com.sun.jna."),
            "Jolokia", List.of("org.jolokia."),
            "ASM", List.of("org.objectweb.asm."));
    private static final String OURS = "org.tcpjmx.";
    private static final Pattern NAME = Pattern.compile("`([^`]+)`");

    /** One row: a layer, the layers and libraries it may use, and the classes allowed one more layer. */
    public record Layer(String name, Set<String> layers, Set<String> libraries, Map<String, String> exceptions) {
    }

    private final Map<String, Layer> layers;

    private LayerTable(Map<String, Layer> layers) {
        this.layers = layers;
    }

    /** Reads the table of src/docs/architecture.md. */
    public static LayerTable read() {
        Path doc = ProjectLayout.file("src/docs/architecture.md");
        List<String> lines;
        try {
            lines = Files.readAllLines(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Layer> out = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            // "", layer, holds, ours, libraries, exceptions, ""
            if (cells.length != 7) {
                throw new AssertionError(doc + ": a layer row has 5 cells: " + line);
            }
            String layer = names(cells[1]).get(0);
            Map<String, String> exceptions = new LinkedHashMap<>();
            List<String> ex = names(cells[5]);
            for (int i = 0; i + 1 < ex.size(); i += 2) {
                exceptions.put(ex.get(i), ex.get(i + 1));
            }
            Set<String> libraries = Set.copyOf(names(cells[4]));
            for (String l : libraries) {
                if (!LIBRARIES.containsKey(l)) {
                    throw new AssertionError(doc + ": unknown library name " + l + " in " + line);
                }
            }
            out.put(layer, new Layer(layer, Set.copyOf(names(cells[3])), libraries, exceptions));
        }
        if (out.isEmpty()) {
            throw new AssertionError(doc + " has no layer table");
        }
        return new LayerTable(out);
    }

    private static List<String> names(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = NAME.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * The layer a package belongs to: the longest table entry it starts with ({@code agent.boot}
     * before {@code agent}), or null.
     */
    public String layerOf(String packageName) {
        if (!packageName.startsWith(OURS)) {
            return null;
        }
        String rest = packageName.substring(OURS.length());
        String best = null;
        for (String l : layers.keySet()) {
            if ((rest.equals(l) || rest.startsWith(l + ".")) && (best == null || l.length() > best.length())) {
                best = l;
            }
        }
        return best;
    }

    /** What the file refers to that its layer may not use, one line each; empty when it keeps to the table. */
    public List<String> violations(SourceImports source) {
        List<String> out = new ArrayList<>();
        String own = layerOf(source.packageName());
        if (own == null) {
            out.add(source.file() + ": package " + source.packageName() + " is in no layer of src/docs/architecture.md");
            return out;
        }
        Layer layer = layers.get(own);
        for (String ref : source.references()) {
            if (ref.startsWith(OURS)) {
                String target = layerOf(ref.substring(0, Math.max(ref.lastIndexOf('.'), 0)));
                if (target == null) {
                    target = layerOf(ref);
                }
                boolean ok = target != null && (target.equals(own) || layer.layers().contains(target)
                        || target.equals(layer.exceptions().get(source.className())));
                if (!ok) {
                    out.add(source.file() + " (" + own + ") uses " + ref + " (" + target + "); " + own + " may use "
                            + layer.layers() + (layer.exceptions().isEmpty() ? "" : ", exceptions " + layer.exceptions()));
                }
            } else if (LIBRARIES.entrySet().stream().noneMatch(e -> layer.libraries().contains(e.getKey())
                    && e.getValue().stream().anyMatch(ref::startsWith))) {
                out.add(source.file() + " (" + own + ") uses " + ref + "; " + own + " may use the libraries " + layer.libraries());
            }
        }
        return out;
    }

    /** The layers of the table, in its order. */
    public Set<String> layers() {
        return layers.keySet();
    }
}

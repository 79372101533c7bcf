package org.tcpjmx.agent.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the reliability tests leave their figures: {@code target/reliability/NAME.md} of the agent
 * module, and standard output. src/docs/reliability.md is written from them by hand.
 */
final class Reports {
    private Reports() {
    }

    static void write(String name, String markdown) {
        System.out.println(markdown);
        try {
            Path dir = Files.createDirectories(Paths.get("target", "reliability"));
            Files.writeString(dir.resolve(name + ".md"), markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table cell: one line, no pipe, at most {@code max} characters. */
    static String cell(String text, int max) {
        String s = text.replace("\r", " ").replace("\n", " ").replace("|", "\\|").replace("`", "'");
        StringBuilder printable = new StringBuilder();
        for (char c : s.toCharArray()) {
            printable.append(c < 0x20 ? "\\u" + String.format("%04x", (int) c) : String.valueOf(c));
        }
        s = printable.toString();
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}

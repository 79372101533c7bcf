package org.tcpjmx.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a main source file refers to, read from its text: its package, every type it imports
 * (static imports included) and every fully qualified {@code org.tcpjmx.*} or JNA name written in
 * its code. The architecture tests check these against the layer table of src/docs/architecture.md.
 *
 * @param file the source file
 * @param packageName its package
 * @param references imported and fully qualified names, sorted
 * @param text the file's code with comments removed (for literal checks)
 */
public record SourceImports(Path file, String packageName, Set<String> references, String text) {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;");
    private static final Pattern QUALIFIED = Pattern.compile("\\b((?:org\\.tcpjmx|com\\.sun\\.jna)(?:\\.[a-z]\\w*)*(?:\\.[A-Z]\\w*)?)");

    /** Every {@code .java} file under {@code root}, read. */
    public static List<SourceImports> under(Path root) {
        if (!Files.isDirectory(root)) {
            throw new AssertionError("no sources under " + root);
        }
        List<SourceImports> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                out.add(read(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Reads one file. */
    public static SourceImports read(Path file) {
        String source;
        try {
            source = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher p = PACKAGE.matcher(source);
        if (!p.find()) {
            throw new AssertionError(file + " has no package declaration");
        }
        // Comments may name anything (a {@link} to the layer below explains a choice); code may not.
        String code = withoutComments(source, false);
        Set<String> refs = new TreeSet<>();
        Matcher i = IMPORT.matcher(code);
        while (i.find()) {
            refs.add(i.group(1));
        }
        // Names in string literals (notification types, property names) are not references.
        String body = PACKAGE.matcher(IMPORT.matcher(withoutComments(source, true)).replaceAll(" ")).replaceAll(" ");
        Matcher q = QUALIFIED.matcher(body);
        while (q.find()) {
            refs.add(q.group(1));
        }
        return new SourceImports(file, p.group(1), refs, code);
    }

    /** The source with comments blanked out; string and character literals (text blocks too) kept, or blanked too. */
    static String withoutComments(String s, boolean blankLiterals) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
                out.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
                out.append(blankLiterals ? "\"\"" : s.substring(i, end));
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j + 1, s.length());
                out.append(blankLiterals ? String.valueOf(c) + c : s.substring(i, j));
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The file's simple class name ({@code TcpPlatforms}). */
    public String className() {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - ".java".length());
    }
}

package org.tcpjmx.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK of at least a given release for the tests that need a newer JDK than the one running
 * them (JDK 24+ warns about, and can refuse, JNA's native access). Looked for, in this order: the
 * system property {@value #PROPERTY}, the environment variable {@value #ENVIRONMENT} (either a JDK
 * home or its {@code bin/java}), the JDK running the tests, and the newest JDK under
 * {@code /usr/lib/jvm}. {@link Found#how()} says which was used, {@link #whyNone} why there is none.
 */
public final class Jdks {
    /** System property naming a JDK home (or its java launcher) of release 24 or newer. */
    public static final String PROPERTY = "tcpjmx.test.jdk24";
    /** Environment variable naming the same, when the property is not set. */
    public static final String ENVIRONMENT = "TCPJMX_TEST_JDK24";
    private static final Path SCANNED = Paths.get("/usr/lib/jvm");
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private Jdks() {
    }

    /** A JDK that was found: its java launcher, its feature release, and how it was found. */
    public record Found(Path java, int release, String how) {
        @Override
        public String toString() {
            return java + " (JDK " + release + ", " + how + ")";
        }
    }

    /** A JDK of release {@code minimum} or newer; printed, so the test output says which one ran. */
    public static Optional<Found> atLeast(int minimum) {
        Optional<Found> found = find(minimum);
        System.out.println(found.map(f -> "JDK >= " + minimum + ": " + f).orElseGet(() -> whyNone(minimum)));
        return found;
    }

    /** Why {@link #atLeast} found nothing: every place looked at, and what it held. */
    public static String whyNone(int minimum) {
        return "no JDK >= " + minimum + ": " + String.join("; ", looked(minimum));
    }

    private static Optional<Found> find(int minimum) {
        for (String[] named : new String[][] {{"system property " + PROPERTY, System.getProperty(PROPERTY)},
            {"environment variable " + ENVIRONMENT, System.getenv(ENVIRONMENT)}}) {
            if (named[1] != null && !named[1].isBlank()) {
                // Named explicitly: used if it is a JDK of the release, never silently replaced by another.
                return check(Paths.get(named[1]), named[0]).filter(f -> f.release() >= minimum);
            }
        }
        Optional<Found> running = check(Paths.get(System.getProperty("java.home")), "the JDK running the tests");
        if (running.isPresent() && running.get().release() >= minimum) {
            return running;
        }
        return scan().stream().filter(f -> f.release() >= minimum).max(Comparator.comparingInt(Found::release));
    }

    private static List<String> looked(int minimum) {
        List<String> out = new ArrayList<>();
        for (String[] named : new String[][] {{"system property " + PROPERTY, System.getProperty(PROPERTY)},
            {"environment variable " + ENVIRONMENT, System.getenv(ENVIRONMENT)}}) {
            out.add(named[0] + (named[1] == null ? " not set" : " = " + named[1] + " -> "
                    + check(Paths.get(named[1]), named[0]).map(f -> "JDK " + f.release()).orElse("not a JDK")));
        }
        out.add("the JDK running the tests is " + Runtime.version().feature());
        List<Found> scanned = scan();
        out.add(SCANNED + (scanned.isEmpty() ? " holds no JDK" : " holds " + scanned.stream().map(f -> f.java() + " (" + f.release() + ")").toList()));
        return out;
    }

    private static List<Found> scan() {
        List<Found> out = new ArrayList<>();
        if (!Files.isDirectory(SCANNED)) {
            return out;
        }
        try (Stream<Path> homes = Files.list(SCANNED)) {
            for (Path home : (Iterable<Path>) homes.sorted()::iterator) {
                if (!Files.isSymbolicLink(home)) {
                    check(home, "found in " + SCANNED).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            // An unreadable directory holds no JDK we can use.
        }
        return out;
    }

    /** A JDK home, or its bin/java: its launcher and the release its {@code release} file names. */
    private static Optional<Found> check(Path given, String how) {
        Path home = given.endsWith(Paths.get("bin", "java")) ? given.getParent().getParent() : given;
        Path java = home.resolve("bin").resolve("java");
        Path release = home.resolve("release");
        if (!Files.isExecutable(java) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher m = VERSION.matcher(Files.readString(release));
            return m.find() ? Optional.of(new Found(java, Integer.parseInt(m.group(1)), how)) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}

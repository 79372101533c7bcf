package org.tcpjmx.agent.origins;

import java.lang.StackWalker.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The caller's stack trimmed to the application: frames of the JDK ({@code java.}, {@code javax.},
 * {@code sun.}, {@code jdk.}, {@code com.sun.}) and of the agent are skipped, at most
 * {@value #MAX_FRAMES} kept, at most {@value #MAX_WALKED} walked (StackWalker stops there, so a deep
 * stack costs no more than a shallow one).
 */
final class StackCapture {
    static final int MAX_FRAMES = 8;
    static final int MAX_WALKED = 64;
    private static final String[] SKIPPED = {"java.", "javax.", "sun.", "jdk.", "com.sun.", "org.tcpjmx.agent."};
    private static final StackWalker WALKER = StackWalker.getInstance();

    private StackCapture() {
    }

    /**
     * The kept frames, innermost first. When no application frame is on the stack (a JDK thread such
     * as HttpClient's selector connected), the first JDK frames below the rewritten method instead,
     * so the origin still says which part of the JDK opened it.
     */
    static List<String> here() {
        return WALKER.walk(StackCapture::trim);
    }

    private static List<String> trim(Stream<StackFrame> frames) {
        List<String> app = new ArrayList<>(MAX_FRAMES);
        List<String> jdk = new ArrayList<>(MAX_FRAMES);
        frames.limit(MAX_WALKED).forEach(f -> {
            if (app.size() >= MAX_FRAMES) {
                return;
            }
            String cls = f.getClassName();
            if (!skipped(cls)) {
                app.add(format(f));
            } else if (app.isEmpty() && jdk.size() < MAX_FRAMES && !cls.startsWith("org.tcpjmx.agent.") && !hooked(cls)) {
                jdk.add(format(f));
            }
        });
        return app.isEmpty() ? jdk : app;
    }

    /** Whether a kept frame (as {@link #here()} formats it) is the application's rather than the JDK's. */
    static boolean isApplication(String frame) {
        return !frame.isEmpty() && !skipped(frame);
    }

    private static boolean skipped(String cls) {
        for (String p : SKIPPED) {
            if (cls.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hooked(String cls) {
        return cls.equals("java.net.Socket") || cls.equals("java.net.ServerSocket") || cls.startsWith("sun.nio.ch.");
    }

    private static String format(StackFrame f) {
        String file = f.getFileName();
        int line = f.getLineNumber();
        return f.getClassName() + "." + f.getMethodName() + "(" + (file == null ? "Unknown Source" : file + (line >= 0 ? ":" + line : "")) + ")";
    }
}

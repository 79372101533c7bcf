package org.tcpjmx.agent.origins;

import java.lang.StackWalker.StackFrame;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The caller's stack trimmed to the application: frames of the JDK ({@code java.}, {@code javax.},
 * {@code sun.}, {@code jdk.}, {@code com.sun.}) and of the agent are skipped, at most
 * {@value #MAX_FRAMES} kept, at most {@value #MAX_WALKED} walked. The walk stops as soon as the
 * kept frames are complete, and the frames are kept as they are: their text (file and line, which
 * costs the JVM a lookup per frame) is made only when someone reads the origin.
 */
final class StackCapture {
    static final int MAX_FRAMES = 8;
    static final int MAX_WALKED = 64;
    private static final String[] SKIPPED = {"java.", "javax.", "sun.", "jdk.", "com.sun.", "org.tcpjmx.agent."};
    private static final String AGENT = "org.tcpjmx.agent.";
    /** Sized for the usual walk: the capture's, the hook's and the JDK method's frames, then the kept ones. */
    private static final StackWalker WALKER = StackWalker.getInstance(Set.of(), 16);
    private static final StackFrame[] NONE = new StackFrame[0];

    /** The frames one walk kept, innermost first; their text is made once, on the first read. */
    static final class Frames {
        private final StackFrame[] frames;
        private final boolean application;
        private volatile List<String> text;

        Frames(StackFrame[] frames, boolean application) {
            this.frames = frames;
            this.application = application;
        }

        /** Whether the kept frames are the application's (false: the JDK's, no application frame was on the stack). */
        boolean application() {
            return application;
        }

        /** The kept frames as {@code class.method(File.java:line)}, innermost first. */
        List<String> text() {
            List<String> t = text;
            if (t == null) {
                String[] out = new String[frames.length];
                for (int i = 0; i < frames.length; i++) {
                    out[i] = format(frames[i]);
                }
                t = List.of(out);
                text = t;
            }
            return t;
        }
    }

    private StackCapture() {
    }

    /**
     * The kept frames of the caller's stack. When no application frame is on the stack (a JDK thread
     * such as HttpClient's selector connected), the first JDK frames below the rewritten method
     * instead, so the origin still says which part of the JDK opened it.
     */
    static Frames here() {
        return WALKER.walk(StackCapture::trim);
    }

    private static Frames trim(Stream<StackFrame> stream) {
        StackFrame[] app = null;
        int apps = 0;
        StackFrame[] jdk = null;
        int jdks = 0;
        Iterator<StackFrame> frames = stream.iterator();
        for (int walked = 0; walked < MAX_WALKED && apps < MAX_FRAMES && frames.hasNext(); walked++) {
            StackFrame f = frames.next();
            String cls = f.getClassName();
            if (!skipped(cls)) {
                if (app == null) {
                    app = new StackFrame[MAX_FRAMES];
                }
                app[apps++] = f;
            } else if (apps == 0 && jdks < MAX_FRAMES && !cls.startsWith(AGENT) && !hooked(cls)) {
                if (jdk == null) {
                    jdk = new StackFrame[MAX_FRAMES];
                }
                jdk[jdks++] = f;
            }
        }
        if (apps > 0) {
            return new Frames(apps == MAX_FRAMES ? app : Arrays.copyOf(app, apps), true);
        }
        return new Frames(jdk == null ? NONE : Arrays.copyOf(jdk, jdks), false);
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

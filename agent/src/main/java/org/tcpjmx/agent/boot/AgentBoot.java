package org.tcpjmx.agent.boot;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The entry points of {@code tcpjmx-agent.jar}: {@code Premain-Class}, {@code Agent-Class} and
 * {@code Main-Class}. A tiny bootstrap: it extracts the nested jars, opens the isolated class loader
 * ({@link IsolatedRuntime}) and calls the implementation reflectively, passing only JDK types.
 *
 * <p>Reflective contract with the implementation (nested jar):
 * <ul>
 *   <li>{@code org.tcpjmx.agent.AgentEntry.start(String options, Instrumentation instrumentation)} returns the running agent as an
 *       {@link AutoCloseable}, or throws with a message naming what was wrong (bad option, busy
 *       port); it publishes {@value #URL_PROPERTY} and {@value #STATUS_PROPERTY} itself;</li>
 *   <li>{@code org.tcpjmx.agent.cli.CommandLine.run(String[] args, String agentJar, PrintStream out,
 *       PrintStream err)} returns the exit status.</li>
 * </ul>
 *
 * <p>{@code premain} and {@code agentmain} never throw, never exit the JVM and leave no non-daemon
 * thread: whatever goes wrong is logged and the application runs on. The agent option
 * {@value #DETACH} (or {@code stop}) unloads a running agent.
 */
public final class AgentBoot {
    /** System property of the target JVM holding the Jolokia URL while the agent runs. */
    static final String URL_PROPERTY = "tcpjmx.agent.url";
    /** System property of the target JVM with the outcome of the last start, attach or detach. */
    static final String STATUS_PROPERTY = "tcpjmx.agent.status";
    /** Agent option that unloads the agent. */
    static final String DETACH = "detach";

    private static final String AGENT_ENTRY = "org.tcpjmx.agent.AgentEntry";
    private static final String CLI_ENTRY = "org.tcpjmx.agent.cli.CommandLine";
    private static final Logger LOG = Logger.getLogger("org.tcpjmx.agent");
    private static final Object LOCK = new Object();

    /** The running agent, guarded by {@link #LOCK}. */
    private static Running running;

    private AgentBoot() {
    }

    /** {@code -javaagent:tcpjmx-agent.jar=OPTIONS}. */
    public static void premain(String options, Instrumentation instrumentation) {
        launch(options, instrumentation);
    }

    /** Dynamic attach ({@code VirtualMachine.loadAgent(jar, OPTIONS)}), also used to detach. */
    public static void agentmain(String options, Instrumentation instrumentation) {
        launch(options, instrumentation);
    }

    /** The command line: {@code java -jar tcpjmx-agent.jar COMMAND ...}. */
    public static void main(String[] args) {
        System.exit(runCommandLine(args, System.out, System.err));
    }

    static int runCommandLine(String[] args, PrintStream out, PrintStream err) {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        Path jar;
        try {
            jar = NestedJars.agentJar();
        } catch (RuntimeException e) {
            err.println("tcpjmx: " + e.getMessage());
            return 1;
        }
        // The command line attaches to other JVMs: jdk.attach is visible through the application loader.
        try (IsolatedRuntime runtime = IsolatedRuntime.open(jar, AgentBoot.class.getClassLoader())) {
            current.setContextClassLoader(runtime.loader());
            Method run = runtime.load(CLI_ENTRY).getMethod("run", String[].class, String.class, PrintStream.class, PrintStream.class);
            return (Integer) run.invoke(null, args, jar.toString(), out, err);
        } catch (InvocationTargetException e) {
            err.println("tcpjmx: " + describe(e.getCause()));
            return 1;
        } catch (Exception | LinkageError e) {
            err.println("tcpjmx: cannot start the command line: " + describe(e));
            return 1;
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    /**
     * Runs the start or the detach on a short-lived thread of its own and waits for it. Libraries keep
     * per-thread state (JNA's structure bookkeeping is a ThreadLocal holding instances of its own
     * classes); on the attach listener or the main thread, which live on, that state would pin the
     * agent's class loader after a detach. A thread that ends takes its state with it.
     */
    private static void launch(String rawOptions, Instrumentation instrumentation) {
        Thread worker = new Thread(() -> launchHere(rawOptions, instrumentation), "tcpjmx-agent-launch");
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("tcpjmx-agent: interrupted while the agent was starting or stopping; it goes on in the background");
        }
    }

    private static void launchHere(String rawOptions, Instrumentation instrumentation) {
        String options = rawOptions == null ? "" : rawOptions.trim();
        try {
            synchronized (LOCK) {
                if (DETACH.equals(options) || "stop".equals(options)) {
                    detach();
                } else if (running != null) {
                    String where = System.getProperty(URL_PROPERTY, "");
                    String message = "already running" + (where.isEmpty() ? " without Jolokia" : " at " + where)
                            + "; detach first to change options";
                    System.setProperty(STATUS_PROPERTY, "running: " + message);
                    System.err.println("tcpjmx-agent: " + message);
                } else {
                    start(options, instrumentation);
                }
            }
        } catch (Throwable t) {
            // Whatever happens, the application goes on; a VirtualMachineError is not ours to swallow.
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
            fail("unexpected failure: " + describe(t), t);
        }
    }

    private static void start(String options, Instrumentation instrumentation) {
        Path jar = NestedJars.agentJar();
        IsolatedRuntime runtime;
        try {
            runtime = IsolatedRuntime.open(jar, ClassLoader.getPlatformClassLoader());
        } catch (Exception e) {
            fail("cannot unpack " + jar + ": " + describe(e), e);
            return;
        }
        // The platform loader, never the agent's own: a thread the JDK starts from here (JNA's
        // ldconfig run starts the "process reaper") inherits it and would pin the agent's loader for
        // good; nor the application's, where Jolokia would find the application's own Jolokia first.
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            Method start = runtime.load(AGENT_ENTRY).getMethod("start", String.class, Instrumentation.class);
            AutoCloseable agent = (AutoCloseable) start.invoke(null, options, instrumentation);
            // At exit only the extracted files go: daemon threads may still be using the loader.
            Thread cleanup = new Thread(runtime::deleteFiles, "tcpjmx-agent-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            running = new Running(runtime, agent, cleanup);
        } catch (InvocationTargetException e) {
            runtime.close();
            Throwable cause = e.getCause();
            // A bad option or a busy port is expected and fully said by its message; anything else gets its stack trace logged.
            boolean expected = cause instanceof IllegalArgumentException || cause instanceof IllegalStateException;
            fail(describe(cause), expected ? null : cause);
        } catch (Exception | LinkageError e) {
            runtime.close();
            fail("cannot load the agent: " + describe(e), e);
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    private static void detach() {
        if (running == null) {
            System.setProperty(STATUS_PROPERTY, "stopped: not running");
            System.err.println("tcpjmx-agent: not running, nothing to detach");
            return;
        }
        Running r = running;
        running = null;
        try {
            Runtime.getRuntime().removeShutdownHook(r.cleanup);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway.
        }
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            r.agent.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "tcpjmx agent: detach was not clean: " + describe(e), e);
        } finally {
            current.setContextClassLoader(previous);
            r.runtime.close();
        }
        System.clearProperty(URL_PROPERTY);
        System.setProperty(STATUS_PROPERTY, "stopped: detached");
    }

    private static void fail(String message, Throwable cause) {
        System.clearProperty(URL_PROPERTY);
        System.setProperty(STATUS_PROPERTY, "failed: " + message);
        System.err.println("tcpjmx-agent: not started: " + message);
        if (cause != null) {
            LOG.log(Level.WARNING, "tcpjmx agent not started: " + message, cause);
        }
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : m;
    }

    private static final class Running {
        final IsolatedRuntime runtime;
        final AutoCloseable agent;
        final Thread cleanup;

        Running(IsolatedRuntime runtime, AutoCloseable agent, Thread cleanup) {
            this.runtime = runtime;
            this.agent = agent;
            this.cleanup = cleanup;
        }
    }
}

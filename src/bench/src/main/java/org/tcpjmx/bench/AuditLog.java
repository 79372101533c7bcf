package org.tcpjmx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends the library's log (through SLF4J to java.util.logging) to a file in the results directory:
 * the drop engine writes one audit line per dropped connection, and a timed bulk drop should pay
 * for writing them as a server would, without 50,000 lines on the console.
 */
final class AuditLog implements AutoCloseable {
    /** java.util.logging holds loggers weakly; this keeps the configured one alive for the run. */
    private final Logger logger;
    private final FileHandler handler;

    private AuditLog(Logger logger, FileHandler handler) {
        this.logger = logger;
        this.handler = handler;
    }

    static AuditLog to(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileHandler h = new FileHandler(file.toAbsolutePath().toString(), false);
        h.setFormatter(new SimpleFormatter());
        h.setLevel(Level.INFO);
        Logger l = Logger.getLogger("org.tcpjmx");
        l.setUseParentHandlers(false);
        l.setLevel(Level.INFO);
        l.addHandler(h);
        return new AuditLog(l, h);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(true);
        handler.close();
    }
}

package org.tcpjmx.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs iproute2's {@code ss} with its output thrown away, as {@code ss ... > /dev/null} in a shell. */
final class SsCommand {
    private SsCommand() {
    }

    /**
     * Runs {@code ss args...} to completion.
     *
     * @throws IOException when ss cannot start or exits nonzero (with its error output)
     */
    static void run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ss");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        byte[] err = p.getErrorStream().readAllBytes();
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + rc + ": " + new String(err, StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", cmd), e);
        }
    }
}

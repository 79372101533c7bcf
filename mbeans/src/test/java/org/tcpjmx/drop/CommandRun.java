package org.tcpjmx.drop;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** One run of {@link TcpdropCommand} with its exit status and both outputs, for tests. */
record CommandRun(int status, String out, String err) {
    static CommandRun run(TcpDropper dropper, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = TcpdropCommand.run(args, dropper, o, e);
        }
        return new CommandRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The lines of stdout, sorted (the kernel lists sockets in hash order). */
    List<String> sortedOutLines() {
        return out.isEmpty() ? List.of() : Arrays.stream(out.split("\n", -1)).filter(l -> !l.isEmpty()).sorted().toList();
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
}

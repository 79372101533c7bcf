package org.tcpjmx.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/**
 * The machine a run happened on, for the results' header.
 *
 * @param cpu the CPU model
 * @param cores logical processors this JVM sees
 * @param memoryMiB total memory
 * @param kernel kernel release
 * @param java Java runtime version and vendor
 * @param ss iproute2 version
 * @param oshi OSHI version
 */
record Machine(String cpu, int cores, long memoryMiB, String kernel, String java, String ss, String oshi) {

    static Machine describe() {
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), totalMemoryMiB(),
                System.getProperty("os.version", "?"),
                System.getProperty("java.runtime.version", "?") + " (" + System.getProperty("java.vendor", "?") + ")",
                ssVersion(), oshiVersion());
    }

    String oneLine() {
        return cpu + ", " + cores + " logical CPUs, " + memoryMiB + " MiB RAM, Linux " + kernel + ", Java " + java
                + ", " + ss + ", OSHI " + oshi;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // reported as unknown
        }
        return "unknown CPU";
    }

    private static long totalMemoryMiB() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // reported as 0
        }
        return 0;
    }

    private static String ssVersion() {
        try {
            Process p = new ProcessBuilder(List.of("ss", "-V")).redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return v.isEmpty() ? "ss (version unknown)" : v;
        } catch (IOException e) {
            return "ss not found";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "ss (version unknown)";
        }
    }

    private static String oshiVersion() {
        // The shaded jar keeps OSHI's Maven metadata, not its manifest.
        try (var in = Machine.class.getResourceAsStream("/META-INF/maven/com.github.oshi/oshi-core/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "6.x");
            }
        } catch (IOException e) {
            // reported as 6.x
        }
        return "6.x";
    }
}

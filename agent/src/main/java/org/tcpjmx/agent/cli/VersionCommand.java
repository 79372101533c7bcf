package org.tcpjmx.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/** {@code version}: this agent jar's version, and the Java that runs the command line. */
final class VersionCommand implements Command {
    @Override
    public String name() {
        return "version";
    }

    @Override
    public String usage() {
        return "version                                         the agent jar's version and this Java\n";
    }

    @Override
    public int run(List<String> args, Console console) {
        if (!args.isEmpty()) {
            throw new UsageException("version takes no arguments, not " + args);
        }
        Path jar = Paths.get(console.agentJar());
        console.out().println("tcpjmx " + version(jar).orElse("(unknown version: " + jar + " has no Implementation-Version)"));
        console.out().println("agent jar: " + jar);
        console.out().println("java: " + System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.home") + ")");
        return ExitStatus.OK;
    }

    /** The jar manifest's Implementation-Version, as the agent itself reports it (Agent MBean's Version). */
    static Optional<String> version(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return Optional.ofNullable(file.getManifest()).map(m -> m.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

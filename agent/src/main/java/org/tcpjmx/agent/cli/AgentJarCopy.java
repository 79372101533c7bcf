package org.tcpjmx.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.tcpjmx.model.ProcessPlace;

/**
 * The agent jar as a target JVM can load it. The JVM resolves the path given to {@code loadAgent} in
 * its own filesystem; a JVM in a container (another root, a private {@code /tmp}, the build directory
 * not mounted) does not see our jar, so it is copied into the target's temporary directory first
 * (as async-profiler and jattach do) and removed again on detach.
 *
 * <p>The copy's name comes from the jar's content, so a detach finds (or remakes) the copy an attach
 * made with the same jar. Writing into another root as root must not be turned against this host: a
 * symbolic link there would resolve against our root, so no component of the directory may be one,
 * and the file is created new ({@code O_EXCL}, which never follows a link) after whatever had its name
 * was removed.
 *
 * @param pathInside the path to give {@code loadAgent}: the jar as the target sees it
 * @param copy the copy as we reach it (through {@code /proc/PID/root}), empty when the target sees our jar
 */
record AgentJarCopy(String pathInside, Optional<Path> copy) {
    private static final String PREFIX = "tcpjmx-agent.";

    /**
     * Our jar, or a fresh copy of it in {@code tmpDirInside} (the target's {@code java.io.tmpdir}) when
     * the target cannot see our jar at our path.
     *
     * @throws CommandFailure when the copy cannot be made
     */
    static AgentJarCopy forTarget(ProcessPlace target, String agentJar, String tmpDirInside) {
        Path ours = Paths.get(agentJar);
        if (seesOurs(target, ours)) {
            return new AgentJarCopy(agentJar, Optional.empty());
        }
        String dirInside = absolute(tmpDirInside, target);
        String name = PREFIX + digest(ours) + ".jar";
        String pathInside = (dirInside.equals("/") ? "" : dirInside) + "/" + name;
        Path copy = target.inside(pathInside);
        try {
            requireRealDirectories(target, dirInside);
            Files.deleteIfExists(copy);
            try (InputStream in = Files.newInputStream(ours);
                 SeekableByteChannel ch = Files.newByteChannel(copy,
                         Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                         PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                 OutputStream out = Channels.newOutputStream(ch)) {
                in.transferTo(out);
            }
        } catch (IOException e) {
            throw new CommandFailure("JVM " + target.pid() + " does not see " + agentJar + " (another filesystem) and the agent jar"
                    + " cannot be copied to " + pathInside + " inside it: " + e, e);
        }
        owned(copy, target);
        return new AgentJarCopy(pathInside, Optional.of(copy));
    }

    /** Whether a copy was made (and is to be removed). */
    boolean copied() {
        return copy.isPresent();
    }

    /** Removes the copy, if one was made; a copy already gone is no failure. */
    void remove() {
        copy.ifPresent(c -> {
            try {
                Files.deleteIfExists(c);
            } catch (IOException e) {
                throw new CommandFailure("cannot remove the agent jar copied to " + pathInside + ": " + e, e);
            }
        });
    }

    /** Whether the target's path {@code ours} is our very file (same device and inode). */
    private static boolean seesOurs(ProcessPlace target, Path ours) {
        try {
            return Files.isSameFile(target.inside(ours.toAbsolutePath().toString()), ours);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | SecurityException e) {
            // Its root is closed to us (another user's process without root): as before containers, our path.
            return true;
        }
    }

    private static String absolute(String dir, ProcessPlace target) {
        String d = dir == null ? "" : dir.trim();
        if (!d.startsWith("/")) {
            throw new CommandFailure("JVM " + target.pid() + " names its temporary directory '" + d
                    + "' (java.io.tmpdir), not an absolute path: cannot place the agent jar there");
        }
        while (d.length() > 1 && d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    /** Every component of {@code dirInside}, reached through the target's root, is a directory and no link. */
    private static void requireRealDirectories(ProcessPlace target, String dirInside) throws IOException {
        Path p = target.root();
        for (String part : dirInside.substring(1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals("..")) {
                throw new IOException("'..' in " + dirInside);
            }
            p = p.resolve(part);
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory()) {
                throw new IOException(p + " is " + (a.isSymbolicLink() ? "a symbolic link (it would resolve on this host, not inside)"
                        : "not a directory"));
            }
        }
    }

    /** Hands the copy to the target's user; the mode (0644) already lets anyone read it. */
    private static void owned(Path copy, ProcessPlace target) {
        try {
            Files.setAttribute(copy, "unix:gid", target.gid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(copy, "unix:uid", target.uid(), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Not root: the file stays ours, still readable by the target (0644).
        }
    }

    private static String digest(Path jar) {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (IOException e) {
            throw new CommandFailure("cannot read the agent jar " + jar + ": " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}

package dev.portcullis.controlplane.system;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Reads and writes the small secret files under {@code $PORTCULLIS_HOME}: owner-only, created atomically. */
public final class LocalFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private LocalFiles() {}

    /**
     * Writes {@code content} to a new file readable only by its owner. Fails if the file exists, so two processes
     * starting at once never overwrite each other's secret.
     */
    public static void createSecretFile(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tmp-", ".secret");
        try {
            Files.setPosixFilePermissions(tmp, OWNER_ONLY);
            Files.writeString(tmp, content);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes {@code content} to a file readable only by its owner, replacing any earlier version atomically: a reader
     * sees the old secret or the new one, never half of one.
     */
    public static void replaceSecretFile(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        createSecretFile(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a secret file, refusing one that other users could read. */
    public static String readSecretFile(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException(file + " is readable by other users (mode "
                    + PosixFilePermissions.toString(permissions) + "); run: chmod 600 " + file);
        }
        return Files.readString(file).strip();
    }
}

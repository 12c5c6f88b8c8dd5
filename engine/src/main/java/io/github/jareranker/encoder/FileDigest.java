package io.github.jareranker.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SHA-256 of a model file, read once per version of the file and JVM: the engine's {@code sha256} check, the
 * fused-graph cache's key and the Solr wing's pair-cache fingerprint all ask for the ONNX file's checksum at a load,
 * and get one reading. A version is the file's absolute path, size, modification time and file key (the inode where
 * the platform has one), so a file replaced or edited in place is read again. Thread-safe.
 */
public final class FileDigest {
    private static final Map<String, String> SHA256 = new ConcurrentHashMap<>();
    private static final AtomicLong READS = new AtomicLong();

    private FileDigest() {}

    /**
     * The SHA-256 of {@code file}'s bytes, lower-case hex.
     *
     * @throws IOException if the file cannot be read
     */
    public static String sha256(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        String version =
                file.toAbsolutePath().normalize() + "|" + a.size() + "|" + a.lastModifiedTime() + "|" + a.fileKey();
        try {
            return SHA256.computeIfAbsent(version, k -> read(file));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** How many times a file has been read to digest it in this JVM (for tests). */
    static long reads() {
        return READS.get();
    }

    private static String read(Path file) {
        READS.incrementAndGet();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

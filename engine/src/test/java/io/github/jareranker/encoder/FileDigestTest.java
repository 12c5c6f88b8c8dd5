package io.github.jareranker.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jareranker.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileDigest}: the SHA-256 of a file's bytes, read once per version of the file. */
class FileDigestTest {
    @TempDir
    Path tmp;

    @Test
    void theDigestIsTheFilesSha256InLowerCaseHex() throws Exception {
        Path abc = Files.writeString(tmp.resolve("abc"), "abc");
        assertThat(FileDigest.sha256(abc))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Path onnx = TestModels.testModel().resolve("model.onnx");
        assertThat(FileDigest.sha256(onnx))
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(onnx))));
    }

    @Test
    void aFileIsReadOnceUntilItIsReplaced() throws Exception {
        Path file = Files.writeString(tmp.resolve("model.onnx"), "first");
        long before = FileDigest.reads();
        String first = FileDigest.sha256(file);
        assertThat(FileDigest.sha256(file)).isEqualTo(first);
        assertThat(FileDigest.sha256(tmp.resolve(".").resolve("model.onnx")))
                .as("the same file by another spelling")
                .isEqualTo(first);
        assertThat(FileDigest.reads() - before).isEqualTo(1);

        Path other = Files.writeString(tmp.resolve("other"), "second, longer");
        Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);
        assertThat(FileDigest.sha256(file)).isNotEqualTo(first).isEqualTo(FileDigest.sha256(tmp.resolve("model.onnx")));
        assertThat(FileDigest.reads() - before).isEqualTo(2);
    }

    @Test
    void aMissingFileIsAnIOException() {
        assertThatThrownBy(() -> FileDigest.sha256(tmp.resolve("missing.onnx"))).isInstanceOf(IOException.class);
    }
}

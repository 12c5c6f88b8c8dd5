package io.github.jareranker.evaluation.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.github.jareranker.evaluation.Qrels;
import io.github.jareranker.evaluation.Run;
import io.github.jareranker.evaluation.TieBreak;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {
    @TempDir
    Path tmp;

    @Test
    void readsTrecQrelsWithGradesAndLastDuplicateWins() throws IOException {
        Path f = write("q.trec", "q1 0 d1 1\nq1 0 d2 2\n\n# comment\nq2 0 d3 0\nq1 0 d1 3\n");
        Qrels q = QrelsReader.read(f);
        assertThat(q.queryIds()).containsExactly("q1", "q2");
        assertThat(q.judgments("q1")).containsExactly(Map.entry("d1", 3), Map.entry("d2", 2));
        assertThat(q.judgmentCount()).isEqualTo(3);
    }

    @Test
    void trecErrorsNameFileAndLine() throws IOException {
        Path q = write("bad.qrels", "q1 0 d1 1\nq1 0 d2\n");
        assertThatThrownBy(() -> QrelsReader.read(q))
                .hasMessageContaining(q + " line 2")
                .hasMessageContaining("4 fields");
        Path r = write("bad.run", "q1 Q0 d1 1 0.5 x\nq1 Q0 d2 2 high x\n");
        assertThatThrownBy(() -> RunReader.read(r))
                .hasMessageContaining(r + " line 2")
                .hasMessageContaining("score 'high'");
        assertThatThrownBy(() -> RunReader.read(tmp.resolve("nope.trec"))).hasMessageContaining("nope.trec");
    }

    @Test
    void trecRunRoundTripsThroughTheWriter() throws IOException {
        Run run = Run.builder("my run")
                .add("q1", "a", 0.5)
                .add("q1", "b", 2.25)
                .add("q1", "c", 0.5)
                .add("q2", "d", 1e-9)
                .build();
        Path f = tmp.resolve("out/run.trec");
        RunWriter.writeTrec(run, f, TieBreak.INPUT_ORDER);
        assertThat(Files.readAllLines(f))
                .containsExactly(
                        "q1 Q0 b 1 2.25 my_run",
                        "q1 Q0 a 2 0.5 my_run",
                        "q1 Q0 c 3 0.5 my_run",
                        "q2 Q0 d 1 1.0E-9 my_run");
        Run back = RunReader.read(f);
        assertThat(back.name()).isEqualTo("my_run");
        assertThat(back.ranked("q1", TieBreak.INPUT_ORDER))
                .extracting(Run.ScoredDoc::docId)
                .containsExactly("b", "a", "c");
        assertThat(back.results("q2").get(0).score()).isEqualTo(1e-9);
    }

    @Test
    void readsRanxLz4WithIndependentBlocksWrittenByLz4Java() throws IOException {
        Map<String, Map<String, Double>> content = new LinkedHashMap<>();
        content.put("q2", new LinkedHashMap<>(Map.of("d9", 0.25)));
        content.put("q1", new LinkedHashMap<>());
        content.get("q1").put("d2", 3.5);
        content.get("q1").put("d1", 3.5);
        byte[] cbor = new ObjectMapper(new CBORFactory()).writeValueAsBytes(content);
        Path f = tmp.resolve("model-x.lz4");
        Files.write(f, lz4Java(lz4Java(cbor)));
        Run run = RunReader.read(f);
        assertThat(run.name()).isEqualTo("model-x");
        assertThat(run.queryIds()).containsExactly("q2", "q1");
        assertThat(run.results("q1")).extracting(Run.ScoredDoc::docId).containsExactly("d2", "d1"); // file order kept
        assertThat(run.results("q1").get(0).score()).isEqualTo(3.5);
    }

    @Test
    void decodesLinkedBlocksThatReachIntoThePreviousBlock() throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        writeIntLE(frame, 0x184D2204);
        byte[] descriptor = {0x40, 0x40}; // version 1, linked blocks, no checksums; 64 KiB blocks
        frame.write(descriptor);
        frame.write((XXHashFactory.fastestJavaInstance().hash32().hash(descriptor, 0, 2, 0) >>> 8) & 0xFF);
        writeIntLE(frame, 0x80000000 | 4); // block 1, stored: "abcd"
        frame.write("abcd".getBytes(StandardCharsets.US_ASCII));
        // block 2, compressed: copy 8 bytes from 4 back (into block 1, overlapping), then literal "z"
        byte[] block2 = {0x04, 0x04, 0x00, 0x10, 'z'};
        writeIntLE(frame, block2.length);
        frame.write(block2);
        writeIntLE(frame, 0); // end mark
        assertThat(new String(Lz4Frames.decompress(frame.toByteArray()), StandardCharsets.US_ASCII))
                .isEqualTo("abcdabcdabcdz");
        byte[] bad = frame.toByteArray();
        bad[6] ^= 1; // corrupt the header checksum
        assertThatThrownBy(() -> Lz4Frames.decompress(bad)).hasMessageContaining("header checksum");
    }

    @Test
    void rejectsFilesThatAreNotRanxRuns() throws IOException {
        Path f = write("plain.lz4", "q1 Q0 d1 1 0.5 x\n");
        assertThatThrownBy(() -> RunReader.read(f)).hasMessageContaining(f + ": not a ranx .lz4 run");
    }

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static byte[] lz4Java(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new LZ4FrameOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static void writeIntLE(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}

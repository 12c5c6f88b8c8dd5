package io.github.jareranker.evaluation.io;

import java.io.IOException;
import java.util.Arrays;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Decodes LZ4 frames (the LZ4 Frame Format 1.6.x: magic {@code 0x184D2204}, frame descriptor,
 * blocks, end mark, optional checksums; skippable frames skipped; concatenated frames joined).
 *
 * <p>Why not {@code net.jpountz.lz4.LZ4FrameInputStream}: python-lz4, which ranx uses to write
 * {@code .lz4} runs, writes <em>linked</em> blocks by default (a block may copy from the previous
 * 64 KiB of output), and lz4-java's frame stream rejects them ("Dependent block stream is
 * unsupported"). The frame layout and the LZ4 block decoding are small and fully specified, so
 * they are implemented here over one contiguous output buffer, which makes linked and independent
 * blocks the same case. Checksums (header, block, content) are verified with lz4-java's xxHash32.
 */
final class Lz4Frames {
    private static final int MAGIC = 0x184D2204;
    private static final int SKIPPABLE_MASK = 0xFFFFFFF0;
    private static final int SKIPPABLE_MAGIC = 0x184D2A50;
    private static final XXHash32 XXH32 = XXHashFactory.fastestJavaInstance().hash32();

    private Lz4Frames() {}

    /** Decompresses every frame in {@code in} and returns the concatenated content. */
    static byte[] decompress(byte[] in) throws IOException {
        Output out = new Output(Math.max(1024, in.length * 3));
        int pos = 0;
        int frames = 0;
        while (pos < in.length) {
            int magic = readIntLE(in, pos, "frame magic");
            if ((magic & SKIPPABLE_MASK) == SKIPPABLE_MAGIC) {
                int size = readIntLE(in, pos + 4, "skippable frame size");
                pos = checkedEnd(in, pos + 8, size, "skippable frame");
                continue;
            }
            if (magic != MAGIC) {
                throw new IOException(
                        String.format("byte %d: not an LZ4 frame (magic 0x%08X, expected 0x%08X)", pos, magic, MAGIC));
            }
            pos = frame(in, pos + 4, out);
            frames++;
        }
        if (frames == 0) {
            throw new IOException("no LZ4 frame in " + in.length + " bytes");
        }
        return out.toByteArray();
    }

    /** Decodes one frame starting after its magic number; returns the position after it. */
    private static int frame(byte[] in, int pos, Output out) throws IOException {
        int descriptorStart = pos;
        int flg = readByte(in, pos++, "frame descriptor");
        int bd = readByte(in, pos++, "frame descriptor");
        if ((flg >>> 6) != 1) {
            throw new IOException("byte " + (pos - 2) + ": unsupported LZ4 frame version " + (flg >>> 6));
        }
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentSizeFlag = (flg & 0x08) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        boolean dictId = (flg & 0x01) != 0;
        int blockMaxCode = (bd >>> 4) & 0x7;
        if (blockMaxCode < 4) {
            throw new IOException("byte " + (pos - 1) + ": invalid LZ4 block maximum size code " + blockMaxCode);
        }
        int blockMax = 1 << (8 + 2 * blockMaxCode);
        long contentSize = -1;
        if (contentSizeFlag) {
            contentSize = (readIntLE(in, pos, "content size") & 0xFFFFFFFFL)
                    | ((long) readIntLE(in, pos + 4, "content size") << 32);
            pos += 8;
        }
        if (dictId) {
            throw new IOException("byte " + pos + ": LZ4 frames with a dictionary id are not supported");
        }
        int hc = readByte(in, pos, "header checksum");
        int expectedHc = (XXH32.hash(in, descriptorStart, pos - descriptorStart, 0) >>> 8) & 0xFF;
        if (hc != expectedHc) {
            throw new IOException("byte " + pos + ": LZ4 frame header checksum mismatch");
        }
        pos++;
        int contentStart = out.size;
        while (true) {
            int header = readIntLE(in, pos, "block size");
            pos += 4;
            if (header == 0) {
                break;
            }
            boolean uncompressed = (header & 0x80000000) != 0;
            int size = header & 0x7FFFFFFF;
            int end = checkedEnd(in, pos, size, "LZ4 block");
            if (uncompressed) {
                if (size > blockMax) {
                    throw new IOException("byte " + pos + ": LZ4 block of " + size
                            + " bytes exceeds the frame's maximum " + blockMax);
                }
                out.write(in, pos, size);
            } else {
                decodeBlock(in, pos, end, out, blockMax);
            }
            if (blockChecksum) {
                int sum = readIntLE(in, end, "block checksum");
                if (sum != XXH32.hash(in, pos, size, 0)) {
                    throw new IOException("byte " + end + ": LZ4 block checksum mismatch");
                }
                end += 4;
            }
            pos = end;
        }
        int produced = out.size - contentStart;
        if (contentSize >= 0 && contentSize != produced) {
            throw new IOException("LZ4 frame declares " + contentSize + " content bytes but holds " + produced);
        }
        if (contentChecksum) {
            int sum = readIntLE(in, pos, "content checksum");
            if (sum != XXH32.hash(out.buf, contentStart, produced, 0)) {
                throw new IOException("byte " + pos + ": LZ4 content checksum mismatch");
            }
            pos += 4;
        }
        return pos;
    }

    /**
     * Decodes one LZ4 block (sequences of literals and back-references) appending to {@code out};
     * back-references may reach into earlier output of the frame (linked blocks).
     */
    private static void decodeBlock(byte[] in, int pos, int end, Output out, int blockMax) throws IOException {
        int blockStart = out.size;
        while (true) {
            int token = readByte(in, pos++, "LZ4 sequence token", end);
            int literals = token >>> 4;
            if (literals == 15) {
                int b;
                do {
                    b = readByte(in, pos++, "LZ4 literal length", end);
                    literals += b;
                } while (b == 255);
            }
            int literalEnd = checkedEnd(in, pos, literals, "LZ4 literals");
            if (literalEnd > end) {
                throw new IOException("byte " + pos + ": LZ4 literals run past the end of the block");
            }
            out.write(in, pos, literals);
            pos = literalEnd;
            if (pos == end) {
                break; // the last sequence has literals only
            }
            int offset =
                    readByte(in, pos, "LZ4 match offset", end) | (readByte(in, pos + 1, "LZ4 match offset", end) << 8);
            pos += 2;
            int matchLength = (token & 0xF) + 4;
            if ((token & 0xF) == 15) {
                int b;
                do {
                    b = readByte(in, pos++, "LZ4 match length", end);
                    matchLength += b;
                } while (b == 255);
            }
            if (offset == 0 || offset > out.size) {
                throw new IOException("byte " + pos + ": invalid LZ4 match offset " + offset);
            }
            out.copyMatch(offset, matchLength);
        }
        if (out.size - blockStart > blockMax) {
            throw new IOException(
                    "LZ4 block decodes to " + (out.size - blockStart) + " bytes, over the frame's maximum " + blockMax);
        }
    }

    private static int readByte(byte[] in, int pos, String what) throws IOException {
        return readByte(in, pos, what, in.length);
    }

    private static int readByte(byte[] in, int pos, String what, int end) throws IOException {
        if (pos >= end) {
            throw new IOException("byte " + pos + ": truncated LZ4 data (reading " + what + ")");
        }
        return in[pos] & 0xFF;
    }

    private static int readIntLE(byte[] in, int pos, String what) throws IOException {
        if (pos < 0 || pos + 4 > in.length) {
            throw new IOException("byte " + pos + ": truncated LZ4 data (reading " + what + ")");
        }
        return (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8 | (in[pos + 2] & 0xFF) << 16 | (in[pos + 3] & 0xFF) << 24;
    }

    private static int checkedEnd(byte[] in, int pos, int size, String what) throws IOException {
        long end = (long) pos + size;
        if (size < 0 || end > in.length) {
            throw new IOException("byte " + pos + ": truncated LZ4 data (" + what + " of " + size + " bytes)");
        }
        return (int) end;
    }

    /** A growable byte buffer with LZ4's overlapping match copy. */
    private static final class Output {
        byte[] buf;
        int size;

        Output(int capacity) {
            buf = new byte[capacity];
        }

        void ensure(int extra) throws IOException {
            long needed = (long) size + extra;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IOException("LZ4 content larger than 2 GiB");
            }
            if (needed > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, buf.length * 2L)));
            }
        }

        void write(byte[] src, int off, int len) throws IOException {
            ensure(len);
            System.arraycopy(src, off, buf, size, len);
            size += len;
        }

        void copyMatch(int offset, int length) throws IOException {
            ensure(length);
            int from = size - offset;
            if (offset >= length) {
                System.arraycopy(buf, from, buf, size, length);
            } else {
                for (int i = 0; i < length; i++) {
                    buf[size + i] = buf[from + i]; // overlapping: repeats the last `offset` bytes
                }
            }
            size += length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }
}

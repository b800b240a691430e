package io.jhsm.engine.store;

import io.jhsm.pkcs11.Attribute;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact, versioned binary form of an attribute list: what gets sealed into an object row.
 *
 * <pre>
 * encoding  = version(1 byte, = 1) list
 * list      = count(varint) attribute*
 * attribute = type(varint, unsigned 64-bit) kind(1 byte) body
 * kind 0    : null value (no body)
 * kind 1    : length(varint) value bytes
 * kind 2    : list (a nested template: CKA_WRAP/UNWRAP/DERIVE_TEMPLATE)
 * </pre>
 * Varints are unsigned LEB128, so vendor types (high bit set) take 5 bytes and common ones 1-2.
 * Decoding is strict (bounds, nesting depth, no trailing bytes): a blob that decrypted but does
 * not parse means a bug or a format mismatch, and must not yield a half-read object.
 */
public final class AttributeCodec {

    public static final int VERSION = 1;

    private static final int KIND_NULL = 0;
    private static final int KIND_BYTES = 1;
    private static final int KIND_TEMPLATE = 2;
    /** PKCS#11 templates nest one level; a little slack, but bounded so a bad blob cannot recurse deeply. */
    private static final int MAX_DEPTH = 4;

    private AttributeCodec() {}

    public static byte[] encode(List<Attribute> attributes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 16 * attributes.size());
        out.write(VERSION);
        writeList(out, attributes, 0);
        return out.toByteArray();
    }

    public static List<Attribute> decode(byte[] encoded) {
        if (encoded.length == 0 || encoded[0] != VERSION) {
            throw new IllegalArgumentException("unknown attribute encoding version");
        }
        Reader in = new Reader(encoded, 1);
        List<Attribute> result = readList(in, 0);
        if (in.pos != encoded.length) {
            throw new IllegalArgumentException("trailing bytes after attribute list");
        }
        return result;
    }

    private static void writeList(ByteArrayOutputStream out, List<Attribute> list, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("attribute templates nested too deeply");
        }
        writeVarint(out, list.size());
        for (Attribute a : list) {
            writeVarint(out, a.type());
            if (a.template() != null) {
                out.write(KIND_TEMPLATE);
                writeList(out, a.template(), depth + 1);
            } else if (a.value() == null) {
                out.write(KIND_NULL);
            } else {
                out.write(KIND_BYTES);
                writeVarint(out, a.value().length);
                out.write(a.value(), 0, a.value().length);
            }
        }
    }

    private static List<Attribute> readList(Reader in, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("attribute templates nested too deeply");
        }
        int count = in.length();
        // Each attribute takes at least two bytes, which bounds the allocation below.
        List<Attribute> list = new ArrayList<>(Math.min(count, in.remaining() / 2));
        for (int i = 0; i < count; i++) {
            long type = in.varint();
            int kind = in.u8();
            switch (kind) {
                case KIND_NULL -> list.add(new Attribute(type, null, null));
                case KIND_BYTES -> list.add(new Attribute(type, in.bytes(in.length()), null));
                case KIND_TEMPLATE -> list.add(new Attribute(type, null, readList(in, depth + 1)));
                default -> throw new IllegalArgumentException("unknown attribute kind " + kind);
            }
        }
        return list;
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        int remaining() {
            return buf.length - pos;
        }

        int u8() {
            if (pos >= buf.length) {
                throw new IllegalArgumentException("truncated attribute encoding");
            }
            return buf[pos++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        /** A count or length: must fit what is left of the buffer. */
        int length() {
            long v = varint();
            if (v < 0 || v > remaining()) {
                throw new IllegalArgumentException("length " + v + " exceeds the encoding");
            }
            return (int) v;
        }

        byte[] bytes(int n) {
            byte[] b = new byte[n];
            System.arraycopy(buf, pos, b, 0, n);
            pos += n;
            return b;
        }
    }
}

package io.jhsm.conformance.suites;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators shared by the suites: data lengths that hit block boundaries, and multi-part splits. */
public final class Gens {
    private Gens() {}

    /** Data of a length chosen to land on, just before and just after block boundaries often, including 0. */
    public static Gen<byte[]> data(int max) {
        Gen<Integer> boundary = Generate.pick(List.of(0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65));
        Gen<Integer> any = integers().between(0, max);
        return bytes(boundary.mix(any, 50));
    }

    /** Data whose length is a multiple of 16 (ECB and CBC without padding), including 0. */
    public static Gen<byte[]> blocks(int maxBlocks) {
        return bytes(integers().between(0, maxBlocks).map(n -> n * 16));
    }

    public static Gen<byte[]> bytes(Gen<Integer> lengths) {
        return Generate.byteArrays(lengths, Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
                .describedAs(b -> b.length + " bytes " + HexFormat.of().formatHex(b, 0, Math.min(b.length, 24))
                        + (b.length > 24 ? "…" : ""));
    }

    public static Gen<byte[]> fixed(int length) {
        return bytes(Generate.constant(length));
    }

    /** Cut points as fractions of the data (0..100 per cent), so a split shrinks independently of the data. */
    public static Gen<List<Integer>> splits() {
        return lists().of(integers().between(0, 100)).ofSizeBetween(0, 5);
    }

    /** The data cut at the given per-cent points, in order; empty parts are allowed, as C callers may pass them. */
    public static List<byte[]> cut(byte[] data, List<Integer> percents) {
        List<Integer> points = new ArrayList<>();
        for (int pc : percents) {
            points.add(data.length * pc / 100);
        }
        points.sort(Integer::compare);
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int at : points) {
            parts.add(java.util.Arrays.copyOfRange(data, from, at));
            from = at;
        }
        parts.add(java.util.Arrays.copyOfRange(data, from, data.length));
        return parts;
    }
}

package io.jhsm.engine.mechanism;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.engine.mechanism.registry.MechanismRegistry;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Ulong;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/** Test helpers: a KeyView over a plain attribute map, and small assertion shorthands. */
public final class TestKeys {
    private TestKeys() {}

    public static final MechanismRegistry REGISTRY = MechanismRegistry.standard();

    public static final class MapKeyView implements KeyView {
        final Map<Long, byte[]> attributes = new HashMap<>();
        final Map<Class<?>, Object> cache = new HashMap<>();

        @Override
        public byte[] attribute(long type) {
            return attributes.get(type);
        }

        @Override
        public <T> T cached(Class<T> slot, Supplier<T> compute) {
            return slot.cast(cache.computeIfAbsent(slot, s -> compute.get()));
        }

        public MapKeyView with(long type, byte[] value) {
            attributes.put(type, value);
            return this;
        }

        public MapKeyView with(long type, long value) {
            return with(type, Ulong.encode(value));
        }
    }

    public static MapKeyView key(long objectClass, long keyType, List<Attribute> material) {
        MapKeyView k = new MapKeyView().with(CKA.CLASS, objectClass).with(CKA.KEY_TYPE, keyType);
        for (Attribute a : material) {
            k.with(a.type(), a.value());
        }
        return k;
    }

    public static MapKeyView secret(long keyType, byte[] value) {
        return new MapKeyView().with(CKA.CLASS, CKO.SECRET_KEY).with(CKA.KEY_TYPE, keyType).with(CKA.VALUE, value);
    }

    public static MechanismImpl impl(long ckm) {
        return REGISTRY.get(ckm).impl();
    }

    public static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replace(" ", ""));
    }

    public static void assertRv(long rv, Executable call) {
        CkException e = assertThrows(CkException.class, call);
        assertEquals(CKR.name(rv), CKR.name(e.rv()), e.getMessage());
    }

    public static byte[] concat(byte[]... parts) {
        return Bytes.concat(parts);
    }

    /** Runs a cipher over data fed in two parts split at {@code split}. */
    public static byte[] run(CipherOperation op, byte[] data, int split) {
        int s = Math.min(split, data.length);
        byte[] a = op.update(java.util.Arrays.copyOfRange(data, 0, s));
        byte[] b = op.update(java.util.Arrays.copyOfRange(data, s, data.length));
        return concat(a, b, op.doFinal());
    }

    public static byte[] run(CipherOperation op, byte[] data) {
        return concat(op.update(data), op.doFinal());
    }
}

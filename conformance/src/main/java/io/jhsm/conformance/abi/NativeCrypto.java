package io.jhsm.conformance.abi;

import static io.jhsm.conformance.abi.FunctionList.*;

import com.sun.jna.Memory;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.Mechanism;
import java.util.List;

/** The cryptographic and key-management calls of {@link NativeCryptoki}: marshalling only. */
final class NativeCrypto {
    interface Producer {
        int produce(int index, byte[] out, Object... leading);
    }

    interface Caller {
        long call(int index, Object... args);
    }

    private final Producer producer;
    private final Caller caller;

    NativeCrypto(Producer producer, Caller caller) {
        this.producer = producer;
        this.caller = caller;
    }

    private void check(int index, Object... args) {
        AttributeReader.check(caller.call(index, args));
    }

    private static long len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    void init(int index, long h, Mechanism m, long key) {
        check(index, h, new Structs().mechanism(m), key);
    }

    void digestInit(long h, Mechanism m) {
        check(C_DigestInit, h, new Structs().mechanism(m));
    }

    int oneShot(int index, long h, byte[] in, byte[] out) {
        return producer.produce(index, out, h, new Structs().bytes(in), len(in));
    }

    void update(int index, long h, byte[] in) {
        check(index, h, new Structs().bytes(in), len(in));
    }

    void verify(long h, byte[] data, byte[] signature) {
        Structs s = new Structs();
        check(C_Verify, h, s.bytes(data), len(data), s.bytes(signature), len(signature));
    }

    long generateKey(long h, Mechanism m, List<Attribute> t) {
        Structs s = new Structs();
        Memory key = s.ulong(0);
        check(C_GenerateKey, h, s.mechanism(m), s.template(t), (long) t.size(), key);
        return key.getLong(0);
    }

    long[] generateKeyPair(long h, Mechanism m, List<Attribute> pub, List<Attribute> priv) {
        Structs s = new Structs();
        Memory hPub = s.ulong(0);
        Memory hPriv = s.ulong(0);
        check(C_GenerateKeyPair, h, s.mechanism(m), s.template(pub), (long) pub.size(), s.template(priv),
                (long) priv.size(), hPub, hPriv);
        return new long[] {hPub.getLong(0), hPriv.getLong(0)};
    }

    int wrap(long h, Mechanism m, long wrapping, long key, byte[] out) {
        return producer.produce(C_WrapKey, out, h, new Structs().mechanism(m), wrapping, key);
    }

    long unwrap(long h, Mechanism m, long unwrapping, byte[] blob, List<Attribute> t) {
        Structs s = new Structs();
        Memory key = s.ulong(0);
        check(C_UnwrapKey, h, s.mechanism(m), unwrapping, s.bytes(blob), len(blob), s.template(t), (long) t.size(), key);
        return key.getLong(0);
    }

    int wrapAuthenticated(long h, Mechanism m, long wrapping, long key, byte[] aad, byte[] out) {
        Structs s = new Structs();
        return producer.produce(C_WrapKeyAuthenticated, out, h, s.mechanism(m), wrapping, key, s.bytes(aad), len(aad));
    }

    long unwrapAuthenticated(long h, Mechanism m, long unwrapping, byte[] blob, List<Attribute> t, byte[] aad) {
        Structs s = new Structs();
        Memory key = s.ulong(0);
        check(C_UnwrapKeyAuthenticated, h, s.mechanism(m), unwrapping, s.bytes(blob), len(blob), s.template(t), (long) t.size(),
                s.bytes(aad), len(aad), key);
        return key.getLong(0);
    }

    long derive(long h, Mechanism m, long base, List<Attribute> t) {
        Structs s = new Structs();
        Memory key = s.ulong(0);
        check(C_DeriveKey, h, s.mechanism(m), base, s.template(t), (long) t.size(), key);
        return key.getLong(0);
    }

    void random(long h, byte[] out) {
        Memory m = new Structs().alloc(out.length);
        check(C_GenerateRandom, h, m, (long) out.length);
        m.read(0, out, 0, out.length);
    }
}

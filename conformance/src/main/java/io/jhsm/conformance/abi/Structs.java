package io.jhsm.conformance.abi;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.ArrayList;
import java.util.List;

/**
 * Java values as the C structs of Linux x86-64 (CK_ULONG and pointers 8 bytes). JNA frees a
 * {@link Memory} once it is unreachable, and a buffer that only another buffer points to (a mechanism's
 * parameter, an attribute's value) is reachable from Java through this instance alone, which the caller
 * usually drops before the call (`f.call(C_SignInit, h, new Structs().mechanism(m), key)`). So every buffer
 * holds its {@link Structs}: while the call has any of them as an argument, all of them stay allocated.
 */
public final class Structs {
    static final int ATTRIBUTE_SIZE = 24;
    private final List<Memory> keep = new ArrayList<>();

    public Memory alloc(long size) {
        Memory m = new Buffer(Math.max(1, size), this);
        m.clear();
        keep.add(m);
        return m;
    }

    /** Native memory that keeps every other buffer of its call allocated as long as it is reachable itself. */
    private static final class Buffer extends Memory {
        @SuppressWarnings({"unused", "FieldCanBeLocal"}) // held for reachability only
        private final Structs call;

        Buffer(long size, Structs call) {
            super(size);
            this.call = call;
        }
    }

    /** The bytes in native memory, or NULL for null (an empty array still gets a valid pointer). */
    public Pointer bytes(byte[] b) {
        if (b == null) {
            return Pointer.NULL;
        }
        Memory m = alloc(b.length);
        m.write(0, b, 0, b.length);
        return m;
    }

    Memory ulong(long value) {
        Memory m = alloc(8);
        m.setLong(0, value);
        return m;
    }

    /** A CK_ATTRIBUTE array; attribute-array values (CKA_WRAP_TEMPLATE …) become nested arrays. */
    public Pointer template(List<Attribute> template) {
        if (template == null) {
            return Pointer.NULL;
        }
        Memory m = alloc((long) ATTRIBUTE_SIZE * template.size());
        for (int i = 0; i < template.size(); i++) {
            Attribute a = template.get(i);
            long at = (long) ATTRIBUTE_SIZE * i;
            m.setLong(at, a.type());
            if (a.template() != null) {
                m.setPointer(at + 8, template(a.template()));
                m.setLong(at + 16, (long) ATTRIBUTE_SIZE * a.template().size());
            } else {
                m.setPointer(at + 8, a.value() == null ? Pointer.NULL : bytes(a.value()));
                m.setLong(at + 16, a.value() == null ? 0 : a.value().length);
            }
        }
        return m;
    }

    /** A CK_MECHANISM, or NULL for null (PKCS#11 3.0: an Init with NULL cancels). */
    Pointer mechanism(Mechanism mechanism) {
        if (mechanism == null) {
            return Pointer.NULL;
        }
        Memory m = alloc(24);
        m.setLong(0, mechanism.type());
        Memory param = params(mechanism.params());
        m.setPointer(8, param == null ? Pointer.NULL : param);
        m.setLong(16, param == null ? 0 : param.size());
        return m;
    }

    private Memory params(MechanismParams p) {
        if (p == null) {
            return null;
        }
        if (p instanceof MechanismParams.Bytes b) {
            Memory m = alloc(b.bytes().length);
            m.write(0, b.bytes(), 0, b.bytes().length);
            return b.bytes().length == 0 ? null : m;
        }
        if (p instanceof MechanismParams.UlongValue u) {
            return ulong(u.value());
        }
        if (p instanceof MechanismParams.Gcm g) {
            return struct(bytes(g.iv()), len(g.iv()), g.ivBits(), bytes(g.aad()), len(g.aad()), g.tagBits());
        }
        if (p instanceof MechanismParams.Ccm c) {
            return struct(c.dataLen(), bytes(c.nonce()), len(c.nonce()), bytes(c.aad()), len(c.aad()), c.macLen());
        }
        if (p instanceof MechanismParams.Ctr c) {
            Memory m = alloc(24);
            m.setLong(0, c.counterBits());
            m.write(8, c.counterBlock(), 0, 16);
            return m;
        }
        if (p instanceof MechanismParams.Pss s) {
            return struct(s.hashAlg(), s.mgf(), s.saltLength());
        }
        if (p instanceof MechanismParams.Oaep o) {
            return struct(o.hashAlg(), o.mgf(), o.source(), bytes(o.sourceData()), len(o.sourceData()));
        }
        if (p instanceof MechanismParams.Ecdh1Derive e) {
            return struct(e.kdf(), len(e.sharedData()), bytes(e.sharedData()), len(e.publicData()), bytes(e.publicData()));
        }
        if (p instanceof MechanismParams.DerivationString d) { // CK_KEY_DERIVATION_STRING_DATA
            return struct(bytes(d.data()), len(d.data()));
        }
        if (p instanceof MechanismParams.SignAdditionalContext c) {
            return struct(c.hedgeVariant(), bytes(c.context()), len(c.context()));
        }
        if (p instanceof MechanismParams.HashSignAdditionalContext c) {
            return struct(c.hedgeVariant(), bytes(c.context()), len(c.context()), c.hash());
        }
        throw new IllegalArgumentException("no C layout for " + p.getClass().getSimpleName());
    }

    private static long len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    /** A struct of 8-byte fields: each a CK_ULONG (Long) or a pointer. */
    private Memory struct(Object... fields) {
        Memory m = alloc(8L * fields.length);
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] instanceof Long l) {
                m.setLong(8L * i, l);
            } else {
                m.setPointer(8L * i, (Pointer) fields[i]);
            }
        }
        return m;
    }
}

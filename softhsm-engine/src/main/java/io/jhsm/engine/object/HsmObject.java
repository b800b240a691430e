package io.jhsm.engine.object;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.Ck;
import io.jhsm.pkcs11.Ulong;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A token or session object. Its attributes are an immutable snapshot: a change makes a new
 * HsmObject, so readers on other threads never see a half-applied C_SetAttributeValue.
 */
public final class HsmObject implements KeyView {
    private final long handle;
    private final Map<Long, Attribute> attributes;
    private final Map<Class<?>, Object> cache = new ConcurrentHashMap<>();
    /** The session that created a session object (it dies with that session); 0 for token objects. */
    private final long creatorSession;

    public HsmObject(long handle, Map<Long, Attribute> attributes, long creatorSession) {
        this.handle = handle;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        this.creatorSession = creatorSession;
    }

    public long handle() {
        return handle;
    }

    public long creatorSession() {
        return creatorSession;
    }

    public Map<Long, Attribute> attributes() {
        return attributes;
    }

    public List<Attribute> attributeList() {
        return List.copyOf(attributes.values());
    }

    public HsmObject withAttributes(Map<Long, Attribute> changed) {
        return new HsmObject(handle, changed, creatorSession);
    }

    @Override
    public byte[] attribute(long type) {
        Attribute a = attributes.get(type);
        return a == null ? null : a.value();
    }

    public boolean flag(long type) {
        byte[] v = attribute(type);
        return v != null && v.length == 1 && v[0] != 0;
    }

    public long ulongOr(long type, long otherwise) {
        byte[] v = attribute(type);
        return v == null ? otherwise : Ulong.decode(v);
    }

    public long objectClassOrUnknown() {
        return ulongOr(CKA.CLASS, Ck.UNAVAILABLE_INFORMATION);
    }

    public long keyTypeOrUnknown() {
        return ulongOr(CKA.KEY_TYPE, Ck.UNAVAILABLE_INFORMATION);
    }

    public boolean isTokenObject() {
        return flag(CKA.TOKEN);
    }

    public boolean isPrivate() {
        return flag(CKA.PRIVATE);
    }

    public String owner() {
        byte[] v = attribute(JhsmAttributes.OWNER);
        return v == null ? "" : new String(v, StandardCharsets.UTF_8);
    }

    @Override
    public <T> T cached(Class<T> slot, Supplier<T> compute) {
        return slot.cast(cache.computeIfAbsent(slot, k -> compute.get()));
    }

    @Override
    public String toString() {
        return "object " + handle;
    }
}

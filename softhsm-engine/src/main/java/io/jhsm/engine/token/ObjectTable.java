package io.jhsm.engine.token;

import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.store.ObjectChanges;
import io.jhsm.engine.store.TokenStore;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKP;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The objects of one token as this process sees them: token objects mirrored from the store (their
 * handle is their store id, the same in every process) and session objects (handles from a range of
 * their own). Session-object lookups are lock-free; token-object lookups and searches {@link #refresh} first,
 * which catches up with other processes' writes.
 */
final class ObjectTable {
    /** Session object handles start here, far above any store id a token will reach. */
    static final long SESSION_HANDLE_BASE = 0x4000_0000L;

    private final TokenStore store;
    private final Map<Long, HsmObject> objects = new ConcurrentHashMap<>();
    /** The session objects among them, so closing a session does not scan every token object. */
    private final Map<Long, HsmObject> sessionObjects = new ConcurrentHashMap<>();
    /**
     * The same by the session that made them, so closing a session visits only its own objects. Scanning
     * sessionObjects instead cost time in proportion to its table's capacity, which a ConcurrentHashMap
     * never gives back: after one burst of 15,000 session keys every C_CloseSession walked 32,000 buckets.
     */
    private final Map<Long, Map<Long, HsmObject>> bySession = new ConcurrentHashMap<>();
    private final AtomicLong nextSessionHandle = new AtomicLong(SESSION_HANDLE_BASE);
    private long generation;

    /** PKCS#11 3.0 profile objects: fixed, public, and outside the store (every jhsm token meets the same profiles). */
    static final long PROFILE_HANDLE_BASE = 0x3F00_0000L;
    private static final long[] PROFILES = {CKP.BASELINE_PROVIDER, CKP.EXTENDED_PROVIDER, CKP.AUTHENTICATION_TOKEN,
            CKP.PUBLIC_CERTIFICATES_TOKEN};

    ObjectTable(TokenStore store) {
        this.store = store;
        for (int i = 0; i < PROFILES.length; i++) {
            Map<Long, Attribute> p = new java.util.LinkedHashMap<>();
            p.put(CKA.CLASS, Attribute.of(CKA.CLASS, CKO.PROFILE));
            p.put(CKA.TOKEN, Attribute.of(CKA.TOKEN, true));
            p.put(CKA.PRIVATE, Attribute.of(CKA.PRIVATE, false));
            p.put(CKA.MODIFIABLE, Attribute.of(CKA.MODIFIABLE, false));
            p.put(CKA.COPYABLE, Attribute.of(CKA.COPYABLE, false));
            p.put(CKA.DESTROYABLE, Attribute.of(CKA.DESTROYABLE, false));
            p.put(CKA.LABEL, Attribute.of(CKA.LABEL, new byte[0]));
            p.put(CKA.PROFILE_ID, Attribute.of(CKA.PROFILE_ID, PROFILES[i]));
            objects.put(PROFILE_HANDLE_BASE + i, new HsmObject(PROFILE_HANDLE_BASE + i, p, 0));
        }
    }

    /** Keys held now: token keys as committed (after a refresh) and this process's session keys; users 0 (the token's to fill). */
    TokenCounts counts() {
        refresh();
        long token = 0;
        long session = 0;
        for (HsmObject o : objects.values()) {
            long c = o.objectClassOrUnknown();
            if (c == CKO.SECRET_KEY || c == CKO.PRIVATE_KEY || c == CKO.PUBLIC_KEY) {
                if (o.isTokenObject()) {
                    token++;
                } else {
                    session++;
                }
            }
        }
        return new TokenCounts(token, session, 0);
    }

    /** Applies what any process committed since the last refresh. */
    synchronized void refresh() {
        ObjectChanges changes = store.changesSince(generation);
        if (changes.generation() < generation) {
            // The database was replaced under us: every cached stored object is gone.
            objects.values().removeIf(o -> o.handle() < PROFILE_HANDLE_BASE);
        }
        for (Long id : changes.deleted()) {
            objects.remove(id);
        }
        changes.upserted().forEach((id, attrs) -> objects.put(id, new HsmObject(id, byType(attrs), 0)));
        generation = changes.generation();
    }

    /**
     * The object with this handle as committed now. For a token object that first asks the store whether any
     * process committed since the last refresh (one PRAGMA data_version when nothing did), so a key another
     * process destroyed, restricted or unshared is refused at once, not after the next search. Session and
     * profile objects live only here and need no check.
     */
    HsmObject get(long handle) {
        if (handle > 0 && handle < PROFILE_HANDLE_BASE) {
            refresh();
        }
        return objects.get(handle);
    }

    HsmObject add(Map<Long, Attribute> attributes, long creatorSession) {
        boolean token = attributes.get(CKA.TOKEN).asBoolean();
        long handle = token ? store.insertObject(List.copyOf(attributes.values())) : nextSessionHandle.incrementAndGet();
        HsmObject o = new HsmObject(handle, attributes, token ? 0 : creatorSession);
        objects.put(handle, o);
        if (!token) {
            indexSessionObject(o);
        }
        return o;
    }

    HsmObject replace(HsmObject old, Map<Long, Attribute> attributes) {
        if (old.isTokenObject()) {
            store.updateObject(old.handle(), List.copyOf(attributes.values()));
        }
        HsmObject o = old.withAttributes(attributes);
        objects.put(o.handle(), o);
        if (!o.isTokenObject()) {
            indexSessionObject(o);
        }
        return o;
    }

    void remove(HsmObject o) {
        if (o.isTokenObject()) {
            store.deleteObject(o.handle());
        }
        objects.remove(o.handle());
        unindexSessionObject(o);
    }

    private void indexSessionObject(HsmObject o) {
        sessionObjects.put(o.handle(), o);
        bySession.computeIfAbsent(o.creatorSession(), k -> new ConcurrentHashMap<>()).put(o.handle(), o);
    }

    private void unindexSessionObject(HsmObject o) {
        sessionObjects.remove(o.handle());
        dropFromSessionIndex(o);
    }

    private void dropFromSessionIndex(HsmObject o) {
        Map<Long, HsmObject> own = bySession.get(o.creatorSession());
        if (own != null) {
            own.remove(o.handle());
        }
    }

    List<HsmObject> snapshot() {
        return new ArrayList<>(objects.values());
    }

    void removeSessionObjects(Predicate<HsmObject> which) {
        sessionObjects.values().removeIf(o -> {
            if (which.test(o)) {
                objects.remove(o.handle());
                dropFromSessionIndex(o);
                return true;
            }
            return false;
        });
    }

    /** C_CloseSession: the session's objects go, found through its own index rather than a scan. */
    void removeObjectsOf(long session) {
        Map<Long, HsmObject> own = bySession.remove(session);
        if (own != null) {
            for (HsmObject o : own.values()) {
                objects.remove(o.handle());
                sessionObjects.remove(o.handle());
            }
        }
    }

    /** After this process re-initialised the token: no stored or session object survives. */
    synchronized void clear() {
        objects.values().removeIf(o -> o.handle() < PROFILE_HANDLE_BASE || o.handle() >= SESSION_HANDLE_BASE);
        sessionObjects.clear();
        bySession.clear();
        generation = 0;
    }

    private static Map<Long, Attribute> byType(List<Attribute> attributes) {
        Map<Long, Attribute> m = new java.util.LinkedHashMap<>();
        for (Attribute a : attributes) {
            m.put(a.type(), a);
        }
        return m;
    }
}

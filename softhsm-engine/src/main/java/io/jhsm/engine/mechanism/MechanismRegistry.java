package io.jhsm.engine.mechanism;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one mechanism table: every family contributes its rows, the engine looks a type up here for
 * C_GetMechanismList, C_GetMechanismInfo and every *Init. Built once; read-only afterwards, so
 * lookups need no locking.
 */
public final class MechanismRegistry {
    private final Map<Long, MechanismEntry> byType = new HashMap<>();
    private final long[] types;

    public MechanismRegistry(List<MechanismFamily> families) {
        for (MechanismFamily family : families) {
            for (MechanismEntry e : family.entries()) {
                if (byType.putIfAbsent(e.type(), e) != null) {
                    throw new IllegalStateException("mechanism 0x" + Long.toHexString(e.type()) + " registered twice");
                }
            }
        }
        types = byType.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The mechanisms this module implements. */
    public static MechanismRegistry standard() {
        return new MechanismRegistry(List.of(
                new DigestFamily(),
                new HmacFamily(),
                new AesFamily(),
                new RsaFamily(),
                new EcFamily(),
                new KeyWrapFamily(),
                new EcdhFamily(),
                new HkdfFamily(),
                new Sp800108Family(),
                new KeyMixFamily(),
                new EncryptDataFamily(),
                new Pbkdf2Family(),
                new EdwardsFamily(),
                new AesModesFamily(),
                new ChaChaFamily(),
                new Des3Family(),
                new MlDsaFamily(),
                new SlhDsaFamily(),
                new MlKemFamily()));
    }

    /** The row for the type, or null when the module does not implement it (CKR_MECHANISM_INVALID). */
    public MechanismEntry get(long type) {
        return byType.get(type);
    }

    /** All implemented types in ascending order, as C_GetMechanismList reports them. */
    public long[] types() {
        return Arrays.copyOf(types, types.length);
    }
}

package io.jhsm.engine.mechanism.registry;

import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.aes.AesFamily;
import io.jhsm.engine.mechanism.aes.AesModesFamily;
import io.jhsm.engine.mechanism.chacha.ChaChaFamily;
import io.jhsm.engine.mechanism.des.Des3Family;
import io.jhsm.engine.mechanism.des.DesFamily;
import io.jhsm.engine.mechanism.digest.DigestFamily;
import io.jhsm.engine.mechanism.ec.EcFamily;
import io.jhsm.engine.mechanism.ec.EcdhFamily;
import io.jhsm.engine.mechanism.edwards.EdwardsFamily;
import io.jhsm.engine.mechanism.kdf.EncryptDataFamily;
import io.jhsm.engine.mechanism.kdf.HkdfFamily;
import io.jhsm.engine.mechanism.kdf.KeyMixFamily;
import io.jhsm.engine.mechanism.kdf.Pbkdf2Family;
import io.jhsm.engine.mechanism.kdf.Sp800108Family;
import io.jhsm.engine.mechanism.mac.HmacFamily;
import io.jhsm.engine.mechanism.pqc.MlDsaFamily;
import io.jhsm.engine.mechanism.pqc.MlKemFamily;
import io.jhsm.engine.mechanism.pqc.SlhDsaFamily;
import io.jhsm.engine.mechanism.rsa.RsaFamily;
import io.jhsm.engine.mechanism.wrap.KeyWrapFamily;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The one mechanism table: every family contributes its rows, the engine looks a type up here for
 * C_GetMechanismList, C_GetMechanismInfo and every *Init. Built once per configuration, which decides
 * whether the families' legacy rows are in; read-only afterwards, so lookups need no locking.
 */
public final class MechanismRegistry {
    private final Map<Long, MechanismEntry> byType = new HashMap<>();
    private final Set<Long> legacyTypes = new HashSet<>();
    private final Set<Long> withheldKeyTypes = new HashSet<>();
    private final long[] types;

    public MechanismRegistry(List<MechanismFamily> families, boolean legacyAlgorithms) {
        for (MechanismFamily family : families) {
            for (MechanismEntry e : family.entries()) {
                if (byType.putIfAbsent(e.type(), e) != null) {
                    throw registeredTwice(e);
                }
            }
        }
        for (MechanismFamily family : families) {
            for (MechanismEntry e : family.legacyEntries()) {
                if (!legacyTypes.add(e.type())) {
                    throw registeredTwice(e);
                }
                if (legacyAlgorithms) {
                    byType.put(e.type(), e);
                }
            }
            if (!legacyAlgorithms) {
                withheldKeyTypes.addAll(family.legacyKeyTypes());
            }
        }
        types = byType.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private MechanismRegistry(MechanismRegistry all, UnaryOperator<MechanismEntry> offer) {
        for (MechanismEntry e : all.byType.values()) {
            MechanismEntry offered = offer.apply(e);
            if (offered != null) {
                byType.put(offered.type(), offered);
            }
        }
        legacyTypes.addAll(all.legacyTypes);
        withheldKeyTypes.addAll(all.withheldKeyTypes);
        types = byType.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /**
     * The table as a token offers it: each row as {@code offer} returns it (its flags narrowed, or null for a
     * mechanism the token lacks). A token profile's view ({@code profile.CloudHsmMechanisms}), built once.
     */
    public MechanismRegistry offering(UnaryOperator<MechanismEntry> offer) {
        return new MechanismRegistry(this, offer);
    }

    private static IllegalStateException registeredTwice(MechanismEntry e) {
        return new IllegalStateException("mechanism 0x" + Long.toHexString(e.type()) + " registered twice");
    }

    /** The mechanisms this module implements, without the legacy ones (the default configuration). */
    public static MechanismRegistry standard() {
        return of(false);
    }

    /** The mechanisms this module implements; with {@code legacyAlgorithms} also the insecure legacy rows. */
    public static MechanismRegistry of(boolean legacyAlgorithms) {
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
                new DesFamily(),
                new MlDsaFamily(),
                new SlhDsaFamily(),
                new MlKemFamily()), legacyAlgorithms);
    }

    /** The row for the type, or null when the module does not implement it (CKR_MECHANISM_INVALID). */
    public MechanismEntry get(long type) {
        return byType.get(type);
    }

    /** All implemented types in ascending order, as C_GetMechanismList reports them. */
    public long[] types() {
        return Arrays.copyOf(types, types.length);
    }

    /** Whether the type has a legacy row (in this table or withheld from it): the documentation marks those insecure. */
    public boolean isLegacy(long type) {
        return legacyTypes.contains(type);
    }

    /** False for a key type only the withheld legacy rows use: such keys are refused as an unknown key type. */
    public boolean offersKeyType(long keyType) {
        return !withheldKeyTypes.contains(keyType);
    }
}

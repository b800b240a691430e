package io.jhsm.conformance.suites.crypto;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.rules.Skip;
import io.jhsm.conformance.suites.Gens;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.conformance.suites.Oracle;
import io.jhsm.conformance.suites.Parts;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.quicktheories.generators.Generate;

/**
 * C_GetOperationState / C_SetOperationState: a saved digest or HMAC continues in a second session
 * exactly as the original does (both agree with Bouncy Castle), and restoring a MAC follows the base
 * specification's key rules. A module that saves no state skips these rules.
 */
public final class SavedStateRules {
    private SavedStateRules() {}

    public static List<Rule> rules() {
        return List.of(
                new Rule("state.saved-digest-and-hmac-continue", "crypto", "PKCS#11 3.0 §5.6 C_GetOperationState/C_SetOperationState",
                        "A SHA-256 digest or HMAC-SHA256 saved midway and restored in another session finishes with Bouncy "
                                + "Castle's result, as does the original after the save.",
                        SavedStateRules::continues),
                new Rule("state.saved-mac-key-rules", "crypto", "PKCS#11 3.0 §5.6 C_SetOperationState",
                        "Restoring a MAC state without the key is CKR_KEY_NEEDED, with another key CKR_KEY_CHANGED, "
                                + "a digest state with a key CKR_KEY_NOT_NEEDED, and bytes that are no state CKR_SAVED_STATE_INVALID.",
                        SavedStateRules::keyRules));
    }

    /** The saved state, or a Skip when the module saves none of this kind. */
    private static byte[] save(Cryptoki p, long s) {
        try {
            byte[] state = new byte[p.C_GetOperationState(s, null)];
            return Arrays.copyOf(state, p.C_GetOperationState(s, state));
        } catch (CkException e) {
            if (e.rv() == CKR.FUNCTION_NOT_SUPPORTED || e.rv() == CKR.STATE_UNSAVEABLE) {
                throw new Skip("the module does not save this operation's state (" + CKR.name(e.rv()) + ")");
            }
            throw e;
        }
    }

    private static long hmacKey(Cryptoki p, long s, byte[] value) {
        return p.C_CreateObject(s, Keys.list(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET),
                Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.SIGN, true), Attribute.of(CKA.VERIFY, true), Attribute.of(CKA.VALUE, value)));
    }

    private static void continues(RuleContext ctx) {
        ctx.requireMechanisms(CKM.SHA256, CKM.SHA256_HMAC);
        Cryptoki p = ctx.p();
        long probe = ctx.userSession();
        p.C_DigestInit(probe, Mechanism.of(CKM.SHA256));
        save(p, probe);
        p.C_CloseSession(probe);
        ctx.qt(40).forAll(Generate.booleans(), Gens.data(300), Gens.data(100), Gens.data(100))
                .checkAssert((mac, prefix, tailA, tailB) -> Expect.run(() -> ctx.inSession(s -> {
                    byte[] key = Arrays.copyOf(prefix.length > 0 ? prefix : new byte[] {1}, 32);
                    long k = mac ? hmacKey(p, s, key) : 0;
                    if (mac) {
                        p.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), k);
                        p.C_SignUpdate(s, prefix);
                    } else {
                        p.C_DigestInit(s, Mechanism.of(CKM.SHA256));
                        p.C_DigestUpdate(s, prefix);
                    }
                    byte[] state = save(p, s);
                    long other = ctx.userSession();
                    try {
                        p.C_SetOperationState(other, state, 0, k);
                        byte[] a = mac ? Parts.sign(p, s, List.of(tailA)) : Parts.digest(p, s, List.of(tailA));
                        byte[] b = mac ? Parts.sign(p, other, List.of(tailB)) : Parts.digest(p, other, List.of(tailB));
                        Expect.bytes(bc(mac, key, prefix, tailA), a, "the original after the save");
                        Expect.bytes(bc(mac, key, prefix, tailB), b, "the restored copy");
                    } finally {
                        p.C_CloseSession(other);
                    }
                })));
    }

    private static void keyRules(RuleContext ctx) throws Exception {
        ctx.requireMechanisms(CKM.SHA256, CKM.SHA256_HMAC);
        Cryptoki p = ctx.p();
        ctx.userSession();
        ctx.inSession(s -> {
            long key = hmacKey(p, s, new byte[32]);
            long otherKey = hmacKey(p, s, new byte[32]);
            p.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), key);
            p.C_SignUpdate(s, new byte[10]);
            byte[] macState = save(p, s);
            p.C_DigestInit(s, Mechanism.of(CKM.SHA256));
            long digestSession = ctx.userSession();
            p.C_DigestInit(digestSession, Mechanism.of(CKM.SHA256));
            byte[] digestState = save(p, digestSession);
            long other = ctx.userSession();
            try {
                Expect.rv("MAC state without its key", () -> p.C_SetOperationState(other, macState, 0, 0), CKR.KEY_NEEDED);
                Expect.rv("MAC state with another key", () -> p.C_SetOperationState(other, macState, 0, otherKey), CKR.KEY_CHANGED);
                Expect.rv("digest state with a key", () -> p.C_SetOperationState(other, digestState, 0, key), CKR.KEY_NOT_NEEDED);
                byte[] garbage = new byte[macState.length];
                Expect.rv("zeros as a state", () -> p.C_SetOperationState(other, garbage, 0, 0), CKR.SAVED_STATE_INVALID);
                p.C_SetOperationState(other, macState, 0, key);
            } finally {
                p.C_CloseSession(other);
                p.C_CloseSession(digestSession);
            }
        });
    }

    private static byte[] bc(boolean mac, byte[] key, byte[] prefix, byte[] tail) throws GeneralSecurityException {
        if (mac) {
            Mac m = Mac.getInstance("HmacSHA256", Oracle.BC);
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(prefix);
            return m.doFinal(tail);
        }
        MessageDigest d = MessageDigest.getInstance("SHA-256", Oracle.BC);
        d.update(prefix);
        return d.digest(tail);
    }
}

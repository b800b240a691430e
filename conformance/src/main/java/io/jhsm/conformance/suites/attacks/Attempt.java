package io.jhsm.conformance.suites.attacks;

import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Oracle;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One run of an attack: its steps either throw (the module blocked it; the CK_RV is noted) or end
 * with candidate key bytes, which count as a leak only if they really are the target's value
 * (checked by encrypting a block with the target inside the module).
 */
final class Attempt {
    /** The symmetric wrapping mechanisms tried, with the parameter each needs. */
    static final Mechanism[] SYMMETRIC = {
            Mechanism.of(CKM.AES_KEY_WRAP), Mechanism.of(CKM.AES_ECB),
            Mechanism.of(CKM.AES_CBC_PAD, new MechanismParams.Bytes(new byte[16]))};

    interface Steps {
        byte[] run(Mechanism m) throws Exception;
    }

    private Attempt() {}

    /** Runs the attack with each mechanism; throws AssertionError when one reveals the target key. */
    static void run(RuleContext ctx, long s, long target, String attack, Mechanism[] mechanisms, Steps steps) {
        for (Mechanism m : mechanisms) {
            byte[] candidate;
            try {
                candidate = steps.run(m);
            } catch (CkException e) {
                ctx.note(attack + " with " + CKM.name(m.type()) + ": blocked, " + CKR.name(e.rv())
                        + (e.rv() == CKR.FUNCTION_NOT_SUPPORTED ? " (the module lacks the function: counts as failed attack)" : ""));
                continue;
            } catch (Exception e) {
                ctx.note(attack + " with " + CKM.name(m.type()) + ": no candidate (" + e.getClass().getSimpleName() + ")");
                continue;
            }
            if (candidate != null && reveals(ctx.p(), s, target, candidate)) {
                throw new AssertionError(attack + " with " + CKM.name(m.type()) + " revealed the sensitive key's value");
            }
            ctx.note(attack + " with " + CKM.name(m.type()) + ": ran, but the bytes obtained are not the key");
        }
    }

    /** True when {@code candidate} encrypts a zero block as the target key does inside the module. */
    static boolean reveals(Cryptoki p, long s, long target, byte[] candidate) {
        for (int off = 0; off + 16 <= candidate.length; off++) {
            byte[] k = Arrays.copyOfRange(candidate, off, off + 16);
            try {
                p.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), target);
                byte[] inside = new byte[16];
                p.C_Encrypt(s, new byte[16], inside);
                Cipher c = Cipher.getInstance("AES/ECB/NoPadding", Oracle.BC);
                c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"));
                if (Arrays.equals(inside, c.doFinal(new byte[16]))) {
                    return true;
                }
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return false;
    }

    /** Decrypts a wrapped blob outside the module with a key value the attacker knows. */
    static byte[] offline(Mechanism m, byte[] key, byte[] blob) throws Exception {
        if (m.type() == CKM.AES_KEY_WRAP) {
            RFC3394WrapEngine e = new RFC3394WrapEngine(AESEngine.newInstance());
            e.init(false, new KeyParameter(key));
            return e.unwrap(blob, 0, blob.length);
        }
        Cipher c = Cipher.getInstance(m.type() == CKM.AES_ECB ? "AES/ECB/NoPadding" : "AES/CBC/PKCS5Padding", Oracle.BC);
        if (m.type() == CKM.AES_ECB) {
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"));
        } else {
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        }
        return c.doFinal(blob);
    }
}

package io.jhsm.conformance.suites.crypto;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Gens;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.conformance.suites.Oracle;
import io.jhsm.conformance.suites.Parts;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** AES in each mode: the module and Bouncy Castle decrypt each other's ciphertexts, across part splits. */
public final class CipherRules {
    private CipherRules() {}

    /** One mode: its mechanism (built from IV/AAD bytes), the JCA transformation and parameters. */
    record Mode(String id, long mechanism, String transformation, boolean blockAligned, int ivLength) {}

    public static List<Rule> rules() {
        return List.of(
                rule(new Mode("cipher.aes-ecb", CKM.AES_ECB, "AES/ECB/NoPadding", true, 0)),
                rule(new Mode("cipher.aes-cbc", CKM.AES_CBC, "AES/CBC/NoPadding", true, 16)),
                rule(new Mode("cipher.aes-cbc-pad", CKM.AES_CBC_PAD, "AES/CBC/PKCS5Padding", false, 16)),
                rule(new Mode("cipher.aes-ctr", CKM.AES_CTR, "AES/CTR/NoPadding", false, 16)),
                rule(new Mode("cipher.aes-gcm", CKM.AES_GCM, "AES/GCM/NoPadding", false, 12)));
    }

    private static Rule rule(Mode mode) {
        return new Rule(mode.id(), "crypto", "PKCS#11 3.0 §5.8–5.9; Current Mechanisms " + CKM.name(mode.mechanism()),
                CKM.name(mode.mechanism()) + ": C_Encrypt and C_EncryptUpdate/Final give Bouncy Castle's ciphertext (or one it "
                        + "decrypts), and the module decrypts Bouncy Castle's, for any data length and split.",
                ctx -> check(ctx, mode));
    }

    record Case(byte[] key, byte[] iv, byte[] aad, byte[] data, List<Integer> splits) {}

    private static void check(RuleContext ctx, Mode mode) {
        ctx.requireMechanisms(mode.mechanism());
        Cryptoki p = ctx.p();
        long s = ctx.userSession();
        Gen<byte[]> key = Gens.bytes(Generate.pick(List.of(16, 24, 32)));
        Gen<byte[]> data = mode.blockAligned() ? Gens.blocks(12) : Gens.data(200);
        Gen<Case> cases = key.zip(Gens.fixed(Math.max(1, mode.ivLength())), Gens.bytes(Generate.range(0, 40)), data,
                (k, iv, aad, d) -> new Case(k, iv, aad, d, List.of()))
                .zip(Gens.splits(), (c, sp) -> new Case(c.key(), c.iv(), c.aad(), c.data(), sp))
                .describedAs(c -> "key " + c.key().length + "B, iv " + hex(c.iv()) + ", aad " + c.aad().length + "B, data "
                        + c.data().length + "B " + hex(c.data()) + ", splits " + c.splits());
        ctx.qt(40).forAll(cases).checkAssert(c -> Expect.run(() -> ctx.inSession(s2 -> once(p, s2, mode, c))));
    }

    private static void once(Cryptoki p, long s, Mode mode, Case c) {
            long k = Keys.aes(p, s, c.key(), Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.DECRYPT, true));
            try {
                Mechanism m = mechanism(mode, c);
                byte[] expected = bc(mode, c, Cipher.ENCRYPT_MODE, c.data());
                p.C_EncryptInit(s, m, k);
                byte[] single = Parts.encryptOnce(p, s, c.data());
                Expect.bytes(expected, single, "C_Encrypt against Bouncy Castle");
                p.C_EncryptInit(s, m, k);
                Expect.bytes(expected, Parts.encrypt(p, s, Gens.cut(c.data(), c.splits())), "C_EncryptUpdate/Final against Bouncy Castle");
                p.C_DecryptInit(s, m, k);
                Expect.bytes(c.data(), Parts.decryptOnce(p, s, expected), "C_Decrypt of Bouncy Castle's ciphertext");
                p.C_DecryptInit(s, m, k);
                Expect.bytes(c.data(), Parts.decrypt(p, s, Gens.cut(expected, c.splits())), "C_DecryptUpdate/Final of Bouncy Castle's ciphertext");
            } finally {
                p.C_DestroyObject(s, k);
            }
    }

    private static Mechanism mechanism(Mode mode, Case c) {
        return switch ((int) mode.mechanism()) {
            case (int) CKM.AES_ECB -> Mechanism.of(CKM.AES_ECB);
            case (int) CKM.AES_CTR -> Mechanism.of(CKM.AES_CTR, new MechanismParams.Ctr(128, c.iv()));
            case (int) CKM.AES_GCM -> Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(c.iv(), 96, c.aad(), 128));
            default -> Mechanism.of(mode.mechanism(), new MechanismParams.Bytes(c.iv()));
        };
    }

    private static byte[] bc(Mode mode, Case c, int direction, byte[] in) {
        try {
            Cipher cipher = Cipher.getInstance(mode.transformation(), Oracle.BC);
            SecretKeySpec key = new SecretKeySpec(c.key(), "AES");
            AlgorithmParameterSpec params = mode.ivLength() == 0 ? null
                    : mode.mechanism() == CKM.AES_GCM ? new GCMParameterSpec(128, c.iv()) : new IvParameterSpec(c.iv());
            if (params == null) {
                cipher.init(direction, key);
            } else {
                cipher.init(direction, key, params);
            }
            if (mode.mechanism() == CKM.AES_GCM) {
                cipher.updateAAD(c.aad());
            }
            return cipher.doFinal(in);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 16)) + (b.length > 16 ? "…" : "");
    }
}

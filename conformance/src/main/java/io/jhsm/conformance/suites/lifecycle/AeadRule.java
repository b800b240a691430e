package io.jhsm.conformance.suites.lifecycle;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Gens;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.conformance.suites.Oracle;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * An AEAD decryption (AES-GCM) never answers CKR_OK for a message whose ciphertext or tag was altered, or
 * of which the caller submitted only part: whatever the split into C_DecryptUpdate calls, whatever length
 * queries come between them, the call that ends the operation fails. Bouncy Castle makes the ciphertext.
 */
final class AeadRule {
    private AeadRule() {}

    /** One part of the message: queried {@code queries} times, then submitted for real unless {@code skipped}. */
    record Part(int percent, int queries, boolean skipped) {}

    record Case(byte[] plaintext, int tamperAt, int mask, boolean single, List<Part> parts, int finalQueries) {
        @Override
        public String toString() {
            return plaintext.length + " B plaintext, byte " + tamperAt + " of ciphertext||tag xor " + mask + ", "
                    + (single ? "C_Decrypt after " + finalQueries + " length queries"
                            : parts + " (percent of the message, NULL queries, skipped), then " + finalQueries
                                    + " C_DecryptFinal length queries and C_DecryptFinal");
        }
    }

    static Rule rule() {
        return new Rule("lifecycle.aead-tampered-never-ok", LifecycleRules.SUITE,
                "PKCS#11 3.0 §5.2, §5.9; Current Mechanisms §2.13 (CKM_AES_GCM)",
                "AES-GCM decryption of a tampered or partly submitted message never answers CKR_OK, whatever the split into "
                        + "C_DecryptUpdate calls and the length queries (NULL output) before C_DecryptUpdate and C_DecryptFinal.",
                AeadRule::check);
    }

    private static void check(RuleContext ctx) {
        ctx.requireMechanisms(CKM.AES_GCM);
        Cryptoki p = ctx.p();
        long s0 = ctx.userSession();
        byte[] key = new byte[16];
        new Random(ctx.seed()).nextBytes(key);
        long k = Keys.aes(p, s0, key, Attribute.of(CKA.DECRYPT, true));
        // Cuts at the ends often: a whole message queried but never submitted is the classic case.
        Gen<Part> part = Generate.pick(List.of(0, 100)).mix(integers().between(0, 100), 50).zip(integers().between(0, 2), Generate.booleans(),
                Part::new);
        Gen<Case> cases = Gens.bytes(Generate.pick(List.of(0, 1, 16, 17, 40))).zip(integers().between(0, 1000),
                        integers().between(1, 255), Generate.booleans(), (pt, at, mask, single) -> new Case(pt, at, mask, single, List.of(), 0))
                .zip(lists().of(part).ofSizeBetween(0, 4), integers().between(0, 2),
                        (c, parts, fq) -> new Case(c.plaintext(), c.tamperAt(), c.mask(), c.single(), parts, fq));
        byte[] iv = new byte[12];
        Mechanism m = Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(iv, 96, new byte[0], 128));
        ctx.qt(60).forAll(cases).describedAs(Case::toString).checkAssert(c -> Expect.run(() -> ctx.inSession(s -> {
            byte[] message = encrypt(key, iv, c.plaintext());
            message[c.tamperAt() % message.length] ^= (byte) c.mask();
            p.C_DecryptInit(s, m, k);
            long end = c.single() ? single(p, s, message, c.finalQueries()) : multi(p, s, message, c);
            Expect.isTrue(end != CKR.OK, "the tampered message decrypted with CKR_OK");
        })));
    }

    /** Returns the CK_RV that ended the operation (an error ends it early, which is a refusal too). */
    private static long single(Cryptoki p, long s, byte[] message, int queries) {
        for (int i = 0; i < queries; i++) {
            long rv = Expect.rvOf(() -> p.C_Decrypt(s, message, null));
            if (rv != CKR.OK) {
                return rv;
            }
        }
        return Expect.rvOf(() -> p.C_Decrypt(s, message, new byte[message.length + 16]));
    }

    private static long multi(Cryptoki p, long s, byte[] message, Case c) {
        int from = 0;
        for (Part part : c.parts()) {
            int to = Math.max(from, Math.min(message.length, message.length * part.percent() / 100));
            byte[] piece = Arrays.copyOfRange(message, from, to);
            for (int i = 0; i < part.queries(); i++) {
                long rv = Expect.rvOf(() -> p.C_DecryptUpdate(s, piece, null));
                if (rv != CKR.OK) {
                    return rv;
                }
            }
            if (!part.skipped()) {
                long rv = Expect.rvOf(() -> p.C_DecryptUpdate(s, piece, new byte[piece.length + 16]));
                if (rv != CKR.OK) {
                    return rv;
                }
            }
            from = to;
        }
        byte[] rest = Arrays.copyOfRange(message, from, message.length);
        long rv = rest.length == 0 ? CKR.OK : Expect.rvOf(() -> p.C_DecryptUpdate(s, rest, new byte[rest.length + 16]));
        if (rv != CKR.OK) {
            return rv;
        }
        for (int i = 0; i < c.finalQueries(); i++) {
            long q = Expect.rvOf(() -> p.C_DecryptFinal(s, null));
            if (q != CKR.OK) {
                return q;
            }
        }
        return Expect.rvOf(() -> p.C_DecryptFinal(s, new byte[message.length + 16]));
    }

    private static byte[] encrypt(byte[] key, byte[] iv, byte[] plaintext) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", Oracle.BC);
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            return c.doFinal(plaintext);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}

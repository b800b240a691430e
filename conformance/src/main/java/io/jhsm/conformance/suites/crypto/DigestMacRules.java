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
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.quicktheories.generators.Generate;

/** Digests and HMACs agree with Bouncy Castle, single-part and split. */
public final class DigestMacRules {
    private DigestMacRules() {}

    private static final Map<Long, String> DIGESTS = Map.of(CKM.SHA_1, "SHA-1", CKM.SHA224, "SHA-224",
            CKM.SHA256, "SHA-256", CKM.SHA384, "SHA-384", CKM.SHA512, "SHA-512");
    private static final Map<Long, String> HMACS = Map.of(CKM.SHA_1_HMAC, "HmacSHA1", CKM.SHA224_HMAC, "HmacSHA224",
            CKM.SHA256_HMAC, "HmacSHA256", CKM.SHA384_HMAC, "HmacSHA384", CKM.SHA512_HMAC, "HmacSHA512");

    public static List<Rule> rules() {
        return List.of(
                new Rule("digest.sha-family", "crypto", "PKCS#11 3.0 §5.10; Current Mechanisms SHA-1/SHA-2",
                        "C_Digest and C_DigestUpdate/Final give Bouncy Castle's SHA-1/SHA-2 digests for any data and split.",
                        DigestMacRules::digests),
                new Rule("mac.hmac-sha-family", "crypto", "PKCS#11 3.0 §5.12–5.13; Current Mechanisms CKM_SHA*_HMAC",
                        "C_Sign with CKM_SHA*_HMAC gives Bouncy Castle's HMAC single- and multi-part, and C_Verify accepts it.",
                        DigestMacRules::hmacs));
    }

    private static List<Long> offered(RuleContext ctx, Map<Long, String> table) {
        List<Long> out = new ArrayList<>();
        for (long m : table.keySet()) {
            if (ctx.hasMechanism(m)) {
                out.add(m);
            }
        }
        if (out.isEmpty()) {
            ctx.requireMechanisms(table.keySet().iterator().next());
        }
        out.sort(Long::compare);
        return out;
    }

    private static void digests(RuleContext ctx) {
        Cryptoki p = ctx.p();
        ctx.rwSession();
        List<Long> mechanisms = offered(ctx, DIGESTS);
        ctx.qt(60).forAll(Generate.pick(mechanisms).describedAs(CKM::name), Gens.data(400), Gens.splits())
                .checkAssert((m, data, splits) -> Expect.run(() -> ctx.inSession(s -> {
                    byte[] expected = bcDigest(DIGESTS.get(m), data);
                    p.C_DigestInit(s, Mechanism.of(m));
                    Expect.bytes(expected, Parts.digestOnce(p, s, data), "C_Digest");
                    p.C_DigestInit(s, Mechanism.of(m));
                    Expect.bytes(expected, Parts.digest(p, s, Gens.cut(data, splits)), "C_DigestUpdate/Final");
                })));
    }

    private static void hmacs(RuleContext ctx) {
        Cryptoki p = ctx.p();
        ctx.userSession();
        List<Long> mechanisms = offered(ctx, HMACS);
        ctx.qt(60).forAll(Generate.pick(mechanisms).describedAs(CKM::name), Gens.bytes(Generate.range(16, 64)),
                Gens.data(300), Gens.splits()).checkAssert((m, key0, data, splits) -> Expect.run(() -> ctx.inSession(s -> {
                    // HMAC key sizes are in bytes (Current Mechanisms §2.x); SoftHSM wants at least the hash length.
                    long min = p.C_GetMechanismInfo(ctx.slot(), m).minKeySize();
                    byte[] key = min > key0.length ? java.util.Arrays.copyOf(key0, (int) min) : key0;
                    long k = p.C_CreateObject(s, Keys.list(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                            Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.TOKEN, false),
                            Attribute.of(CKA.SIGN, true), Attribute.of(CKA.VERIFY, true), Attribute.of(CKA.VALUE, key)));
                    try {
                        byte[] expected = bcMac(HMACS.get(m), key, data);
                        p.C_SignInit(s, Mechanism.of(m), k);
                        Expect.bytes(expected, Parts.signOnce(p, s, data), "C_Sign");
                        p.C_SignInit(s, Mechanism.of(m), k);
                        Expect.bytes(expected, Parts.sign(p, s, Gens.cut(data, splits)), "C_SignUpdate/Final");
                        p.C_VerifyInit(s, Mechanism.of(m), k);
                        p.C_Verify(s, data, expected);
                        p.C_VerifyInit(s, Mechanism.of(m), k);
                        Parts.verify(p, s, Gens.cut(data, splits), expected);
                    } finally {
                        p.C_DestroyObject(s, k);
                    }
                })));
    }

    private static byte[] bcDigest(String alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg, Oracle.BC).digest(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bcMac(String alg, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(alg, Oracle.BC);
            mac.init(new SecretKeySpec(key, alg));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

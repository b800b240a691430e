package io.jhsm.conformance.suites.crypto;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Gens;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.conformance.suites.Oracle;
import io.jhsm.conformance.suites.Parts;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Set;

/** Signatures made by the module verify under Bouncy Castle, and the module accepts Bouncy Castle's. */
public final class SignatureRules {
    private SignatureRules() {}

    /** How one signature scheme is named on each side. */
    record Scheme(String id, long keyGen, Mechanism mechanism, String bcAlg, boolean deterministic, boolean multiPart,
                  String hash, String curve, byte[] ecParams) {}

    public static List<Rule> rules() {
        Mechanism pss = Mechanism.of(CKM.SHA256_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, CKG.MGF1_SHA256, 32));
        return List.of(
                rule(new Scheme("sign.rsa-pkcs1-sha256", CKM.RSA_PKCS_KEY_PAIR_GEN, Mechanism.of(CKM.SHA256_RSA_PKCS),
                        "SHA256withRSA", true, true, null, null, null)),
                rule(new Scheme("sign.rsa-pss-sha256", CKM.RSA_PKCS_KEY_PAIR_GEN, pss, "SHA256withRSAandMGF1",
                        false, true, null, null, null)),
                rule(new Scheme("sign.ecdsa-p256", CKM.EC_KEY_PAIR_GEN, Mechanism.of(CKM.ECDSA), "NONEwithECDSA",
                        false, false, "SHA-256", "secp256r1", Keys.P256)),
                rule(new Scheme("sign.ecdsa-p384", CKM.EC_KEY_PAIR_GEN, Mechanism.of(CKM.ECDSA), "NONEwithECDSA",
                        false, false, "SHA-384", "secp384r1", Keys.P384)),
                rule(new Scheme("sign.ecdsa-sha256-multipart", CKM.EC_KEY_PAIR_GEN, Mechanism.of(CKM.ECDSA_SHA256),
                        "SHA256withECDSA", false, true, null, "secp256r1", Keys.P256)));
    }

    private static Rule rule(Scheme sc) {
        return new Rule(sc.id(), "crypto", "PKCS#11 3.0 §5.12–5.13; Current Mechanisms " + CKM.name(sc.mechanism().type()),
                "A " + CKM.name(sc.mechanism().type()) + " signature from C_Sign (single- and multi-part) verifies under "
                        + "Bouncy Castle, C_Verify accepts Bouncy Castle's signature and rejects it altered.",
                ctx -> check(ctx, sc));
    }

    private static void check(RuleContext ctx, Scheme sc) throws Exception {
        ctx.requireMechanisms(sc.keyGen(), sc.mechanism().type());
        Cryptoki p = ctx.p();
        long rs = ctx.userSession();
        long[] pair = sc.curve() == null ? Keys.rsaPair(ctx, rs) : Keys.ecPair(ctx, rs, sc.curve(), sc.ecParams());
        PublicKey modulePublic = sc.curve() == null ? Oracle.rsaPublic(p, rs, pair[0]) : Oracle.ecPublic(p, rs, pair[0], sc.curve());
        KeyPair bc = ctx.shared("bc:" + (sc.curve() == null ? "rsa" : sc.curve()), () -> bcPair(sc.curve()));
        long bcPublic = Oracle.importPublic(p, rs, bc.getPublic(), sc.ecParams());
        ctx.qt(25).forAll(Gens.data(300), Gens.splits()).checkAssert((data, splits) -> Expect.run(() -> ctx.inSession(s2 -> {
                long s = s2;
                byte[] input = sc.hash() == null ? data : MessageDigest.getInstance(sc.hash()).digest(data);
                p.C_SignInit(s, sc.mechanism(), pair[1]);
                byte[] single = Parts.signOnce(p, s, input);
                Expect.isTrue(bcVerify(sc, modulePublic, input, single), "Bouncy Castle rejects C_Sign's signature");
                if (sc.multiPart()) {
                    p.C_SignInit(s, sc.mechanism(), pair[1]);
                    byte[] multi = Parts.sign(p, s, Gens.cut(input, splits));
                    Expect.isTrue(bcVerify(sc, modulePublic, input, multi), "Bouncy Castle rejects C_SignFinal's signature");
                    if (sc.deterministic()) {
                        Expect.bytes(single, multi, "single- and multi-part signatures differ");
                    }
                }
                byte[] theirs = bcSign(sc, bc, input, single.length);
                p.C_VerifyInit(s, sc.mechanism(), bcPublic);
                p.C_Verify(s, input, theirs);
                if (sc.multiPart()) {
                    p.C_VerifyInit(s, sc.mechanism(), bcPublic);
                    Parts.verify(p, s, Gens.cut(input, splits), theirs);
                }
                theirs[theirs.length / 2] ^= 1;
                p.C_VerifyInit(s, sc.mechanism(), bcPublic);
                try {
                    p.C_Verify(s, input, theirs);
                    throw new AssertionError("C_Verify accepted an altered signature");
                } catch (CkException e) {
                    Expect.isTrue(Set.of(CKR.SIGNATURE_INVALID, CKR.SIGNATURE_LEN_RANGE).contains(e.rv()),
                            "altered signature: expected CKR_SIGNATURE_INVALID, got " + CKR.name(e.rv()));
                }
        })));
    }

    static KeyPair bcPair(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(curve == null ? "RSA" : "EC", Oracle.BC);
            if (curve == null) {
                g.initialize(2048);
            } else {
                g.initialize(new ECGenParameterSpec(curve));
            }
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Signature bcSignature(Scheme sc) throws java.security.GeneralSecurityException {
        Signature sig = Signature.getInstance(sc.bcAlg(), Oracle.BC);
        if (sc.mechanism().params() instanceof MechanismParams.Pss) {
            sig.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        }
        return sig;
    }

    private static boolean bcVerify(Scheme sc, PublicKey key, byte[] data, byte[] signature)
            throws java.security.GeneralSecurityException {
        Signature sig = bcSignature(sc);
        sig.initVerify(key);
        sig.update(data);
        return sig.verify(sc.curve() == null ? signature : Oracle.rawToDer(signature));
    }

    private static byte[] bcSign(Scheme sc, KeyPair pair, byte[] data, int rawLength) throws java.security.GeneralSecurityException {
        Signature sig = bcSignature(sc);
        sig.initSign(pair.getPrivate());
        sig.update(data);
        byte[] out = sig.sign();
        return sc.curve() == null ? out : Oracle.derToRaw(out, rawLength / 2);
    }
}

package io.jhsm.engine.mechanism.ec;

import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.timing.Timings;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.Attribute;
import java.security.Provider;
import java.util.List;

/**
 * The EC primitives as the engine runs them, portable and on ACCP, for EcDigestMacTimings: each op is what one
 * C_SignInit + C_Sign (or C_VerifyInit + C_Verify, C_GenerateKeyPair, C_DeriveKey) costs the family, per-op
 * object creation included, on a key object whose parsed/translated key is cached as in the engine.
 */
public final class EcTimingOps {
    private final EcCurves.Curve curve;
    private final TestKeys.MapKeyView priv;
    private final TestKeys.MapKeyView pub;
    private final byte[] hash = new byte[32];
    private final byte[] bcSignature;
    private final org.bouncycastle.math.ec.ECPoint peer;

    public EcTimingOps(String curveName) {
        curve = EcCurves.ALL.stream().filter(c -> c.names().contains(curveName)).findFirst().orElseThrow();
        EcKeyPairs.Generated kp = EcKeyPairs.portable(curve);
        priv = TestKeys.key(CKO.PRIVATE_KEY, CKK.EC, List.of(Attribute.of(CKA.EC_PARAMS, curve.encodedOid()),
                Attribute.of(CKA.VALUE, io.jhsm.engine.mechanism.BigInts.encode(kp.d()))));
        pub = TestKeys.key(CKO.PUBLIC_KEY, CKK.EC, List.of(Attribute.of(CKA.EC_PARAMS, curve.encodedOid()),
                Attribute.of(CKA.EC_POINT, EcKeys.encodePoint(kp.q()))));
        bcSignature = BcEcdsa.signer(EcKeys.privateKey(priv)).sign(hash);
        peer = EcKeyPairs.portable(curve).q();
    }

    public Timings.Op sign(Provider accp) {
        return accp == null ? () -> BcEcdsa.signer(EcKeys.privateKey(priv)).sign(hash)
                : () -> AccpEcdsa.signer(accp, priv, EcKeys.privateKey(priv)).sign(hash);
    }

    public Timings.Op verify(Provider accp) {
        return accp == null ? () -> check(BcEcdsa.verifier(EcKeys.publicKey(pub)).verify(hash, bcSignature))
                : () -> check(AccpEcdsa.verifier(accp, pub, EcKeys.publicKey(pub)).verify(hash, bcSignature));
    }

    public Timings.Op generate(Provider accp) {
        return accp == null ? () -> EcKeys.encodePoint(EcKeyPairs.portable(curve).q())
                : () -> EcKeys.encodePoint(EcKeyPairs.accp(accp, curve).q());
    }

    /** The peer point is decoded from its bytes on each derive, as C_DeriveKey does. */
    public Timings.Op derive(Provider accp) {
        byte[] peerBytes = peer.getEncoded(false);
        return accp == null ? () -> EcdhAgreement.portable(EcKeys.privateKey(priv), EcKeys.decodePoint(curve, peerBytes), false)
                : () -> EcdhAgreement.accp(accp, priv, EcKeys.privateKey(priv), EcKeys.decodePoint(curve, peerBytes));
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("signature did not verify");
        }
    }
}

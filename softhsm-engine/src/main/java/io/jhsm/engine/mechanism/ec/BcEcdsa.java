package io.jhsm.engine.mechanism.ec;

import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.BigInts;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * Portable ECDSA: BC's ECDSASigner (fixed-point comb for k·G on BC's specialised P-curves) measured 2-8x faster
 * than SunEC on JDK 17 and no slower on JDK 25. ECDSASigner.calculateE truncates long input as FIPS 186-4 says.
 */
final class BcEcdsa implements EcdsaEngine {

    private final EcCurves.Curve curve;
    private final boolean signing;
    private final CipherParameters key;
    private final ECDSASigner signer = new ECDSASigner();

    private BcEcdsa(EcCurves.Curve curve, boolean signing, CipherParameters key) {
        this.curve = curve;
        this.signing = signing;
        this.key = key;
        signer.init(signing, key);
    }

    static BcEcdsa signer(EcKeys.Private k) {
        return new BcEcdsa(k.curve(), true, new ParametersWithRandom(k.params(), LazyRandom.get()));
    }

    static BcEcdsa verifier(EcKeys.Public k) {
        return new BcEcdsa(k.curve(), false, k.params());
    }

    @Override
    public byte[] sign(byte[] hash) {
        BigInteger[] rs = signer.generateSignature(hash);
        int n = curve.orderBytes();
        byte[] out = new byte[2 * n];
        System.arraycopy(BigInts.encode(rs[0], n), 0, out, 0, n);
        System.arraycopy(BigInts.encode(rs[1], n), 0, out, n, n);
        return out;
    }

    /** verifySignature rejects r or s outside [1, n-1] itself. */
    @Override
    public boolean verify(byte[] hash, byte[] rs) {
        int n = curve.orderBytes();
        BigInteger r = BigInts.decode(Arrays.copyOfRange(rs, 0, n));
        BigInteger s = BigInts.decode(Arrays.copyOfRange(rs, n, 2 * n));
        return signer.verifySignature(hash, r, s);
    }

    /** ECDSASigner holds only its key between signatures. */
    @Override
    public BcEcdsa copy() {
        return new BcEcdsa(curve, signing, key);
    }
}

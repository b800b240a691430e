package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/** Keys made by the JDK (an implementation independent of ours), seen through KeyView. */
public final class JcaKeys {
    private JcaKeys() {}

    /** One 2048-bit pair for the whole test run: generating RSA keys is the slow part of these tests. */
    public static final KeyPair RSA = generate("RSA", 2048);
    public static final TestKeys.MapKeyView RSA_PUB = rsaPublic((RSAPublicKey) RSA.getPublic());
    public static final TestKeys.MapKeyView RSA_PRIV = rsaPrivate((RSAPrivateCrtKey) RSA.getPrivate());

    public static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (size > 0) {
                g.initialize(size);
            }
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestKeys.MapKeyView rsaPublic(RSAPublicKey k) {
        return new TestKeys.MapKeyView().with(CKA.CLASS, CKO.PUBLIC_KEY).with(CKA.KEY_TYPE, CKK.RSA)
                .with(CKA.MODULUS, u(k.getModulus())).with(CKA.PUBLIC_EXPONENT, u(k.getPublicExponent()));
    }

    public static TestKeys.MapKeyView rsaPrivate(RSAPrivateCrtKey k) {
        return new TestKeys.MapKeyView().with(CKA.CLASS, CKO.PRIVATE_KEY).with(CKA.KEY_TYPE, CKK.RSA)
                .with(CKA.MODULUS, u(k.getModulus())).with(CKA.PUBLIC_EXPONENT, u(k.getPublicExponent()))
                .with(CKA.PRIVATE_EXPONENT, u(k.getPrivateExponent())).with(CKA.PRIME_1, u(k.getPrimeP()))
                .with(CKA.PRIME_2, u(k.getPrimeQ())).with(CKA.EXPONENT_1, u(k.getPrimeExponentP()))
                .with(CKA.EXPONENT_2, u(k.getPrimeExponentQ())).with(CKA.COEFFICIENT, u(k.getCrtCoefficient()));
    }

    public static byte[] u(BigInteger v) {
        return BigInts.encode(v);
    }
}

package io.jhsm.engine.mechanism.rsa;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

/**
 * Raw RSA on AWS-LC (ACCP's RSA/ECB/NoPadding) in the shape of Bouncy Castle's RSA engine, so that BC's PKCS#1
 * v1.5, OAEP and PSS encodings, and with them every PKCS#11 error code and every parameter combination PKCS#11
 * allows (any MGF1 hash and salt length, OAEP labels, signing a caller's DigestInfo or hash), stay exactly as they
 * are; only the modular exponentiation moves to native code (measured 3-8x faster for private-key operations,
 * 1.2-4x for public ones: docs/performance/primitives-rsa-aes.md). AWS-LC blinds private-key operations.
 *
 * <p>Block sizes and output shape follow BC's RSACoreEngine: on encryption (a public key encrypting, a private key
 * signing) input up to k-1 bytes and output k bytes; on decryption input k bytes and output without leading
 * zeros. Input not below the modulus is BC's DataLengthException, which the callers already map.
 */
final class AccpRsaEngine implements AsymmetricBlockCipher {
    /** A key as ACCP's own object, with the provider that made it. */
    record AccpKey(Provider provider, Key key) {}

    private final AccpKey key;
    private final BigInteger modulus;
    private final int k;
    private boolean forEncryption;

    AccpRsaEngine(AccpKey key, BigInteger modulus) {
        this.key = key;
        this.modulus = modulus;
        this.k = (modulus.bitLength() + 7) / 8;
    }

    /**
     * The key as ACCP's object, made once per key object; null when ACCP does not run, or for a private key
     * without its CRT values (AWS-LC's raw operation wants them; BC's engine handles such keys as today).
     */
    static AccpKey translate(RSAKeyParameters params, Optional<Provider> accp) {
        if (accp.isEmpty() || params.isPrivate() && !(params instanceof RSAPrivateCrtKeyParameters)) {
            return null;
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("RSA", accp.get());
            if (params instanceof RSAPrivateCrtKeyParameters c) {
                return new AccpKey(accp.get(), kf.generatePrivate(new RSAPrivateCrtKeySpec(c.getModulus(), c.getPublicExponent(),
                        c.getExponent(), c.getP(), c.getQ(), c.getDP(), c.getDQ(), c.getQInv())));
            }
            return new AccpKey(accp.get(), kf.generatePublic(new RSAPublicKeySpec(params.getModulus(), params.getExponent())));
        } catch (GeneralSecurityException | RuntimeException refused) {
            return null; // a key AWS-LC does not accept (e.g. an unusual exponent): the portable engine runs it
        }
    }

    /** The key is fixed at construction; BC's parameters only say the direction. */
    @Override
    public void init(boolean forEncryption, CipherParameters ignored) {
        this.forEncryption = forEncryption;
    }

    @Override
    public int getInputBlockSize() {
        return forEncryption ? k - 1 : k;
    }

    @Override
    public int getOutputBlockSize() {
        return forEncryption ? k : k - 1;
    }

    @Override
    public byte[] processBlock(byte[] in, int inOff, int len) {
        if (len > k) {
            throw new DataLengthException("input too large for RSA cipher.");
        }
        byte[] block = new byte[k];
        System.arraycopy(in, inOff, block, k - len, len);
        if (new BigInteger(1, block).compareTo(modulus) >= 0) {
            throw new DataLengthException("input too large for RSA cipher.");
        }
        byte[] out;
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/NoPadding", key.provider());
            // AWS-LC's raw private operation is "decryption", the public one "encryption", whatever the padding above does.
            rsa.init(key.key() instanceof PrivateKey ? Cipher.DECRYPT_MODE : Cipher.ENCRYPT_MODE, key.key());
            out = rsa.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ACCP raw RSA refused a block below the modulus", e);
        } finally {
            Arrays.fill(block, (byte) 0);
        }
        if (forEncryption) {
            return out;
        }
        int zeros = 0;
        while (zeros < out.length && out[zeros] == 0) {
            zeros++;
        }
        return zeros == 0 ? out : Arrays.copyOfRange(out, zeros, out.length);
    }
}

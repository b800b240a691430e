package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.Ulong;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;
import org.bouncycastle.pqc.crypto.util.PrivateKeyInfoFactory;
import org.junit.jupiter.api.Test;

/** C_WrapKey/C_UnwrapKey of ML-DSA, ML-KEM and SLH-DSA private keys as PKCS#8, under the usual wrap policy. */
class PqcKeyWrapTest extends LoggedInUserTest {
    static final Mechanism KWP = Mechanism.of(CKM.AES_KEY_WRAP_PAD);
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private long wrappingKey(boolean readable) {
        return f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.WRAP, true), Attribute.of(CKA.UNWRAP, true), Attribute.of(CKA.ENCRYPT, false),
                Attribute.of(CKA.DECRYPT, false), Attribute.of(CKA.SENSITIVE, !readable), Attribute.of(CKA.EXTRACTABLE, readable)));
    }

    private long[] pair(long gen, long set, Attribute... privateExtra) {
        List<Attribute> priv = new ArrayList<>(List.of(Attribute.of(CKA.EXTRACTABLE, true)));
        priv.addAll(Arrays.asList(privateExtra));
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(gen), List.of(Attribute.of(CKA.PARAMETER_SET, set)), priv);
    }

    private byte[] wrap(long wrapping, long key) {
        byte[] out = new byte[f.engine.C_WrapKey(s, KWP, wrapping, key, null)];
        f.engine.C_WrapKey(s, KWP, wrapping, key, out);
        return out;
    }

    private long unwrap(long wrapping, byte[] blob, long keyType, Attribute... extra) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY), Attribute.of(CKA.KEY_TYPE, keyType)));
        t.addAll(Arrays.asList(extra));
        return f.engine.C_UnwrapKey(s, KWP, wrapping, blob, t);
    }

    private byte[] attribute(long handle, long type) {
        AttributeReading r = f.engine.C_GetAttributeValue(s, handle, new long[] {type}).get(0);
        assertEquals(CKR.name(CKR.OK), CKR.name(r.rv()), CKA.name(type));
        return r.value();
    }

    private byte[] sign(long key, byte[] data) {
        f.engine.C_SignInit(s, Mechanism.of(CKM.ML_DSA), key);
        byte[] sig = new byte[5000];
        return Arrays.copyOf(sig, f.engine.C_Sign(s, data, sig));
    }

    /** The PKCS#8 inside a CKM_AES_KEY_WRAP_PAD blob: RFC 3394 unwrap, then PKCS#7 unpadding. */
    private byte[] openBlob(long wrapping, byte[] blob) throws Exception {
        RFC3394WrapEngine kw = new RFC3394WrapEngine(AESEngine.newInstance());
        kw.init(false, new KeyParameter(attribute(wrapping, CKA.VALUE)));
        byte[] padded = kw.unwrap(blob, 0, blob.length);
        return Arrays.copyOf(padded, padded.length - padded[padded.length - 1]);
    }

    /** {public key of a new pair, its private key after wrapping and unwrapping with the usage}, parameter set checked. */
    private long[] wrappedAndBack(long gen, long set, long keyType, long usage) {
        long w = wrappingKey(false);
        long[] original = pair(gen, set, Attribute.of(usage, true));
        long back = unwrap(w, wrap(w, original[1]), keyType, Attribute.of(usage, true));
        assertEquals(set, Ulong.decode(attribute(back, CKA.PARAMETER_SET)));
        return new long[] {original[0], back};
    }

    @Test
    void anUnwrappedMlDsaKeySignsForTheOriginalPublicKey() {
        long[] keys = wrappedAndBack(CKM.ML_DSA_KEY_PAIR_GEN, CKP.ML_DSA_65, CKK.ML_DSA, CKA.SIGN);
        byte[] data = "wrapped and back".getBytes(StandardCharsets.US_ASCII);
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.ML_DSA), keys[0]);
        f.engine.C_Verify(s, data, sign(keys[1], data));
    }

    @Test
    void anUnwrappedMlKemKeyDecapsulatesWhatTheOriginalPublicKeyEncapsulated() {
        long[] keys = wrappedAndBack(CKM.ML_KEM_KEY_PAIR_GEN, CKP.ML_KEM_768, CKK.ML_KEM, CKA.DECAPSULATE);
        List<Attribute> secret = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET),
                Attribute.of(CKA.SENSITIVE, false));
        byte[] ct = new byte[1088];
        Encapsulation e = f.engine.C_EncapsulateKey(s, Mechanism.of(CKM.ML_KEM), keys[0], secret, ct);
        long decapsulated = f.engine.C_DecapsulateKey(s, Mechanism.of(CKM.ML_KEM), keys[1], secret, ct);
        assertArrayEquals(attribute(e.hKey(), CKA.VALUE), attribute(decapsulated, CKA.VALUE));
    }

    @Test
    void anUnwrappedSlhDsaKeyKeepsItsParameterSet() {
        long[] keys = wrappedAndBack(CKM.SLH_DSA_KEY_PAIR_GEN, CKP.SLH_DSA_SHA2_128F, CKK.SLH_DSA, CKA.SIGN);
        byte[] data = {1, 2, 3};
        f.engine.C_SignInit(s, Mechanism.of(CKM.SLH_DSA), keys[1]);
        byte[] sig = new byte[17088];
        f.engine.C_Sign(s, data, sig);
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.SLH_DSA), keys[0]);
        f.engine.C_Verify(s, data, sig);
    }

    @Test
    void pqcPrivateKeysFollowTheWrapPolicy() {
        long w = wrappingKey(false);
        long unextractable = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_DSA_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44)), List.of(Attribute.of(CKA.EXTRACTABLE, false)))[1];
        assertRv(CKR.KEY_UNEXTRACTABLE, () -> wrap(w, unextractable));
        long trustedOnly = pair(CKM.ML_KEM_KEY_PAIR_GEN, CKP.ML_KEM_512, Attribute.of(CKA.WRAP_WITH_TRUSTED, true))[1];
        assertRv(CKR.KEY_NOT_WRAPPABLE, () -> wrap(w, trustedOnly));
    }

    /** A CKM_AES_KEY_WRAP_PAD blob made outside the token: PKCS#7 padding, then RFC 3394. */
    private byte[] sealBlob(long wrapping, byte[] pkcs8) {
        RFC3394WrapEngine kw = new RFC3394WrapEngine(AESEngine.newInstance());
        kw.init(true, new KeyParameter(attribute(wrapping, CKA.VALUE)));
        int pad = 8 - pkcs8.length % 8;
        byte[] padded = Arrays.copyOf(pkcs8, pkcs8.length + pad);
        Arrays.fill(padded, pkcs8.length, padded.length, (byte) pad);
        return kw.wrap(padded, 0, padded.length);
    }

    @Test
    void aTamperedPqcKeyIsRefusedAsWrappedKeyInvalid() throws Exception {
        long w = wrappingKey(true);
        byte[] pkcs8 = openBlob(w, wrap(w, pair(CKM.ML_DSA_KEY_PAIR_GEN, CKP.ML_DSA_44)[1]));
        byte[] truncated = Arrays.copyOf(pkcs8, pkcs8.length - 1);
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(w, sealBlob(w, truncated), CKK.ML_DSA, Attribute.of(CKA.SIGN, true)));
    }

    @Test
    void aBothEncodingUnwrapsWithItsSeedOnlyWhenSeedAndExpandedKeyAgree() {
        long w = wrappingKey(true);
        byte[] seed = new byte[32];
        byte[] otherKey = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_44, new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}).getEncoded();
        byte[] both = uncheckedDer(new PrivateKeyInfoOf(seed, otherKey).info());
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(w, sealBlob(w, both), CKK.ML_DSA, Attribute.of(CKA.SIGN, true)));
        byte[] agreeing = uncheckedDer(new PrivateKeyInfoOf(seed, new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_44, seed).getEncoded()).info());
        long back = unwrap(w, sealBlob(w, agreeing), CKK.ML_DSA, Attribute.of(CKA.SENSITIVE, false),
                Attribute.of(CKA.EXTRACTABLE, true));
        assertArrayEquals(seed, attribute(back, CKA.SEED));
    }

    /** The RFC 9881 {@code both} choice of an ML-DSA-44 key. */
    private record PrivateKeyInfoOf(byte[] seed, byte[] expanded) {
        PrivateKeyInfo info() {
            try {
                return new PrivateKeyInfo(new AlgorithmIdentifier(NISTObjectIdentifiers.id_ml_dsa_44),
                        new DERSequence(new ASN1Encodable[] {new DEROctetString(seed), new DEROctetString(expanded)}));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static byte[] uncheckedDer(PrivateKeyInfo info) {
        try {
            return info.getEncoded();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void bouncyCastlesOwnPkcs8OfAnMlDsaKeyUnwrapsToAKeyThatSignsForItsPublicKey() throws Exception {
        long w = wrappingKey(true);
        MLDSAPrivateKeyParameters bc = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_87, new SecureRandom().generateSeed(32));
        byte[] pkcs8 = PrivateKeyInfoFactory.createPrivateKeyInfo(bc).getEncoded();
        long back = unwrap(w, sealBlob(w, pkcs8), CKK.ML_DSA, Attribute.of(CKA.SIGN, true));
        byte[] data = {9, 8, 7};
        MLDSASigner verifier = new MLDSASigner();
        verifier.init(false, bc.getPublicKeyParameters());
        verifier.update(data, 0, data.length);
        assertTrue(verifier.verifySignature(sign(back, data)));
    }

    @Test
    void theWrappedMlDsaKeyIsTheRfc9881ExpandedKeyThatJdk25Reads() throws Exception {
        long w = wrappingKey(true);
        long[] original = pair(CKM.ML_DSA_KEY_PAIR_GEN, CKP.ML_DSA_44);
        byte[] pkcs8 = openBlob(w, wrap(w, original[1]));
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
        assertEquals(NISTObjectIdentifiers.id_ml_dsa_44, info.getPrivateKeyAlgorithm().getAlgorithm());
        byte[] expanded = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
        assertEquals(2560, expanded.length);
        MLDSAPrivateKeyParameters bc = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_44, expanded);
        assertArrayEquals(attribute(original[0], CKA.VALUE), bc.getPublicKey());
        assumeTrue(Files.isExecutable(JDK25), "JDK 25 not installed at " + JDK25);
        byte[] data = "signed by the JDK".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = jdk25("ML-DSA", pkcs8, data);
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.ML_DSA), original[0]);
        f.engine.C_Verify(s, data, signature);
    }

    @Test
    void theWrappedMlKemKeyDecapsulatesInJdk25() throws Exception {
        assumeTrue(Files.isExecutable(JDK25), "JDK 25 not installed at " + JDK25);
        long w = wrappingKey(true);
        long[] original = pair(CKM.ML_KEM_KEY_PAIR_GEN, CKP.ML_KEM_1024);
        byte[] pkcs8 = openBlob(w, wrap(w, original[1]));
        byte[] ct = new byte[1568];
        Encapsulation e = f.engine.C_EncapsulateKey(s, Mechanism.of(CKM.ML_KEM), original[0], List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.SENSITIVE, false)), ct);
        assertArrayEquals(attribute(e.hKey(), CKA.VALUE), jdk25("ML-KEM", pkcs8, ct));
    }

    /** Runs src/test/resources/jdk25/Pkcs8Use.java on JDK 25: its signature with, or decapsulation by, the PKCS#8 key. */
    private static byte[] jdk25(String algorithm, byte[] pkcs8, byte[] input) throws Exception {
        HexFormat hex = HexFormat.of();
        Process p = new ProcessBuilder(JDK25.toString(), Path.of("src/test/resources/jdk25/Pkcs8Use.java").toAbsolutePath().toString(),
                algorithm, hex.formatHex(pkcs8), hex.formatHex(input)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "JDK 25 helper hung");
        assertEquals(0, p.exitValue(), "JDK 25 could not use the PKCS#8: " + out);
        return hex.parseHex(out);
    }
}

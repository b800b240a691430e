package io.jhsm.engine.mechanism.rsa;

import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.PartBuffer;
import io.jhsm.engine.mechanism.SavedStates;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.io.IOException;
import java.security.MessageDigest;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.encodings.PKCS1Encoding;

/**
 * PKCS#1 v1.5 signatures (CKM_RSA_PKCS, CKM_SHAxxx_RSA_PKCS, legacy CKM_MD5_RSA_PKCS) and raw CKM_RSA_X_509 sign/verify.
 * The padding is BC's PKCS1Encoding (it lets us sign a caller's DigestInfo and recover blocks with one code path);
 * the RSA arithmetic under it is the key's engine (AWS-LC through ACCP, or BC's blinded CRT engine); hashing is
 * JCA's intrinsic-backed SHA.
 */
final class RsaPkcsSigner implements SignOperation, VerifyOperation {
    enum Kind { RAW, PKCS1, HASHED }

    private final Kind kind;
    private final HashAlg hash;
    private final RsaKeys.Parsed key;
    private final boolean signing;
    private final MessageDigest digest;
    private final PartBuffer data;
    private final AsymmetricBlockCipher cipher;
    private final int k;

    RsaPkcsSigner(Kind kind, HashAlg hash, RsaKeys.Parsed key, boolean signing) {
        this(kind, hash, key, signing, kind == Kind.HASHED ? hash.newJcaDigest() : null, kind == Kind.HASHED ? null : new PartBuffer());
    }

    private RsaPkcsSigner(Kind kind, HashAlg hash, RsaKeys.Parsed key, boolean signing, MessageDigest digest, PartBuffer data) {
        this.kind = kind;
        this.hash = hash;
        this.key = key;
        this.signing = signing;
        this.k = key.modulusBytes();
        this.digest = digest;
        this.data = data;
        AsymmetricBlockCipher engine = key.engine();
        this.cipher = kind == Kind.RAW ? engine : new PKCS1Encoding(engine);
        // PKCS1Encoding pads with block type 1 when a private key encrypts, and checks type 1 on the way back.
        cipher.init(signing, key.params());
    }

    /** The RSA engine holds only its key until the final block, so a copy is a fresh engine over the copied input. */
    @Override
    public RsaPkcsSigner copy() {
        return new RsaPkcsSigner(kind, hash, key, signing, SavedStates.copy(digest), data == null ? null : data.copy());
    }

    static RsaPkcsSigner forSigning(Kind kind, HashAlg hash, KeyView key, int minBits) {
        return new RsaPkcsSigner(kind, hash, RsaKeys.privateKey(key, minBits), true);
    }

    static RsaPkcsSigner forVerifying(Kind kind, HashAlg hash, KeyView key) {
        return new RsaPkcsSigner(kind, hash, RsaKeys.verifyingKey(key), false);
    }

    @Override
    public void update(byte[] part) {
        if (digest != null) {
            digest.update(part);
        } else {
            data.append(part);
        }
    }

    /** What goes into the RSA block: the DigestInfo for hashed mechanisms, the caller's bytes otherwise. */
    private byte[] message() {
        if (kind != Kind.HASHED) {
            return data.toArray();
        }
        try {
            return new DigestInfo(new AlgorithmIdentifier(oid(hash), DERNull.INSTANCE), digest.digest()).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int signatureLength() {
        return k;
    }

    @Override
    public byte[] sign() {
        byte[] m = message();
        int max = kind == Kind.RAW ? k : k - 11;
        if (m.length > max) {
            throw new CkException(CKR.DATA_LEN_RANGE, "at most " + max + " bytes for this key");
        }
        try {
            return BigInts.pad(cipher.processBlock(m, 0, m.length), k);
        } catch (InvalidCipherTextException | org.bouncycastle.crypto.DataLengthException e) {
            // Only raw input can get here: a value not below the modulus.
            throw new CkException(CKR.DATA_LEN_RANGE, "input not below the modulus");
        }
    }

    @Override
    public void verify(byte[] signature) {
        if (signature.length != k) {
            throw new CkException(CKR.SIGNATURE_LEN_RANGE, "RSA signature must be " + k + " bytes");
        }
        byte[] m = message();
        byte[] recovered;
        try {
            recovered = cipher.processBlock(signature, 0, signature.length);
        } catch (InvalidCipherTextException | RuntimeException e) {
            throw new CkException(CKR.SIGNATURE_INVALID);
        }
        // Raw X.509 compares whole k-byte blocks: leading zeros of the data are not significant.
        boolean ok = kind == Kind.RAW
                ? m.length <= k && MessageDigest.isEqual(BigInts.pad(recovered, k), BigInts.pad(m, k))
                : MessageDigest.isEqual(recovered, m);
        if (!ok) {
            throw new CkException(CKR.SIGNATURE_INVALID);
        }
    }

    @Override
    public boolean multiPart() {
        return kind == Kind.HASHED;
    }

    private static ASN1ObjectIdentifier oid(HashAlg hash) {
        return switch (hash) {
            case SHA1 -> OIWObjectIdentifiers.idSHA1;
            case SHA224 -> NISTObjectIdentifiers.id_sha224;
            case SHA256 -> NISTObjectIdentifiers.id_sha256;
            case SHA384 -> NISTObjectIdentifiers.id_sha384;
            case SHA512 -> NISTObjectIdentifiers.id_sha512;
            case SHA512_224 -> NISTObjectIdentifiers.id_sha512_224;
            case SHA512_256 -> NISTObjectIdentifiers.id_sha512_256;
            case SHA3_224 -> NISTObjectIdentifiers.id_sha3_224;
            case SHA3_256 -> NISTObjectIdentifiers.id_sha3_256;
            case SHA3_384 -> NISTObjectIdentifiers.id_sha3_384;
            case SHA3_512 -> NISTObjectIdentifiers.id_sha3_512;
            case MD5 -> PKCSObjectIdentifiers.md5;
        };
    }
}

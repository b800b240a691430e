package io.jhsm.engine.mechanism.pqc;

import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.io.IOException;
import java.util.function.Supplier;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Xof;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/**
 * The hash functions of HashML-DSA (FIPS 204 §5.4) and HashSLH-DSA (FIPS 205 §10.2): the digest, its
 * output length (SHAKE128 yields 256 bits, SHAKE256 512, as both standards fix) and the DER of its
 * OID, which the pre-hash message M' carries.
 */
enum PreHash {
    SHA224(() -> HashAlg.SHA224.newBcDigest(), 28, NISTObjectIdentifiers.id_sha224, CKM.SHA224),
    SHA256(() -> HashAlg.SHA256.newBcDigest(), 32, NISTObjectIdentifiers.id_sha256, CKM.SHA256),
    SHA384(() -> HashAlg.SHA384.newBcDigest(), 48, NISTObjectIdentifiers.id_sha384, CKM.SHA384),
    SHA512(() -> HashAlg.SHA512.newBcDigest(), 64, NISTObjectIdentifiers.id_sha512, CKM.SHA512),
    SHA3_224(() -> HashAlg.SHA3_224.newBcDigest(), 28, NISTObjectIdentifiers.id_sha3_224, CKM.SHA3_224),
    SHA3_256(() -> HashAlg.SHA3_256.newBcDigest(), 32, NISTObjectIdentifiers.id_sha3_256, CKM.SHA3_256),
    SHA3_384(() -> HashAlg.SHA3_384.newBcDigest(), 48, NISTObjectIdentifiers.id_sha3_384, CKM.SHA3_384),
    SHA3_512(() -> HashAlg.SHA3_512.newBcDigest(), 64, NISTObjectIdentifiers.id_sha3_512, CKM.SHA3_512),
    SHAKE128(() -> new SHAKEDigest(128), 32, NISTObjectIdentifiers.id_shake128, -1),
    SHAKE256(() -> new SHAKEDigest(256), 64, NISTObjectIdentifiers.id_shake256, -1);

    private final Supplier<Digest> digest;
    final int length;
    final byte[] oidDer;
    /** The digest mechanism that names this hash in CK_HASH_SIGN_ADDITIONAL_CONTEXT.hash; -1 for the SHAKEs, which have none. */
    private final long ckm;

    PreHash(Supplier<Digest> digest, int length, ASN1ObjectIdentifier oid, long ckm) {
        this.digest = digest;
        this.length = length;
        this.ckm = ckm;
        try {
            this.oidDer = oid.getEncoded();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Digest newDigest() {
        return digest.get();
    }

    /** The digest's output: the fixed length, also for the SHAKE XOFs. */
    byte[] finish(Digest d) {
        byte[] out = new byte[length];
        if (d instanceof Xof xof) {
            xof.doFinal(out, 0, length);
        } else {
            d.doFinal(out, 0);
        }
        return out;
    }

    /** The hash of CK_HASH_SIGN_ADDITIONAL_CONTEXT.hash; CKR_MECHANISM_PARAM_INVALID for others. */
    static PreHash byCkm(long ckm) {
        for (PreHash h : values()) {
            if (h.ckm == ckm && ckm >= 0) {
                return h;
            }
        }
        throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(ckm) + " is no HashML-DSA/HashSLH-DSA hash");
    }
}

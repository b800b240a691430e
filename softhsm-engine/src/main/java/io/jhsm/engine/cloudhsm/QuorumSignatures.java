package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.cloudhsm.HsmException.Code;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;

/**
 * Approvers' keys and signatures. A token is 32 bytes; {@code openssl pkeyutl -sign -pkeyopt
 * digest:sha256} signs them as a SHA-256 digest (PKCS#1 v1.5 over the DigestInfo), which is what
 * is checked; a signature over the token as a message ({@code openssl dgst -sha256 -sign}) is
 * accepted too.
 */
final class QuorumSignatures {
    private QuorumSignatures() {}

    private static final byte[] SHA256_DIGEST_INFO = HexFormat.of().parseHex("3031300d060960864801650304020105000420");

    /** A PEM public key, which must be RSA-2048: its SubjectPublicKeyInfo. */
    static byte[] publicKey(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o instanceof SubjectPublicKeyInfo spki) {
                PublicKey k = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
                if (((RSAPublicKey) k).getModulus().bitLength() != 2048) {
                    throw new HsmException(Code.BAD_INPUT, "quorum keys are RSA-2048");
                }
                return spki.getEncoded();
            }
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new HsmException(Code.BAD_INPUT, "not an RSA-2048 PEM public key: " + e.getMessage());
        }
        throw new HsmException(Code.BAD_INPUT, "not a PEM public key");
    }

    /** The approvals of a token file by user; a user approving twice is an error. */
    static Map<String, byte[]> signatures(Quorum.Approval approval) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Object list = approval.file().get("approvals");
        if (!(list instanceof List<?> l)) {
            return out;
        }
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("username") instanceof String user) || !(m.get("signed") instanceof String sig)) {
                throw new HsmException(Code.BAD_INPUT, "an approval needs a username and a base64 'signed' signature");
            }
            if (out.containsKey(user)) {
                throw new HsmException(Code.QUORUM, user + " approved the token twice: each approver counts once");
            }
            try {
                out.put(user, Base64.getDecoder().decode(sig.strip()));
            } catch (IllegalArgumentException e) {
                throw new HsmException(Code.BAD_INPUT, "the signature of " + user + " is not base64");
            }
        }
        return out;
    }

    /** How many approvals verify; an unregistered approver or a bad signature is refused outright. */
    static int count(Quorum.Approval approval, byte[] unsigned, Properties state) {
        int valid = 0;
        for (Map.Entry<String, byte[]> e : signatures(approval).entrySet()) {
            String key = state.getProperty(Quorum.KEY_PREFIX + e.getKey());
            if (key == null) {
                throw new HsmException(Code.QUORUM, e.getKey() + " has no registered quorum key");
            }
            if (!verify(Base64.getDecoder().decode(key), unsigned, e.getValue())) {
                throw new HsmException(Code.QUORUM, "the signature of " + e.getKey() + " does not verify");
            }
            valid++;
        }
        return valid;
    }

    static boolean verify(byte[] spki, byte[] unsigned, byte[] signature) {
        try {
            PublicKey k = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
            Signature raw = Signature.getInstance("NONEwithRSA");
            raw.initVerify(k);
            raw.update(SHA256_DIGEST_INFO);
            raw.update(unsigned);
            if (raw.verify(signature)) {
                return true;
            }
            Signature hashed = Signature.getInstance("SHA256withRSA");
            hashed.initVerify(k);
            hashed.update(unsigned);
            return hashed.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

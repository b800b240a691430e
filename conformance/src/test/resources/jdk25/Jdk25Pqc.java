import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import javax.crypto.KEM;

/**
 * The JDK's own ML-DSA (SUN) and ML-KEM (SunJCE), JDK 24 and later, as an independent implementation
 * for jhsm's tests: run in source-launcher mode, arguments and output in hex, one value a line.
 *
 *   verify ML-DSA-65 SPKI MESSAGE SIGNATURE   -> VALID or INVALID
 *   sign ML-DSA-65 MESSAGE                    -> SPKI, PKCS8, SIGNATURE
 *   encapsulate SPKI                          -> CIPHERTEXT, SECRET
 *   keygen ML-KEM-768                         -> SPKI, PKCS8
 *   decapsulate ML-KEM-768 PKCS8 CIPHERTEXT   -> SECRET
 */
public class Jdk25Pqc {
    static final HexFormat HEX = HexFormat.of();

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "verify" -> {
                Signature s = Signature.getInstance(a[1]);
                s.initVerify(publicKey(a[1], a[2]));
                s.update(HEX.parseHex(a[3]));
                System.out.println(s.verify(HEX.parseHex(a[4])) ? "VALID" : "INVALID");
            }
            case "sign" -> {
                KeyPair kp = KeyPairGenerator.getInstance(a[1]).generateKeyPair();
                Signature s = Signature.getInstance(a[1]);
                s.initSign(kp.getPrivate());
                s.update(HEX.parseHex(a[2]));
                System.out.println(HEX.formatHex(kp.getPublic().getEncoded()));
                System.out.println(HEX.formatHex(kp.getPrivate().getEncoded()));
                System.out.println(HEX.formatHex(s.sign()));
            }
            case "encapsulate" -> {
                KEM.Encapsulated e = KEM.getInstance("ML-KEM").newEncapsulator(publicKey("ML-KEM", a[1])).encapsulate();
                System.out.println(HEX.formatHex(e.encapsulation()));
                System.out.println(HEX.formatHex(e.key().getEncoded()));
            }
            case "keygen" -> {
                KeyPair kp = KeyPairGenerator.getInstance(a[1]).generateKeyPair();
                System.out.println(HEX.formatHex(kp.getPublic().getEncoded()));
                System.out.println(HEX.formatHex(kp.getPrivate().getEncoded()));
            }
            case "decapsulate" -> {
                PrivateKey k = KeyFactory.getInstance(a[1]).generatePrivate(new PKCS8EncodedKeySpec(HEX.parseHex(a[2])));
                System.out.println(HEX.formatHex(KEM.getInstance("ML-KEM").newDecapsulator(k).decapsulate(HEX.parseHex(a[3])).getEncoded()));
            }
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static PublicKey publicKey(String algorithm, String spkiHex) throws Exception {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(HEX.parseHex(spkiHex)));
    }
}

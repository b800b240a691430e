import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;

/**
 * Run by PqcKeyWrapTest on JDK 25: parses a PKCS#8 ML-DSA private key with the JDK's own
 * KeyFactory (independent of Bouncy Castle) and prints, in hex, its signature over the message.
 * Arguments: PKCS#8 hex, message hex.
 */
public class MlDsaPkcs8Sign {
    public static void main(String[] args) throws Exception {
        HexFormat hex = HexFormat.of();
        PrivateKey key = KeyFactory.getInstance("ML-DSA").generatePrivate(new PKCS8EncodedKeySpec(hex.parseHex(args[0])));
        Signature s = Signature.getInstance("ML-DSA");
        s.initSign(key);
        s.update(hex.parseHex(args[1]));
        System.out.println(hex.formatHex(s.sign()));
    }
}

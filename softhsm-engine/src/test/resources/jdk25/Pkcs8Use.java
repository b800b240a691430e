import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import javax.crypto.KEM;

/**
 * Run by PqcKeyWrapTest on JDK 25: parses a PKCS#8 post-quantum private key with the JDK's own
 * KeyFactory (independent of Bouncy Castle) and uses it, printing the result in hex.
 * Arguments: ML-DSA PKCS8-hex message-hex (prints the signature), or
 * ML-KEM PKCS8-hex ciphertext-hex (prints the decapsulated secret).
 */
public class Pkcs8Use {
    public static void main(String[] args) throws Exception {
        HexFormat hex = HexFormat.of();
        PrivateKey key = KeyFactory.getInstance(args[0]).generatePrivate(new PKCS8EncodedKeySpec(hex.parseHex(args[1])));
        byte[] input = hex.parseHex(args[2]);
        if (args[0].equals("ML-KEM")) {
            System.out.println(hex.formatHex(KEM.getInstance("ML-KEM").newDecapsulator(key).decapsulate(input).getEncoded()));
            return;
        }
        Signature s = Signature.getInstance(args[0]);
        s.initSign(key);
        s.update(input);
        System.out.println(hex.formatHex(s.sign()));
    }
}

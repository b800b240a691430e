// Uses keys inside a PKCS#11 token (jhsm, or any other module) from plain Java through the JDK's SunPKCS11
// provider. Single-file program: run it with `java SunPkcs11Demo.java <config> <pin> [command ...]`.
//
//   demo                                     list the token's keys, sign with each private key, AES-GCM round trip
//   sign <alias> <algorithm> <in> <sig> <cert>  sign file <in> with the token key <alias>; write the signature and
//                                            the alias's certificate (DER) so anyone can verify outside the token
//   aes-gcm                                  AES-256 key generated in the token, AES/GCM/NoPadding round trip
//
// The token provider is used only where it is passed explicitly; it is not installed in the provider list, so
// every verification below is done by the JDK's own software providers.

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class SunPkcs11Demo {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java SunPkcs11Demo.java <sunpkcs11.cfg> <pin> [demo | sign ... | aes-gcm]");
            System.exit(2);
        }
        Provider token = Security.getProvider("SunPKCS11").configure(args[0]);
        KeyStore ks = KeyStore.getInstance("PKCS11", token);
        ks.load(null, args[1].toCharArray());
        System.out.println("provider " + token.getName() + " loaded");

        String command = args.length > 2 ? args[2] : "demo";
        switch (command) {
            case "demo" -> demo(token, ks);
            case "sign" -> sign(token, ks, args[3], args[4], Path.of(args[5]), Path.of(args[6]), Path.of(args[7]));
            case "aes-gcm" -> aesGcm(token);
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
    }

    static void demo(Provider token, KeyStore ks) throws Exception {
        byte[] data = "signed inside the token".getBytes();
        for (String alias : Collections.list(ks.aliases())) {
            Key key = ks.getKey(alias, null);
            System.out.println("alias " + alias + ": " + key.getAlgorithm() + " " + key.getFormat());
            if (key instanceof PrivateKey pk && ks.getCertificate(alias) != null) {
                String alg = pk.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
                byte[] sig = signWith(token, pk, alg, data);
                System.out.println("  " + alg + " signature verifies in software: "
                        + verify(alg, ks.getCertificate(alias), data, sig));
            }
        }
        aesGcm(token);
    }

    static void sign(Provider token, KeyStore ks, String alias, String alg, Path in, Path sigOut, Path certOut)
            throws Exception {
        PrivateKey key = (PrivateKey) ks.getKey(alias, null);
        if (key == null) throw new IllegalStateException("no private key with alias " + alias);
        Certificate cert = ks.getCertificate(alias);
        byte[] data = Files.readAllBytes(in);
        byte[] sig = signWith(token, key, alg, data);
        Files.write(sigOut, sig);
        Files.write(certOut, cert.getEncoded());
        System.out.println(alg + " signature by token key " + alias + " (" + sig.length + " bytes); "
                + "software verification: " + verify(alg, cert, data, sig));
    }

    static byte[] signWith(Provider token, PrivateKey key, String alg, byte[] data) throws Exception {
        Signature s = Signature.getInstance(alg, token);
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    /** Verification by the JDK's default (software) providers; the token provider is not installed. */
    static boolean verify(String alg, Certificate cert, byte[] data, byte[] sig) throws Exception {
        Signature v = Signature.getInstance(alg);
        v.initVerify(cert.getPublicKey());
        v.update(data);
        return v.verify(sig);
    }

    static void aesGcm(Provider token) throws Exception {
        KeyGenerator kg = KeyGenerator.getInstance("AES", token);
        kg.init(256);
        SecretKey key = kg.generateKey();
        byte[] iv = new byte[12];
        byte[] plain = new byte[1000];
        new SecureRandom().nextBytes(iv);
        new SecureRandom().nextBytes(plain);
        byte[] aad = "jhsm".getBytes();

        byte[] ct = gcm(Cipher.ENCRYPT_MODE, token, key, iv, aad, plain);
        byte[] back = gcm(Cipher.DECRYPT_MODE, token, key, iv, aad, ct);
        if (!Arrays.equals(plain, back)) throw new AssertionError("AES-GCM round trip changed the data");
        System.out.println("AES/GCM/NoPadding round trip in the token OK (" + ct.length + " bytes with tag)");

        byte[] raw = key.getEncoded();
        if (raw == null) {
            System.out.println("token AES key is not extractable: round trip only");
            return;
        }
        byte[] softCt = gcm(Cipher.ENCRYPT_MODE, null, new SecretKeySpec(raw, "AES"), iv, aad, plain);
        if (!Arrays.equals(ct, softCt)) throw new AssertionError("token and software AES-GCM ciphertexts differ");
        System.out.println("token AES key is extractable: software AES-GCM ciphertext identical");
    }

    static byte[] gcm(int mode, Provider p, Key key, byte[] iv, byte[] aad, byte[] in) throws Exception {
        Cipher c = p == null ? Cipher.getInstance("AES/GCM/NoPadding") : Cipher.getInstance("AES/GCM/NoPadding", p);
        c.init(mode, key, new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        return c.doFinal(in);
    }
}

// Scenario groups for SunPkcs11Test, run as a single-file program in a JVM of its own (the PKCS#11 module is
// loaded into that process, never into the test JVM): `java SunPkcs11Scenarios.java <config> <pin> <group>`.
// Every check compares the token's result with the JDK's software providers and throws on a mismatch; each
// passed check prints one "OK ..." line the test looks for.
//
//   clone      MessageDigest.clone() midway through a token digest; Mac and Signature clones where offered
//   keystore   every key entry: certificate chain, key, a token signature the chain's public key verifies
//   pkcs11v3   the PKCS#11 interface version SunPKCS11 got, SHA-3 digests, ChaCha20-Poly1305, a cancelled Signature
//   gcm        AES/GCM/NoPadding with a known key: token encrypts, SunJCE decrypts, and the other way; a bad tag is refused

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class SunPkcs11Scenarios {
    static final SecureRandom RANDOM = new SecureRandom();
    static char[] pin;

    public static void main(String[] args) throws Exception {
        Provider token = Security.getProvider("SunPKCS11").configure(args[0]);
        KeyStore ks = KeyStore.getInstance("PKCS11", token);
        pin = args[1].toCharArray();
        ks.load(null, pin);
        switch (args[2]) {
            case "clone" -> cloning(token, ks);
            case "keystore" -> keystore(token, ks);
            case "pkcs11v3" -> pkcs11v3(token, ks);
            case "gcm" -> gcm(token);
            default -> throw new IllegalArgumentException("unknown group " + args[2]);
        }
    }

    /**
     * SunPKCS11 closes pooled sessions it no longer needs; when the last one goes, PKCS#11 ends the login, and
     * the session keys it makes from a SecretKeySpec (private objects) then need a login again. KeyStore.load
     * logs in only when the token is logged out, as an application would.
     */
    static void ensureLoggedIn(KeyStore ks) throws Exception {
        ks.load(null, pin);
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("FAILED " + what);
        System.out.println("OK " + what);
    }

    /**
     * 1000 bytes take SunPKCS11's digest past its 96-byte buffer into the token (C_DigestInit/Update), 10 more
     * stay in its buffer; clone() then copies the token's state with C_GetOperationState/C_SetOperationState.
     */
    static void cloning(Provider token, KeyStore ks) throws Exception {
        for (String alg : new String[] {"SHA-256", "SHA-512"}) {
            byte[] head = random(1000), tail = random(10), a = random(300), b = random(5);
            MessageDigest original = MessageDigest.getInstance(alg, token);
            original.update(head);
            original.update(tail);
            MessageDigest copy = (MessageDigest) original.clone();
            original.update(a);
            copy.update(b);
            MessageDigest soft = MessageDigest.getInstance(alg, "SUN");
            soft.update(head);
            soft.update(tail);
            MessageDigest softCopy = (MessageDigest) soft.clone();
            soft.update(a);
            softCopy.update(b);
            check(Arrays.equals(soft.digest(), original.digest()), alg + " original after clone() matches SUN");
            check(Arrays.equals(softCopy.digest(), copy.digest()), alg + " clone() continuation matches SUN");
        }
        ensureLoggedIn(ks);
        Mac mac = Mac.getInstance("HmacSHA256", token);
        mac.init(new SecretKeySpec(random(32), "HmacSHA256"));
        mac.update(random(200));
        System.out.println("INFO Mac.clone(): " + cloneOutcome(mac::clone));
        PrivateKey key = (PrivateKey) ks.getKey("k1", null);
        Signature sig = Signature.getInstance("SHA256withECDSA", token);
        sig.initSign(key);
        sig.update(random(200));
        System.out.println("INFO Signature.clone(): " + cloneOutcome(sig::clone));
    }

    interface Cloner { Object run() throws CloneNotSupportedException; }

    /** SunPKCS11's Mac and Signature do not implement Cloneable (JDK 17 and 25): report what happens. */
    static String cloneOutcome(Cloner c) {
        try {
            c.run();
            return "supported";
        } catch (CloneNotSupportedException e) {
            return "not offered by SunPKCS11 (" + e.getClass().getSimpleName() + ")";
        }
    }

    static void keystore(Provider token, KeyStore ks) throws Exception {
        int keyEntries = 0;
        for (String alias : Collections.list(ks.aliases())) {
            if (!ks.isKeyEntry(alias)) {
                System.out.println("INFO " + alias + " is not a key entry");
                continue;
            }
            keyEntries++;
            Certificate[] chain = ks.getCertificateChain(alias);
            check(chain != null && chain.length >= 1, alias + " has a certificate chain (" + (chain == null ? 0 : chain.length) + ")");
            for (int i = 0; i + 1 < chain.length; i++) {
                chain[i].verify(chain[i + 1].getPublicKey());
            }
            X509Certificate leaf = (X509Certificate) chain[0];
            System.out.println("INFO " + alias + " chain: " + leaf.getSubjectX500Principal() + " issued by "
                    + leaf.getIssuerX500Principal() + ", " + chain.length + " certificate(s)");
            Key key = ks.getKey(alias, null);
            check(key instanceof PrivateKey, alias + " getKey is a private key (" + key.getAlgorithm() + ")");
            String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] data = random(777);
            Signature s = Signature.getInstance(alg, token);
            s.initSign((PrivateKey) key);
            s.update(data);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(leaf.getPublicKey());
            v.update(data);
            check(v.verify(signature), alias + " " + alg + " by the token verifies with the certificate's key in software");
        }
        System.out.println("INFO key entries: " + keyEntries);
    }

    /**
     * SunPKCS11 asks C_GetInterface for the default interface before C_GetFunctionList (JDK 17 and later).
     * jhsm's C_GetFunctionList hands out the 2.40 list and C_GetInterface the 3.0 one, so the version of the
     * list SunPKCS11 holds tells which call it used. Reading it needs --add-opens to the provider's internals.
     */
    static void pkcs11v3(Provider token, KeyStore ks) throws Exception {
        Field p11Field = token.getClass().getDeclaredField("p11");
        p11Field.setAccessible(true);
        Object p11 = p11Field.get(token);
        Method getVersion = p11.getClass().getMethod("getVersion");
        Object version = getVersion.invoke(p11);
        byte major = version.getClass().getField("major").getByte(version);
        byte minor = version.getClass().getField("minor").getByte(version);
        System.out.println("INFO function list version " + major + "." + minor);
        check(major == 3, "SunPKCS11 holds the PKCS#11 3.0 function list, so it came from C_GetInterface");

        for (String alg : new String[] {"SHA3-256", "SHA3-512"}) {
            byte[] data = random(500);
            MessageDigest md = MessageDigest.getInstance(alg, token);
            md.update(data);
            MessageDigest copy = (MessageDigest) md.clone();
            byte[] more = random(3);
            copy.update(more);
            MessageDigest soft = MessageDigest.getInstance(alg, "SUN");
            soft.update(data);
            check(Arrays.equals(((MessageDigest) soft.clone()).digest(), md.digest()), alg + " by the token matches SUN");
            soft.update(more);
            check(Arrays.equals(soft.digest(), copy.digest()), alg + " clone() continuation matches SUN");
        }

        ensureLoggedIn(ks);
        byte[] keyBytes = random(32), nonce = random(12), aad = random(20), plain = random(1000);
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305", token);
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyBytes, "ChaCha20"), new IvParameterSpec(nonce));
        c.updateAAD(aad);
        byte[] ct = c.doFinal(plain);
        Cipher soft = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
        soft.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyBytes, "ChaCha20"), new IvParameterSpec(nonce));
        soft.updateAAD(aad);
        check(Arrays.equals(plain, soft.doFinal(ct)), "ChaCha20-Poly1305 by the token decrypts in SunJCE");

        ensureLoggedIn(ks);
        // Re-initialising a Signature midway makes SunPKCS11 cancel the token's operation: with a 3.0 list it
        // calls C_SessionCancel, before 3.0 it finishes the operation with C_SignFinal.
        PrivateKey key = (PrivateKey) ks.getKey("k1", null);
        Signature s = Signature.getInstance("SHA256withECDSA", token);
        s.initSign(key);
        s.update(random(300));
        s.initSign(key);
        byte[] data = random(300);
        s.update(data);
        byte[] signature = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(ks.getCertificate("k1").getPublicKey());
        v.update(data);
        check(v.verify(signature), "a Signature re-initialised midway signs only the new data");
    }

    /** The key is known (a SecretKeySpec SunPKCS11 creates in the token as a session key), so SunJCE can check both ways. */
    static void gcm(Provider token) throws Exception {
        SecretKeySpec key = new SecretKeySpec(random(32), "AES");
        byte[] iv = random(12), aad = random(20), plain = random(1000);
        byte[] tokenCt = aesGcm(Cipher.ENCRYPT_MODE, token, key, iv, aad, plain);
        check(Arrays.equals(plain, aesGcm(Cipher.DECRYPT_MODE, Security.getProvider("SunJCE"), key, iv, aad, tokenCt)),
                "AES-GCM by the token decrypts in SunJCE");
        byte[] softCt = aesGcm(Cipher.ENCRYPT_MODE, Security.getProvider("SunJCE"), key, iv, aad, plain);
        check(Arrays.equals(softCt, tokenCt), "AES-GCM ciphertext and tag by the token equal SunJCE's");
        check(Arrays.equals(plain, aesGcm(Cipher.DECRYPT_MODE, token, key, iv, aad, softCt)),
                "AES-GCM by SunJCE decrypts in the token");
        softCt[softCt.length - 1] ^= 1;
        try {
            aesGcm(Cipher.DECRYPT_MODE, token, key, iv, aad, softCt);
            check(false, "AES-GCM with a wrong tag is refused by the token");
        } catch (AEADBadTagException expected) {
            check(true, "AES-GCM with a wrong tag is refused by the token");
        }
    }

    static byte[] aesGcm(int mode, Provider p, SecretKeySpec key, byte[] iv, byte[] aad, byte[] in) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", p);
        c.init(mode, key, new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        return c.doFinal(in);
    }
}

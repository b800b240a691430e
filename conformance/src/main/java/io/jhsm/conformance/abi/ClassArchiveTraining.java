package io.jhsm.conformance.abi;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The build's training run for the class archive (dist/jhsm.jsa) or, on JDK 25+, the AOT cache (dist/jhsm.aot,
 * which also keeps the method profiles of this run for the JIT): the distribution module runs it under
 * {@code -XX:ArchiveClassesAtExit} or {@code -XX:AOTCacheOutput} once dist/jhsm-module.jar is final. It loads
 * dist/libjhsm.so into this JVM, so the shim boots the bridge exactly as in a C host, and makes the
 * calls a consumer's first minutes make (C_Initialize, token set-up, sessions, login, random, digests, key
 * generation, ECDSA and RSA sign/verify, AES-GCM/CBC, attribute reads): the classes they load are then mapped from the archive at the next cold start instead
 * of being read, verified and linked from the jar. JHSM_CONF must name a throw-away token directory.
 *
 * <p>{@link ClassArchiveSlot} runs it: {@code java -XX:ArchiveClassesAtExit=jhsm.jsa -cp jhsm-module.jar
 * io.jhsm.bridge.JarMain jhsm.jar io.jhsm.conformance.abi.ClassArchiveTraining /path/to/libjhsm.so STAMP}. STAMP receives the real path, size
 * and mtime of this JVM's libjvm.so, from which ClassArchiveSlot writes the archive's stamp, which the shim
 * compares with the JVM it is about to start before it offers the archive (an archive is only good for the JVM
 * that made it).
 */
public final class ClassArchiveTraining {
    private static final byte[] SO_PIN = ascii("training-so-pin");
    private static final byte[] USER_PIN = ascii("training-user-pin");
    private static final byte[] P256 = {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07};
    private static final int ROUNDS = 200;

    private ClassArchiveTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ClassArchiveTraining /path/to/libjhsm.so STAMP_FILE"
                    + " (JHSM_CONF: a throw-away token directory)");
            System.exit(2);
        }
        train(args[0]);
        Path libjvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so").toRealPath();
        Files.writeString(Path.of(args[1]), libjvm + " " + Files.size(libjvm) + " "
                + Files.getLastModifiedTime(libjvm).to(TimeUnit.SECONDS) + "\n");
    }

    private static void train(String module) {
        Cryptoki p = new NativeCryptoki(FunctionList.load(module));
        p.C_Initialize(new InitializeArgs(CKF.OS_LOCKING_OK, false, false));
        p.C_GetInfo();
        long slot = p.C_GetSlotList(false)[0];
        p.C_GetSlotInfo(slot);
        p.C_InitToken(slot, SO_PIN, label("training"));
        long so = p.C_OpenSession(slot, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        p.C_Login(so, CKU.SO, SO_PIN);
        p.C_InitPIN(so, USER_PIN);
        p.C_CloseSession(so);
        p.C_GetTokenInfo(slot);
        for (long m : p.C_GetMechanismList(slot)) {
            p.C_GetMechanismInfo(slot, m);
        }
        long s = p.C_OpenSession(slot, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        p.C_Login(s, CKU.USER, USER_PIN);
        long[] rsa = p.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.MODULUS_BITS, 2048L),
                        Attribute.of(CKA.PUBLIC_EXPONENT, new byte[] {1, 0, 1}), Attribute.of(CKA.VERIFY, true)),
                List.of(Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.SIGN, true)));
        for (int i = 0; i < ROUNDS; i++) {
            p.C_CloseSession(p.C_OpenSession(slot, CKF.SERIAL_SESSION | CKF.RW_SESSION));
            operations(p, s);
            rsa(p, s, rsa);
        }
        long data = p.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.DATA), Attribute.of(CKA.TOKEN, true),
                Attribute.of(CKA.LABEL, "training"), Attribute.of(CKA.VALUE, new byte[16])));
        p.C_FindObjectsInit(s, List.of(Attribute.of(CKA.LABEL, "training")));
        p.C_FindObjects(s, 10);
        p.C_FindObjectsFinal(s);
        p.C_GetAttributeValue(s, data, new long[] {CKA.LABEL, CKA.VALUE});
        p.C_DestroyObject(s, data);
        p.C_Logout(s);
        p.C_CloseAllSessions(slot);
        p.C_Finalize();
    }

    /** One round of the everyday calls, on session keys. */
    private static void operations(Cryptoki p, long s) {
        byte[] random = new byte[32];
        p.C_GenerateRandom(s, random);
        p.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        p.C_Digest(s, random, new byte[32]);
        long aes = p.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.DECRYPT, true)));
        byte[] plain = new byte[1024];
        byte[] out = new byte[plain.length + 32];
        p.C_EncryptInit(s, Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(new byte[12], 96, null, 128)), aes);
        int n = p.C_Encrypt(s, plain, out);
        p.C_DecryptInit(s, Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(new byte[12], 96, null, 128)), aes);
        p.C_Decrypt(s, Arrays.copyOf(out, n), new byte[plain.length + 32]);
        p.C_EncryptInit(s, Mechanism.of(CKM.AES_CBC_PAD, new MechanismParams.Bytes(new byte[16])), aes);
        p.C_Encrypt(s, plain, out);
        long[] ec = p.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.EC_PARAMS, P256), Attribute.of(CKA.VERIFY, true)),
                List.of(Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.SIGN, true)));
        byte[] sig = sign(p, s, Mechanism.of(CKM.ECDSA), ec[1]);
        p.C_VerifyInit(s, Mechanism.of(CKM.ECDSA), ec[0]);
        p.C_Verify(s, new byte[32], sig);
        p.C_GetAttributeValue(s, aes, new long[] {CKA.CLASS, CKA.KEY_TYPE, CKA.VALUE_LEN, CKA.ENCRYPT});
        p.C_GetAttributeValue(s, ec[0], new long[] {CKA.CLASS, CKA.EC_PARAMS, CKA.EC_POINT});
        p.C_DestroyObject(s, aes);
        p.C_DestroyObject(s, ec[0]);
        p.C_DestroyObject(s, ec[1]);
    }

    /** RSA-2048 PKCS#1 v1.5 sign and verify, raw and with SHA-256, and the public key's attributes. */
    private static void rsa(Cryptoki p, long s, long[] pair) {
        for (Mechanism m : List.of(Mechanism.of(CKM.SHA256_RSA_PKCS), Mechanism.of(CKM.RSA_PKCS))) {
            byte[] sig = sign(p, s, m, pair[1]);
            p.C_VerifyInit(s, m, pair[0]);
            p.C_Verify(s, new byte[32], sig);
        }
        p.C_GetAttributeValue(s, pair[0], new long[] {CKA.MODULUS, CKA.PUBLIC_EXPONENT});
    }

    private static byte[] sign(Cryptoki p, long s, Mechanism m, long key) {
        p.C_SignInit(s, m, key);
        byte[] sig = new byte[512];
        return Arrays.copyOf(sig, p.C_Sign(s, new byte[32], sig));
    }

    private static byte[] label(String text) {
        byte[] l = new byte[32];
        Arrays.fill(l, (byte) ' ');
        byte[] t = ascii(text);
        System.arraycopy(t, 0, l, 0, t.length);
        return l;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.jhsm.node;

import static io.jhsm.node.NodeFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.client.RemoteCryptoki;
import io.jhsm.engine.Engine;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C two-call protocol across the wire, step by step as the engine answers in process (PKCS#11
 * §5.2): a length query and CKR_BUFFER_TOO_SMALL consume nothing, any other error ends the operation.
 */
class TwoCallProtocolTest {
    static final byte[] IV = new byte[16];

    @TempDir
    Path dir;

    /** Each step's outcome: the length (and bytes) on success, else the CK_RV (and the length a too-small buffer needs). */
    static String outcome(byte[] out, IntSupplier call) {
        try {
            int n = call.getAsInt();
            return "OK " + n + (out == null ? "" : " " + HexFormat.of().formatHex(out, 0, Math.min(n, out.length)));
        } catch (BufferTooSmallException e) {
            return "CKR_BUFFER_TOO_SMALL need " + e.requiredLength();
        } catch (CkException e) {
            return CKR.name(e.rv());
        }
    }

    /** pMechanism NULL ends an active decryption (PKCS#11 3.0 §5.9); CKR_OPERATION_NOT_INITIALIZED when none is. */
    static int cancelDecrypt(Cryptoki c, long s) {
        c.C_DecryptInit(s, null, 0);
        return 0;
    }

    static List<String> scenario(Cryptoki c) {
        long s = NodeFixture.userSession(c);
        long k = RemoteCryptoTest.aesKey(c, s, RemoteCryptoTest.KEY, CKA.ENCRYPT, CKA.DECRYPT, CKA.SIGN);
        byte[] text = bytes("forty-one bytes of plaintext, to be sure.");
        List<String> steps = new ArrayList<>();

        c.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        steps.add(outcome(null, () -> c.C_Digest(s, text, null)));
        steps.add(outcome(null, () -> c.C_Digest(s, text, new byte[8])));
        byte[] digest = new byte[40];
        steps.add(outcome(digest, () -> c.C_Digest(s, text, digest)));
        steps.add(outcome(digest, () -> c.C_Digest(s, text, digest)));

        Mechanism cbcPad = Mechanism.of(CKM.AES_CBC_PAD, new MechanismParams.Bytes(IV));
        c.C_EncryptInit(s, cbcPad, k);
        byte[] ct = new byte[48];
        steps.add(outcome(ct, () -> c.C_Encrypt(s, text, ct)));
        // Decrypting into less than the bound but enough for the plaintext, as a C caller may.
        c.C_DecryptInit(s, cbcPad, k);
        byte[] exact = new byte[text.length];
        steps.add(outcome(exact, () -> c.C_Decrypt(s, ct, exact)));
        steps.add(outcome(null, () -> cancelDecrypt(c, s)));
        c.C_DecryptInit(s, cbcPad, k);
        byte[] small = new byte[16];
        steps.add(outcome(small, () -> c.C_Decrypt(s, ct, small)));
        steps.add(outcome(exact, () -> c.C_Decrypt(s, ct, exact)));
        steps.add(outcome(null, () -> cancelDecrypt(c, s)));

        Mechanism cbc = Mechanism.of(CKM.AES_CBC, new MechanismParams.Bytes(IV));
        c.C_EncryptInit(s, cbc, k);
        byte[] out = new byte[64];
        steps.add(outcome(out, () -> c.C_Encrypt(s, text, out)));
        steps.add(outcome(out, () -> c.C_Encrypt(s, new byte[16], out)));

        c.C_SignInit(s, Mechanism.of(CKM.AES_CMAC), k);
        c.C_SignUpdate(s, text);
        steps.add(outcome(null, () -> c.C_SignFinal(s, null)));
        byte[] mac = new byte[16];
        steps.add(outcome(mac, () -> c.C_SignFinal(s, mac)));
        steps.add(outcome(mac, () -> c.C_SignFinal(s, mac)));
        c.C_CloseSession(s);
        return steps;
    }

    @Test
    void everyStepAnswersAsTheEngineDoesInProcess() throws Exception {
        try (NodeFixture node = new NodeFixture(dir, 64)) {
            Engine local = node.local();
            List<String> inProcess;
            try {
                inProcess = scenario(local);
            } finally {
                local.C_Finalize();
            }
            RemoteCryptoki remote = node.connected();
            try {
                List<String> overTheWire = scenario(remote);
                assertEquals(inProcess, overTheWire);
                assertEquals("OK 32", overTheWire.get(0), "a length query");
                assertEquals("CKR_BUFFER_TOO_SMALL need 32", overTheWire.get(1));
                assertEquals("CKR_OPERATION_NOT_INITIALIZED", overTheWire.get(3), "the digest was delivered, the operation ended");
                assertEquals("CKR_DATA_LEN_RANGE", overTheWire.get(10), "41 bytes are no whole AES blocks");
                assertEquals("CKR_OPERATION_NOT_INITIALIZED", overTheWire.get(11), "that error ended the operation");
            } finally {
                remote.C_Finalize();
            }
        }
    }
}

package io.jhsm.node;

import static io.jhsm.node.NodeFixture.assertRv;
import static io.jhsm.node.NodeFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jhsm.client.RemoteCryptoki;
import io.jhsm.engine.profile.ProfileSetting;
import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.file.Path;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cloudhsm-profile token behind a node: the IV the HSM writes into CK_GCM_PARAMS' pIv at C_EncryptInit (and
 * C_WrapKey) crosses the wire back into the application's array, as in process (CloudHSM's
 * pkcs11-mechanisms.html, annotation 1); a pkcs11 token's caller keeps its own IV.
 */
class RemoteCloudHsmGcmTest {
    @TempDir
    Path dir;
    NodeFixture node;
    RemoteCryptoki remote;

    @AfterEach
    void disconnect() throws Exception {
        remote.C_Finalize();
        node.close();
    }

    private long session(TokenProfile profile) throws Exception {
        node = new NodeFixture(dir, 16);
        ProfileSetting.write(node.config.tokenDirectory(0), profile);
        node.stop();
        node.start(0);
        remote = node.connected();
        return NodeFixture.userSession(remote);
    }

    private static Mechanism gcm(byte[] iv) {
        return Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(iv, 0, new byte[0], 128));
    }

    private static byte[] jdkGcm(byte[] iv, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(RemoteCryptoTest.KEY, "AES"), new GCMParameterSpec(128, iv));
        return c.doFinal(data);
    }

    @Test
    void cloudHsmIvCrossesTheWireIntoTheCallersArray() throws Exception {
        long s = session(TokenProfile.CLOUDHSM);
        long k = RemoteCryptoTest.aesKey(remote, s, RemoteCryptoTest.KEY, CKA.ENCRYPT, CKA.DECRYPT, CKA.WRAP, CKA.EXTRACTABLE);
        byte[] iv = new byte[12];
        remote.C_EncryptInit(s, gcm(iv), k);
        assertFalse(Arrays.equals(new byte[12], iv), "the node's generated IV reached the caller's pIv array");
        byte[] text = bytes("sixteen bytes!!!");
        byte[] ct = new byte[remote.C_Encrypt(s, text, null)];
        remote.C_Encrypt(s, text, ct);
        assertArrayEquals(jdkGcm(iv, text), ct);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> remote.C_EncryptInit(s, gcm(iv), k)); // no longer zeroed

        byte[] wrapIv = new byte[12];
        byte[] wrapped = new byte[remote.C_WrapKey(s, gcm(wrapIv), k, k, null)];
        remote.C_WrapKey(s, gcm(wrapIv), k, k, wrapped);
        assertArrayEquals(jdkGcm(wrapIv, RemoteCryptoTest.KEY), wrapped, "C_WrapKey's IV came back too");
    }

    @Test
    void pkcs11CallerKeepsItsOwnIvOverTheWire() throws Exception {
        long s = session(TokenProfile.PKCS11);
        long k = RemoteCryptoTest.aesKey(remote, s, RemoteCryptoTest.KEY, CKA.ENCRYPT);
        byte[] iv = bytes("twelve bytes");
        remote.C_EncryptInit(s, gcm(iv), k);
        assertArrayEquals(bytes("twelve bytes"), iv);
        byte[] text = bytes("sixteen bytes!!!");
        byte[] ct = new byte[remote.C_Encrypt(s, text, null)];
        remote.C_Encrypt(s, text, ct);
        assertArrayEquals(jdkGcm(iv, text), ct);
    }
}

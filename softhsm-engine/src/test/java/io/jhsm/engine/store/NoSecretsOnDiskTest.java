package io.jhsm.engine.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKU;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoSecretsOnDiskTest {

    @TempDir
    Path dir;

    private static final byte[] KEY_VALUE = "KEYMATERIAL-9f1c2e7a-do-not-store-in-clear".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PIN = "PIN-4b8d0c63-distinctive".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LABEL = "LABEL-a61e55d2".getBytes(StandardCharsets.US_ASCII);

    @Test
    void noKeyMaterialOrPinInClearOnDisk() throws Exception {
        byte[] verifier = new Pbkdf2PinVerifier(1000).create(PIN);
        byte[] verifierHash = java.util.Arrays.copyOfRange(verifier, verifier.length - 32, verifier.length);
        List<byte[]> secrets = List.of(KEY_VALUE, PIN, LABEL, verifierHash);
        try (SqliteTokenStore store = SqliteTokenStore.open(dir)) {
            store.initialize(new TokenRecord("token", "1"), List.of(new UserRecord("alice", CKU.USER, verifier, 0, false)));
            List<Attribute> object = List.of(Attribute.of(CKA.LABEL, LABEL), Attribute.of(CKA.VALUE, KEY_VALUE),
                    Attribute.ofTemplate(CKA.WRAP_TEMPLATE, List.of(Attribute.of(CKA.VALUE, KEY_VALUE))));
            long id = store.insertObject(object);
            store.updateObject(id, object);
            store.insertObject(object);
            // While the connection is open the data sits in token.db-wal (and -shm): scan those too.
            assertTrue(Files.exists(dir.resolve("token.db-wal")), "expected a WAL file while open");
            assertNoneContain(secrets);
        }
        assertNoneContain(secrets);
    }

    private void assertNoneContain(List<byte[]> secrets) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertTrue(files.size() >= 2, "scanned " + files);
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            for (byte[] secret : secrets) {
                assertFalse(contains(content, secret), file.getFileName() + " contains a secret in clear");
            }
        }
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void theScanWouldFindAnUnsealedValue() {
        byte[] file = ("xx" + new String(KEY_VALUE, StandardCharsets.US_ASCII) + "yy").getBytes(StandardCharsets.US_ASCII);
        assertTrue(contains(file, KEY_VALUE));
        assertFalse(contains(file, PIN));
    }
}

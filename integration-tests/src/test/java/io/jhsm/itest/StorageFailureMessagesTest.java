package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage failures explain themselves through dist/libjhsm.so: pkcs11-tool only shows CKR_DEVICE_ERROR,
 * so the module must leave one line saying what failed, which file, and what to do (stderr, or the file
 * JHSM_LOG names). Damage to one object stays local, and `jhsm hsm check` finds it.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "jhsm's own storage and messages")
class StorageFailureMessagesTest {
    @TempDir Path dir;
    TokenFixture token;
    Path slot;

    @BeforeEach
    void aTokenWithTwoKeys() {
        token = TokenFixture.initialised(dir);
        for (String label : List.of("k1", "k2")) {
            token.asUser("--keygen", "--key-type", "AES:16", "--label", label).run().assertOk("keygen " + label);
        }
        slot = dir.resolve("data/slot-0");
    }

    private Cmd.Result listSlots() {
        return token.pkcs11ToolAnySlot("--list-slots").run();
    }

    @Test
    void aMissingDeviceKeyIsNamedWithWhatToDo() throws IOException {
        Files.delete(slot.resolve("device.key"));
        listSlots().assertOutputContains("CKR_DEVICE_ERROR: " + slot.resolve("device.key") + " is missing", "the line")
                .assertOutputContains("restore device.key from a backup", "what to do");
    }

    @Test
    void aTruncatedDeviceKeyIsNamed() throws IOException {
        byte[] key = Files.readAllBytes(slot.resolve("device.key"));
        Files.write(slot.resolve("device.key"), java.util.Arrays.copyOf(key, 20));
        listSlots().assertOutputContains(slot.resolve("device.key") + " is not a jhsm device key (20 bytes", "the line");
    }

    @Test
    void aDeviceKeyOfAnotherTokenIsNamed() throws IOException {
        TokenFixture other = TokenFixture.initialised(dir.resolve("other"));
        Files.copy(dir.resolve("other/data/slot-0/device.key"), slot.resolve("device.key"), StandardCopyOption.REPLACE_EXISTING);
        listSlots().assertOutputContains("does not belong to this token database", "the line")
                .assertOutputContains("put back this token's own device.key", "what to do");
        assertTrue(other.dir().startsWith(dir));
    }

    @Test
    void aHalfTruncatedDatabaseIsCalledDamaged() throws IOException {
        long size = Files.size(slot.resolve("token.db"));
        try (var ch = java.nio.channels.FileChannel.open(slot.resolve("token.db"), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
        }
        listSlots().assertOutputContains(slot.resolve("token.db") + ":", "names the file")
                .assertOutputContains("the token database is damaged (truncated or overwritten): restore token.db", "what to do");
    }

    @Test
    void anOverwrittenDatabaseHeaderIsCalledDamaged() throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(slot.resolve("token.db"), java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("this is no longer a SQLite header!".getBytes()), 0);
        }
        listSlots().assertOutputContains("file is not a database", "SQLite's reason")
                .assertOutputContains("the token database is damaged", "what to do");
    }

    @Test
    void anEmptiedDatabaseBesideItsDeviceKeyIsRefusedNotTakenForANewToken() throws IOException {
        Files.write(slot.resolve("token.db"), new byte[0]);
        listSlots().assertOutputContains("token.db is empty but " + slot.resolve("device.key") + " exists", "the line")
                .assertOutputLacks("uninitialized", "no blank token in its place");
    }

    @Test
    void anUnwritableDirectoryIsNamed() throws IOException {
        Path data = dir.resolve("ro-data");
        Files.createDirectories(data);
        Files.writeString(dir.resolve("ro.conf"), "directory = " + data + "\nslots = 1\n");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("ro.conf"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
        List<String> argv = new java.util.ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // root writes anywhere: run as nobody, for whom the directory really is read-only.
            argv.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        argv.addAll(List.of("pkcs11-tool", "--module", token.module().toString(), "--list-slots"));
        Cmd.of(argv).env("JHSM_CONF", dir.resolve("ro.conf").toString()).env("HOME", "/tmp").in(Path.of("/tmp")).run()
                .assertOutputContains("cannot create " + data.resolve("slot-0"), "the line")
                .assertOutputContains("check that this user may write", "what to do");
    }

    @Test
    void binaryJunkInTheConfigurationFileNamesTheFile() throws IOException {
        Path junk = dir.resolve("junk.conf");
        Files.write(junk, new byte[] {'s', 'l', 'o', 't', 's', '=', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0});
        Cmd.of("pkcs11-tool", "--module", token.module().toString(), "--list-slots").env("JHSM_CONF", junk.toString())
                .in(dir).run().assertOutputContains("JHSM_CONF file " + junk + " is not UTF-8 text", "the line");
    }

    @Test
    void linesGoToTheFileJhsmLogNamesAndARepeatedFailureIsNotRepeated() throws IOException {
        Files.delete(slot.resolve("device.key"));
        Path log = dir.resolve("jhsm.log");
        Cmd.Result r = token.pkcs11ToolAnySlot("--list-slots", "--list-token-slots", "-L").env("JHSM_LOG", log.toString()).run();
        r.assertOutputLacks("is missing", "nothing on stderr when JHSM_LOG names a file");
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.size() == 1 && lines.get(0).contains("device.key is missing"), lines.toString());
    }

    @Test
    void aDamagedObjectIsSkippedInSearchesLoggedByIdAndListedByHsmCheck() throws Exception {
        // The newest object (the highest id, k2) gets its sealed blob's last byte changed.
        Cmd.of("python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
                + " i,b=c.execute('SELECT id, blob FROM objects ORDER BY id DESC LIMIT 1').fetchone();"
                + " c.execute('UPDATE objects SET blob=? WHERE id=?', (b[:-1]+bytes([b[-1]^1]), i)); c.commit(); print(i)",
                slot.resolve("token.db").toString()).run().assertOk("damage one object");
        token.asUser("--list-objects", "--type", "secrkey").run().assertOk("search with one damaged object")
                .assertOutputContains("k1", "the undamaged key is found")
                .assertOutputLacks("label:      k2", "the damaged key is left out")
                .assertOutputContains("authentication failed (tampered, moved, or wrong device key)", "logged")
                .assertOutputContains("jhsm hsm check", "what to do");
        Path jhsm = ModuleUnderTest.repoRoot().resolve("dist/jhsm");
        Cmd.Result check = token.cmd(jhsm.toString(), "hsm", "check", "--json").run();
        assertTrue(check.exitCode() == 8, check.describe());
        check.assertOutputContains("damaged objects [", "lists the damaged object");
    }
}

package io.jhsm.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    private Config load(String text) throws Exception {
        Path file = dir.resolve("jhsm.conf");
        Files.writeString(file, text);
        return Config.load(file);
    }

    @Test
    void legacyAlgorithmsAreOffUnlessTheFileSaysTrue() throws Exception {
        assertFalse(load("directory = data\n").legacyAlgorithms());
        assertFalse(load("legacy-algorithms = false\n").legacyAlgorithms());
        Config on = load("directory = data\nslots = 2\nlegacy-algorithms = true   # DES, MD5, RSA-1024\n");
        assertTrue(on.legacyAlgorithms());
        assertEquals(2, on.slots());
        assertEquals(dir.resolve("data"), on.directory());
    }

    @Test
    void aProfileLineGivesEveryTokenThatProfileAndNoLineLeavesEachTokensOwn() throws Exception {
        assertEquals(java.util.Optional.empty(), load("directory = data\n").profile());
        assertEquals(java.util.Optional.of(io.jhsm.engine.profile.TokenProfile.CLOUDHSM),
                load("profile = CloudHSM   # as on AWS\n").profile());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> load("profile = aws\n"));
        assertTrue(e.getMessage().endsWith("profile must be 'pkcs11' or 'cloudhsm', not 'aws'"), e.getMessage());
    }

    @Test
    void aLegacyAlgorithmsValueOtherThanTrueOrFalseStopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> load("legacy-algorithms = yes\n"));
        assertTrue(e.getMessage().contains("legacy-algorithms must be true or false"), e.getMessage());
    }

    @Test
    void aConfigurationFileOfBinaryJunkIsNamedAndExplained() throws Exception {
        Path conf = dir.resolve("jhsm.conf");
        Files.write(conf, new byte[] {'s', 'l', 'o', 't', 's', '=', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0, 7});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Config.load(conf));
        assertTrue(e.getMessage().contains(conf.toString()) && e.getMessage().contains("not UTF-8 text"), e.getMessage());
    }
}

package io.jhsm.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void aConfigurationFileOfBinaryJunkIsNamedAndExplained() throws Exception {
        Path conf = dir.resolve("jhsm.conf");
        Files.write(conf, new byte[] {'s', 'l', 'o', 't', 's', '=', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0, 7});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Config.load(conf));
        assertTrue(e.getMessage().contains(conf.toString()) && e.getMessage().contains("not UTF-8 text"), e.getMessage());
    }
}

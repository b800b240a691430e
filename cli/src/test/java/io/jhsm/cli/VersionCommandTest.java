package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.mechanism.CryptoBackend;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jhsm version names the crypto backend (issue 16), plain and as JSON. */
class VersionCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonNamesVersionJvmAndCryptoBackend() throws Exception {
        Map<String, Object> data = new CliFixture(dir).ok("version", "--json").data();
        assertEquals("dev", data.get("version"));
        assertTrue(((String) data.get("jvm")).contains(Runtime.version().toString()), data.toString());
        assertEquals(CryptoBackend.describe(), data.get("crypto_backend"));
        assertTrue(((String) data.get("crypto_backend")).matches("(accp|portable) .*"), data.toString());
    }

    @Test
    void plainVersionPrintsTheBackendOnItsSecondLine() throws Exception {
        String[] lines = new CliFixture(dir).ok("version").out().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("jhsm dev (Java "), lines[0]);
        assertEquals("crypto backend: " + CryptoBackend.describe(), lines[1].strip());
    }
}

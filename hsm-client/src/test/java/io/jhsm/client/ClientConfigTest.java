package io.jhsm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster keys of JHSM_CONF: discovery, retry-mode, disable-key-availability-check. */
class ClientConfigTest {
    @TempDir
    Path dir;

    private ClientConfig load(String extra) throws Exception {
        Path f = dir.resolve("client.conf");
        Files.writeString(f, "hsms = 127.0.0.1:2223, 127.0.0.1:2224\nhsm-ca-cert = ca.crt\n" + extra);
        return ClientConfig.load(f);
    }

    @Test
    void aClusterClientDiscoversRetriesAndChecksKeyAvailabilityByDefault() throws Exception {
        ClientConfig c = load("");
        assertEquals(2, c.hsms().size());
        assertTrue(c.discovery());
        assertEquals(ClientConfig.RetryMode.STANDARD, c.retryMode());
        assertTrue(c.keyAvailabilityCheck());
    }

    @Test
    void eachClusterKeyCanBeTurnedOff() throws Exception {
        ClientConfig c = load("discovery = off   # only the listed HSMs\nretry-mode = OFF\ndisable-key-availability-check = true\n");
        assertFalse(c.discovery());
        assertEquals(ClientConfig.RetryMode.OFF, c.retryMode());
        assertFalse(c.keyAvailabilityCheck());
    }

    @Test
    void aValueOutsideTheChoicesIsRefusedNamingTheKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> load("retry-mode = adaptive\n"));
        assertTrue(e.getMessage().contains("retry-mode must be standard or off, got adaptive"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> load("discovery = maybe\n"));
        assertTrue(e.getMessage().contains("discovery must be on or off"), e.getMessage());
    }
}

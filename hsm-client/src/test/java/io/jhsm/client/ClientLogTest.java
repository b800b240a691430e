package io.jhsm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientLogTest {
    @TempDir
    Path dir;

    /** A call on a session of a dead HSM leaves two lines (the HSM's, the session's): repeated calls must not flood. */
    @Test
    void aLineRepeatedWithinTenSecondsIsWrittenOnceEvenBetweenOtherLines() throws Exception {
        Path file = dir.resolve("client.log");
        ClientLog log = ClientLog.fromEnvironment(Map.of("JHSM_LOG", file.toString()));
        for (int call = 0; call < 5; call++) {
            log.problem("CKR_DEVICE_REMOVED", "C_OpenSession to HSM h:1: UNAVAILABLE");
            log.problem("CKR_DEVICE_REMOVED", "C_Sign: the session's HSM h:1 is lost");
        }
        assertEquals(2, Files.readAllLines(file).size(), Files.readString(file));
    }
}

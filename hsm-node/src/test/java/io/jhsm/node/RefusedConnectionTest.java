package io.jhsm.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ServerTransportFilter;
import io.jhsm.engine.config.Config;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection refused at its TLS handshake ends without ever being ready: gRPC reports it with no attributes. */
class RefusedConnectionTest {
    @TempDir
    Path dir;

    @Test
    void aConnectionThatEndedBeforeItWasReadyHasNoApplicationToClose() {
        CryptokiEndpoint endpoint = new CryptokiEndpoint(new Config(dir, 1), 8, () -> true);
        try {
            for (ServerTransportFilter f : endpoint.transportFilters()) {
                assertDoesNotThrow(() -> f.transportTerminated(null));
            }
            assertEquals(0, endpoint.applications());
        } finally {
            endpoint.close();
        }
    }
}

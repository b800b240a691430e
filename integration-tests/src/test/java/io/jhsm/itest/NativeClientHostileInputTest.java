package io.jhsm.itest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HostileInputTest's C program (src/test/c/hostile.c, hostile_cases.c) against dist/libjhsm-client.so with a node
 * of its own: every function of the 3.0 list before C_Initialize, after C_Finalize, with invalid slots, closed
 * sessions, NULL pointers, lying templates and short buffers must answer a CK_RV the base specification lists,
 * checked locally or by the node, without crash or hang. The pkcs11 profile: the program checks the specification's
 * rules (session objects, CKA_PRIVATE FALSE), not CloudHSM's narrower ones.
 */
@ThroughNativeClient
class NativeClientHostileInputTest {
    @RegisterExtension static final NetworkHsmFixture hsm = NetworkHsmFixture.withProfile("pkcs11");

    @Test
    void hostileInputThroughTheNativeClientGetsTheSpecifiedErrorWithoutCrashOrHang() throws IOException {
        Path program = HostileInputTest.compile();
        Cmd.Result r = hsm.cmd(program.toString(), hsm.module().toString(), hsm.tokenLabel(), NetworkHsmFixture.alicePin())
                .timeout(Duration.ofMinutes(5)).run();
        HostileInputTest.assertEveryFunctionSweptCleanly(r, 400);
    }
}

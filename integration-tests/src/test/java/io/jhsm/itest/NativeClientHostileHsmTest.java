package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The native client's network layer against a real node and against hostile HSMs (native-client/src/test/c:
 * {@code make check-net} runs net_driver on a node started by {@code dist/jhsm cluster up}, mutual TLS refusals, then a
 * hand-written HTTP/2 peer that sends a huge length prefix, resets the stream, sends garbage, stays silent, answers
 * something that is not a Response, resets the connection, or shows a certificate the trust anchor did not issue):
 * every answer is the specified CK_RV within the call's deadline with one log line naming the fault, never a crash
 * or a hang, and the background thread answers an idle connection's PING.
 */
class NativeClientHostileHsmTest {
    @Test
    void everyHostileHsmGetsAnErrorAndALineNeverACrashOrAHang() {
        Path root = ModuleUnderTest.repoRoot();
        Cmd.Result r = Cmd.of("make", "-C", root.resolve("native-client/src/main/c").toString(), "check-net",
                        "OUT=" + root.resolve("native-client/target/c"), "DIST=" + root.resolve("dist"),
                        "PROTO=" + root.resolve("hsm-protocol/src/main/proto"))
                .env("JHSM_CONF", "")
                .timeout(Duration.ofMinutes(8))
                .run();
        r.assertOk("make check-net: the net layer's driver and the hostile HSMs");
        assertFalse(r.output().contains("FAILED"), r.describe());
        r.assertOutputContains("hostile HSM (garbage): getinfo net=0x30 ok", "the garbage case ran");
        r.assertOutputContains("hostile HSM (ping): getinfo net=0x0 ok", "the idle-PING case ran");
    }
}

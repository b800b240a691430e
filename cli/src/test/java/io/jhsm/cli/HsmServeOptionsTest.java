package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hsm serve}'s cluster options are checked before anything starts: a wrong line says what is wrong, and D stays untouched. */
class HsmServeOptionsTest {
    @TempDir
    Path dir;

    private String refused(String... options) {
        String[] args = new String[4 + options.length];
        args[0] = "hsm";
        args[1] = "serve";
        args[2] = "--dir";
        args[3] = dir.resolve("node").toString();
        System.arraycopy(options, 0, args, 4, options.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertNotEquals(0, status);
        assertTrue(Files.notExists(dir.resolve("node")), "nothing was created");
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRaftEndpointNeedsPeersOrJoin() {
        String said = refused("--listen", "127.0.0.1:0", "--raft-listen", "127.0.0.1:3999");
        assertTrue(said.contains("--raft-listen needs --peers or --join"), said);
    }

    @Test
    void thePeersMustListThisHsmAtItsRaftAddress() {
        String said = refused("--listen", "127.0.0.1:0", "--hsm-id", "hsm-00000001", "--raft-listen", "127.0.0.1:3999",
                "--peers", "hsm-00000002=127.0.0.1:3998=127.0.0.1:2998");
        assertTrue(said.contains("--peers does not list this HSM (hsm-00000001)"), said);
        said = refused("--listen", "127.0.0.1:0", "--hsm-id", "hsm-00000001", "--raft-listen", "127.0.0.1:3999",
                "--peers", "hsm-00000001=127.0.0.1:3997=127.0.0.1:2997");
        assertTrue(said.contains("the Raft address 127.0.0.1:3997 but --raft-listen is 127.0.0.1:3999"), said);
    }

    @Test
    void joinAndPeersExcludeEachOtherAndAMemberNeedsItsId() {
        String said = refused("--listen", "127.0.0.1:0", "--hsm-id", "hsm-00000001", "--raft-listen", "127.0.0.1:3999", "--join",
                "--peers", "hsm-00000001=127.0.0.1:3999=127.0.0.1:2999");
        assertTrue(said.contains("give --peers or --join, not both"), said);
        said = refused("--listen", "127.0.0.1:0", "--raft-listen", "127.0.0.1:3999", "--join");
        assertTrue(said.contains("a cluster member needs --hsm-id and --raft-listen"), said);
    }

    @Test
    void aMalformedPeerEntryIsNamed() {
        String said = refused("--listen", "127.0.0.1:0", "--hsm-id", "hsm-00000001", "--raft-listen", "127.0.0.1:3999",
                "--peers", "hsm-00000001=127.0.0.1:3999");
        assertTrue(said.contains("'hsm-00000001=127.0.0.1:3999' is not ID=RAFTHOST:RAFTPORT=CLIENTHOST:CLIENTPORT"), said);
    }
}

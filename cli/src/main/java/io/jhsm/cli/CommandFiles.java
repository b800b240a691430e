package io.jhsm.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which file options a forwarded command reads and which it writes: the client ships the inputs to the
 * HSM and saves the outputs under the paths the user named. Every Path/File option of every command is
 * here (CommandFilesTest checks it), so a new option cannot be forgotten: add it with its direction.
 */
final class CommandFiles {
    private CommandFiles() {}

    enum Direction {
        /** Read by the command: shipped to the HSM. */
        INPUT,
        /** Written by the command: returned and saved on the client. */
        OUTPUT,
        /** Read and rewritten (quorum token files gaining approvals). */
        IN_OUT,
        /** A directory the command writes files into (cluster create's CSR). */
        OUTPUT_DIRECTORY,
        /** The command is local by nature (LocalCommands): the path stays on this machine. */
        LOCAL
    }

    private static final Map<String, Direction> TABLE = Map.ofEntries(
            Map.entry("cluster create --csr-dir", Direction.OUTPUT_DIRECTORY),
            Map.entry("cluster initialize --signed-cert", Direction.INPUT),
            Map.entry("cluster initialize --trust-anchor", Direction.INPUT),
            // net-node's commands (cluster csr, cluster mtls): listed ahead so forwarding knows them when they land.
            Map.entry("cluster csr --out", Direction.OUTPUT),
            Map.entry("cluster mtls register-trust-anchor --path", Direction.INPUT),
            Map.entry("cluster up --dir", Direction.LOCAL),
            Map.entry("cluster down --dir", Direction.LOCAL),
            Map.entry("cluster status --dir", Direction.LOCAL),
            Map.entry("cluster supervise --dir", Direction.LOCAL),
            Map.entry("cluster add-hsm --dir", Direction.LOCAL),
            Map.entry("cluster remove-hsm --dir", Direction.LOCAL),
            Map.entry("cluster fault --dir", Direction.LOCAL),
            Map.entry("cluster metrics --dir", Direction.LOCAL),
            Map.entry("hsm serve --dir", Direction.LOCAL),
            Map.entry("user create --approval", Direction.INPUT),
            Map.entry("user delete --approval", Direction.INPUT),
            Map.entry("user list --approval", Direction.INPUT),
            Map.entry("user change-password --approval", Direction.INPUT),
            Map.entry("user unlock --approval", Direction.INPUT),
            Map.entry("key share --approval", Direction.INPUT),
            Map.entry("key unshare --approval", Direction.INPUT),
            Map.entry("key set-attribute --approval", Direction.INPUT),
            Map.entry("key delete --approval", Direction.INPUT),
            Map.entry("key wrap --approval", Direction.INPUT),
            Map.entry("key wrap --path", Direction.OUTPUT),
            Map.entry("key unwrap --path", Direction.INPUT),
            Map.entry("crypto sign --data-path", Direction.INPUT),
            Map.entry("crypto sign --approval", Direction.INPUT),
            Map.entry("quorum token-sign generate --token", Direction.OUTPUT),
            Map.entry("quorum token-sign set-quorum-value --approval", Direction.INPUT),
            Map.entry("quorum token-sign register-key --public-key", Direction.INPUT),
            Map.entry("quorum token-sign register-key --signed-token", Direction.INPUT),
            Map.entry("quorum token-sign add-approval --token", Direction.IN_OUT),
            Map.entry("quorum token-sign add-approval --signature", Direction.INPUT));

    static boolean isFile(ArgSpec arg) {
        Class<?> t = arg.type();
        return t == Path.class || t == File.class;
    }

    /** The direction of a file option of a command ("key wrap"), or null when the table lacks it. */
    static Direction of(String command, OptionSpec option) {
        return TABLE.get(command + " " + option.longestName());
    }
}

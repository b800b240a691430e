package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.pkcs11.CkException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code jhsm}: the command-line tool, named and shaped like the AWS CloudHSM CLI. Every command
 * works on the token directory of {@code JHSM_CONF} (slot 0 unless {@code --slot}), the same one
 * PKCS#11 applications use, so both can run at once. Exit status: 0 success, 1 internal error, 2 bad
 * input, 3 not authenticated, 4 forbidden, 5 not found, 6 wrong cluster state, 7 quorum, 8
 * integrity (tampering, bad signature), 9 locked user, 10 refused by the HSM (a PKCS#11 CK_RV).
 */
@Command(name = "jhsm", mixinStandardHelpOptions = true, versionProvider = Main.VersionInfo.class,
        description = "jhsm: a simulated HSM with AWS CloudHSM semantics.",
        subcommands = {VersionCommand.class, ClusterCommands.class, UserCommands.class, KeyCommands.class,
                CryptoCommands.class, QuorumCommands.class, AuditCommands.class, BackupCommands.class,
                HsmCommands.class})
public final class Main implements Runnable {
    public static final int REFUSED = 10;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command (jhsm --help lists them)");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /**
     * Runs one command as the user typed it (tests run it in-process). When {@code JHSM_CONF} names
     * {@code hsms}, every command but those local by nature ({@link LocalCommands}) is forwarded to the
     * first HSM and runs there ({@link RemoteCommand}).
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, null);
    }

    /** As above, reaching the HSM through {@code channels} in network mode (null: TLS; gRPC loads only then). */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, RemoteCommand.Channels channels) {
        if (io.jhsm.client.ClientConfig.networkMode(env)) {
            CommandLine parsing = commandLine(new Ctx(out, err, env), null);
            String command = LocalCommands.leafOf(parsing, List.of(args));
            if (command != null && !command.isEmpty() && !LocalCommands.isLocal(command)) {
                return RemoteCommand.forward(parsing, command, List.of(args), env, out, err,
                        channels != null ? channels : RemoteCommand.Channels.TLS);
            }
        }
        return commandLine(new Ctx(out, err, env), null).execute(args);
    }

    /**
     * The node's command runner ({@code io.jhsm.node.CommandRunner}): runs one command sent by a client,
     * its relative paths resolved in {@code workDir} (the node's scratch directory) and no path allowed
     * outside it, so a remote command reaches no other file of the node. Commands local by nature
     * (serving, starting nodes, the benchmark) are refused with exit 2.
     */
    public static int run(List<String> args, Map<String, String> env, Path workDir, PrintStream out, PrintStream err) {
        Ctx ctx = new Ctx(out, err, env);
        CommandLine cl = commandLine(ctx, workDir);
        String command = LocalCommands.leafOf(cl, args);
        if (command != null && LocalCommands.isLocal(command)) {
            err.println("jhsm: '" + command + "' runs where you type it, not on an HSM: run it on your own machine without hsms in JHSM_CONF");
            return 2;
        }
        return commandLine(ctx, workDir).execute(args.toArray(String[]::new));
    }

    /** The command line; with {@code workDir}, path options resolve there and may not leave it. */
    static CommandLine commandLine(Ctx ctx, Path workDir) {
        CommandLine cl = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof Ctx.Aware a) {
                    a.ctx(ctx);
                }
                return k;
            }
        });
        if (workDir != null) {
            Path root = workDir.toAbsolutePath().normalize();
            cl.registerConverter(Path.class, text -> {
                Path p = root.resolve(text).normalize();
                if (!p.startsWith(root)) {
                    throw new CommandLine.TypeConversionException("the path " + text + " is outside the command's directory");
                }
                return p;
            });
        }
        cl.setOut(new java.io.PrintWriter(ctx.out(), true));
        cl.setErr(new java.io.PrintWriter(ctx.err(), true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> ctx.fail(e));
        return cl;
    }

    /** The version of the jar (the Launcher's {@code version} command comes here once the CLI exists). */
    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jhsm " + version() + " (Java " + Runtime.version() + ")"};
        }

        /** The jar's Implementation-Version; "dev" when run from classes. */
        static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v != null ? v : "dev";
        }
    }

    static int exitStatus(Exception e) {
        if (e instanceof HsmException h) {
            return h.code().exitStatus;
        }
        if (e instanceof CkException ck) {
            // Login failures read the same whichever path (PKCS#11 or management) the command took.
            if (ck.rv() == io.jhsm.pkcs11.CKR.PIN_INCORRECT) {
                return HsmException.Code.NOT_AUTHENTICATED.exitStatus;
            }
            return ck.rv() == io.jhsm.pkcs11.CKR.PIN_LOCKED ? HsmException.Code.LOCKED.exitStatus : REFUSED;
        }
        return 1;
    }
}

package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.pkcs11.CkException;
import java.io.PrintStream;
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

    /** Runs one command with the given output and environment (tests run it in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        Ctx ctx = new Ctx(out, err, env);
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
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> ctx.fail(e));
        return cl.execute(args);
    }

    /** The version of the jar (the Launcher's {@code version} command comes here once the CLI exists). */
    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jhsm " + (v != null ? v : "dev") + " (Java " + Runtime.version() + ")"};
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

package io.jhsm.bridge;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * What {@code dist/jhsm} runs. The command-line tool proper will be {@value #CLI_MAIN}; until it is
 * in the jar, this answers {@code version} and {@code help} itself. Once the CLI exists every
 * subcommand (version included) goes to it unchanged.
 */
public final class Launcher {
    private Launcher() {}

    static final String CLI_MAIN = "io.jhsm.cli.Main";
    /** The conformance suite, present when dist/jhsm.jar was built by the conformance module's shade. */
    static final String CONFORMANCE_MAIN = "io.jhsm.conformance.Main";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("conformance")) {
            Method suite = mainOf(CONFORMANCE_MAIN);
            if (suite == null) {
                System.err.println("jhsm: this jhsm.jar has no conformance suite (build it with `mvn package`)");
                System.exit(2);
            }
            suite.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Method cli = mainOf(CLI_MAIN);
        if (cli != null) {
            cli.invoke(null, (Object) args);
            return;
        }
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "version", "--version" -> Version.main(Arrays.copyOfRange(args, 1, args.length));
            case "help", "--help", "-h" -> System.out.println("usage: jhsm version | jhsm conformance --module PATH --pin PIN ...");
            default -> {
                System.err.println("jhsm: unknown command '" + command + "' (this build has: version)");
                System.exit(2);
            }
        }
    }

    private static Method mainOf(String className) {
        try {
            return Class.forName(className).getMethod("main", String[].class);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}

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

    public static void main(String[] args) throws Exception {
        Method cli = cliMain();
        if (cli != null) {
            cli.invoke(null, (Object) args);
            return;
        }
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "version", "--version" -> Version.main(Arrays.copyOfRange(args, 1, args.length));
            case "help", "--help", "-h" -> System.out.println("usage: jhsm version");
            default -> {
                System.err.println("jhsm: unknown command '" + command + "' (this build has: version)");
                System.exit(2);
            }
        }
    }

    private static Method cliMain() {
        try {
            return Class.forName(CLI_MAIN).getMethod("main", String[].class);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}

package io.jhsm.cli;

import java.util.List;
import java.util.Set;
import picocli.CommandLine;

/**
 * Commands that run where they are typed, never on an HSM: they print this jhsm's version, serve or start
 * nodes, or measure the client. In network mode the client runs them itself; the node refuses them.
 */
final class LocalCommands {
    private LocalCommands() {}

    /** conformance and bench are not CLI commands (dist/jhsm hands them to their own programs) but are refused by name. */
    static final Set<String> LOCAL = Set.of("version", "conformance", "bench", "hsm serve", "cluster up", "cluster down",
            "cluster status", "cluster supervise", "cluster add-hsm", "cluster remove-hsm", "cluster fault", "cluster metrics");

    static boolean isLocal(String command) {
        return LOCAL.contains(command);
    }

    /**
     * The command the arguments name, e.g. "key wrap" (without "jhsm"); null when they ask for help or
     * version, or do not parse (the command line then reports the mistake itself).
     */
    static String leafOf(CommandLine cl, List<String> args) {
        CommandLine.ParseResult parsed;
        try {
            parsed = cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return !args.isEmpty() && LOCAL.contains(args.get(0)) ? args.get(0) : null;
        }
        CommandLine.ParseResult leaf = parsed;
        while (true) {
            if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
                return null;
            }
            if (leaf.subcommand() == null) {
                break;
            }
            leaf = leaf.subcommand();
        }
        return name(leaf.commandSpec());
    }

    /** A command's name below jhsm: "key wrap". */
    static String name(CommandLine.Model.CommandSpec spec) {
        String q = spec.qualifiedName(" ");
        int space = q.indexOf(' ');
        return space < 0 ? "" : q.substring(space + 1);
    }
}

package io.jhsm.node;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@code jhsm} CLI command on this node's HSM (the CLI supplies it when it starts the node, so
 * the node does not depend on the CLI). {@code env} is the command's environment (the node's own
 * configuration plus what the request may set); {@code workDirectory} is a scratch directory holding
 * the request's input files, where the command's relative output paths land.
 */
@FunctionalInterface
public interface CommandRunner {
    int run(List<String> args, Map<String, String> env, Path workDirectory, PrintStream out, PrintStream err);
}

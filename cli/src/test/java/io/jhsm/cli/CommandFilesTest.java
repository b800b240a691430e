package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Forwarding knows, for every file option of every command, whether the HSM reads it or writes it. */
class CommandFilesTest {

    @Test
    void everyFileOptionOfEveryCommandHasADirection() {
        List<String> missing = new ArrayList<>();
        List<String> misplaced = new ArrayList<>();
        visit(Main.commandLine(new Ctx(new PrintStream(PrintStream.nullOutputStream()), new PrintStream(PrintStream.nullOutputStream()),
                Map.of()), null), missing, misplaced);
        assertEquals(List.of(), missing, "file options without a direction in CommandFiles (add them: INPUT, OUTPUT, …)");
        assertEquals(List.of(), misplaced, "LOCAL is for commands local by nature, and only for them");
    }

    @Test
    void fileArgumentsAreOptionsNotPositionals() {
        List<String> positional = new ArrayList<>();
        walk(Main.commandLine(new Ctx(System.out, System.err, Map.of()), null), cl -> cl.getCommandSpec().positionalParameters()
                .stream().filter(CommandFiles::isFile).forEach(p -> positional.add(LocalCommands.name(cl.getCommandSpec()) + " " + p.paramLabel())));
        // RemoteCommand rewrites option values only: a file positional would reach the HSM as the client's path.
        assertEquals(List.of(), positional);
    }

    private static void visit(CommandLine cl, List<String> missing, List<String> misplaced) {
        walk(cl, c -> {
            String command = LocalCommands.name(c.getCommandSpec());
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (!CommandFiles.isFile(o)) {
                    continue;
                }
                CommandFiles.Direction d = CommandFiles.of(command, o);
                if (d == null) {
                    missing.add(command + " " + o.longestName());
                } else if ((d == CommandFiles.Direction.LOCAL) != LocalCommands.isLocal(command)) {
                    misplaced.add(command + " " + o.longestName() + " " + d);
                }
            }
        });
    }

    private static void walk(CommandLine cl, java.util.function.Consumer<CommandLine> each) {
        each.accept(cl);
        cl.getSubcommands().values().forEach(sub -> walk(sub, each));
    }

    @Test
    void theTableCatchesAnOptionItDoesNotKnow() {
        CommandLine probe = new CommandLine(new Probe());
        OptionSpec unknown = probe.getCommandSpec().findOption("--certificate");
        assertTrue(CommandFiles.isFile(unknown));
        assertEquals(null, CommandFiles.of("probe", unknown));
    }

    @CommandLine.Command(name = "probe")
    static final class Probe {
        @CommandLine.Option(names = "--certificate")
        java.nio.file.Path certificate;
    }
}

package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.Role;
import io.jhsm.engine.cloudhsm.Zeroize;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "hsm", mixinStandardHelpOptions = true, description = "Whole-HSM operations.", subcommands = HsmCommands.ZeroizeCommand.class)
final class HsmCommands {

    @Command(name = "zeroize", mixinStandardHelpOptions = true,
            description = "Destroy every key and user (admin). The audit log keeps a record; restore a backup or create a new cluster afterwards.")
    static final class ZeroizeCommand extends Common {
        @Override
        void execute() {
            try (CloudHsm hsm = ctx().open(slot)) {
                logIn(hsm, Role.ADMIN);
                Zeroize.run(hsm);
                ctx().print(json, Map.of("zeroized", true));
            }
        }
    }
}

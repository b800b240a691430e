package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.Role;
import io.jhsm.engine.cloudhsm.Zeroize;
import io.jhsm.engine.cloudhsm.HsmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "hsm", mixinStandardHelpOptions = true, description = "Whole-HSM operations.", subcommands = {HsmCommands.ZeroizeCommand.class, HsmCommands.CheckCommand.class})
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

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check the token's stored objects like fsck: lists every object whose sealed data no longer opens"
                    + " (damaged or moved). Needs no login. Exit 8 when any is damaged.")
    static final class CheckCommand extends Common {
        @Override
        void execute() {
            try (CloudHsm hsm = ctx().open(slot)) {
                List<Long> damaged = hsm.token().store().damagedObjects();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("token_directory", ctx().tokenDirectory(slot).toString());
                m.put("damaged_objects", damaged);
                if (!damaged.isEmpty()) {
                    throw new HsmException(HsmException.Code.INTEGRITY, ctx().tokenDirectory(slot) + ": damaged objects "
                            + damaged + " (left out of searches; restore a backup to recover them)");
                }
                ctx().print(json, m);
            }
        }
    }
}

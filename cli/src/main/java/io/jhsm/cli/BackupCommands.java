package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.Backups;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.Role;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Backups live in $JHSM_BACKUP_DIR, else {@code backups/} under the jhsm data directory: the
 * simulated AWS side, shared by every jhsm that should be able to restore them.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Create, list, restore and delete backups.",
        subcommands = {BackupCommands.Create.class, BackupCommands.ListBackups.class, BackupCommands.Restore.class,
                BackupCommands.Delete.class, BackupCommands.Retention.class})
final class BackupCommands {

    static Backups backups(Ctx ctx) {
        String dir = ctx.env("JHSM_BACKUP_DIR");
        return new Backups(dir != null ? Path.of(dir) : ctx.config().directory().resolve("backups"));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Back up users, keys and settings (admin).")
    static final class Create extends Common {
        @Override
        void execute() {
            try (CloudHsm hsm = ctx().open(slot)) {
                logIn(hsm, Role.ADMIN);
                ctx().print(json, backups(ctx()).create(hsm));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List backups (expired ones are purged first).")
    static final class ListBackups extends Common {
        @Override
        void execute() {
            Backups b = backups(ctx());
            ctx().print(json, Map.of("backups", b.list(), "retention-days", (long) b.retentionDays()));
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Restore a backup onto this slot, which must be fresh or zeroized. No login: the token has no users yet.")
    static final class Restore extends Common {
        @Parameters(index = "0", description = "Backup id or .jbk file.")
        String backup;

        @Override
        void execute() {
            try (CloudHsm hsm = ctx().open(slot)) {
                ctx().print(json, backups(ctx()).restore(hsm, backup));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a backup (admin; never the newest).")
    static final class Delete extends Common {
        @Parameters(index = "0", description = "Backup id.")
        String backup;

        @Override
        void execute() {
            try (CloudHsm hsm = ctx().open(slot)) {
                logIn(hsm, Role.ADMIN);
                backups(ctx()).delete(hsm, backup);
                ctx().print(json, Map.of("deleted", backup));
            }
        }
    }

    @Command(name = "retention", mixinStandardHelpOptions = true, description = "Show, or (admin) set, the retention period in days (7 to 379).")
    static final class Retention extends Common {
        @Option(names = "--days", description = "New retention period.")
        Integer days;

        @Override
        void execute() {
            Backups b = backups(ctx());
            if (days != null) {
                try (CloudHsm hsm = ctx().open(slot)) {
                    logIn(hsm, Role.ADMIN);
                    b.setRetentionDays(hsm, days);
                }
            }
            ctx().print(json, Map.of("retention-days", (long) b.retentionDays()));
        }
    }
}

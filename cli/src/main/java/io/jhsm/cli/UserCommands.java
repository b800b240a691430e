package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.Quorum;
import io.jhsm.engine.cloudhsm.Role;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage HSM users. Log in with --login USER:PASSWORD --login-role ROLE or CLOUDHSM_PIN/CLOUDHSM_ROLE.",
        subcommands = {UserCommands.Create.class, UserCommands.Delete.class, UserCommands.List.class,
                UserCommands.ChangePassword.class, UserCommands.Unlock.class})
final class UserCommands {

    /** User commands run as an admin unless told otherwise. */
    abstract static class UserCommand extends Common {
        @Option(names = "--approval", description = "Quorum token file with the approvals, when the user service needs a quorum.")
        Path approval;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user (admin only).")
    static final class Create extends UserCommand {
        @Option(names = "--username", required = true)
        String username;

        @Option(names = "--role", required = true, description = "admin or crypto-user")
        String role;

        @Option(names = "--password", required = true, description = "8 to 32 characters")
        String password;

        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                hsm.users().create(username, Role.parse(role), password, Quorum.Approval.read(approval));
                ctx().print(json, Map.of("username", username, "role", role));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a user (admin only; not one that owns keys).")
    static final class Delete extends UserCommand {
        @Option(names = "--username", required = true)
        String username;

        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                hsm.users().delete(username, Quorum.Approval.read(approval));
                ctx().print(json, Map.of("username", username));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users, their roles, lock state and quorum keys.")
    static final class List extends UserCommand {
        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                ctx().print(json, Map.of("users", hsm.users().list()));
            }
        }
    }

    @Command(name = "change-password", mixinStandardHelpOptions = true,
            description = "Change your own password, or (admin) another user's, which also unlocks it.")
    static final class ChangePassword extends UserCommand {
        @Option(names = "--username", required = true)
        String username;

        @Option(names = "--password", required = true, description = "The new password, 8 to 32 characters.")
        String password;

        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                hsm.users().changePassword(username, password, Quorum.Approval.read(approval));
                ctx().print(json, Map.of("username", username));
            }
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Reset a locked user's password (admin only): CloudHSM unlocks only through a reset.")
    static final class Unlock extends UserCommand {
        @Option(names = "--username", required = true)
        String username;

        @Option(names = "--password", required = true, description = "The user's new password.")
        String password;

        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                hsm.users().changePassword(username, password, Quorum.Approval.read(approval));
                ctx().print(json, Map.of("username", username, "locked", false));
            }
        }
    }
}

package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.Principal;
import io.jhsm.engine.cloudhsm.Role;
import picocli.CommandLine.Option;

/**
 * Options every command takes: the slot, --json, and how to log in. CloudHSM CLI's single-command
 * mode logs in from CLOUDHSM_PIN ("user:password") and CLOUDHSM_ROLE; --username/--password/--role
 * (or --login user:password and --login-role where --username names the target user) override them.
 */
abstract class Common extends Ctx.Aware implements Runnable {
    @Option(names = "--slot", defaultValue = "0", description = "Slot of the token (default ${DEFAULT-VALUE}).")
    int slot;

    @Option(names = "--json", description = "Print CloudHSM CLI-style JSON: {\"error_code\":0,\"data\":...}.")
    boolean json;

    @Option(names = "--login", paramLabel = "USER:PASSWORD", description = "Log in as this user (default: $CLOUDHSM_PIN).")
    String login;

    @Option(names = "--login-role", paramLabel = "ROLE", description = "admin or crypto-user (default: $CLOUDHSM_ROLE, else crypto-user).")
    String loginRole;

    @Override
    public final void run() {
        Ctx.JSON.set(json);
        try {
            execute();
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    abstract void execute() throws Exception;

    /** The login name and password: --login, then --username/--password where a command uses them for login, then $CLOUDHSM_PIN. */
    String[] credentials(String username, String password) {
        String pin = login != null ? login : username != null && password != null ? username + ":" + password : ctx().env("CLOUDHSM_PIN");
        if (pin == null || pin.indexOf(':') < 0) {
            throw new HsmException(HsmException.Code.NOT_AUTHENTICATED,
                    "log in with --username/--password/--role, --login USER:PASSWORD, or CLOUDHSM_PIN=user:password");
        }
        int colon = pin.indexOf(':');
        return new String[] {pin.substring(0, colon), pin.substring(colon + 1)};
    }

    Role role(String given, Role otherwise) {
        String r = given != null ? given : loginRole != null ? loginRole : ctx().env("CLOUDHSM_ROLE");
        return r == null ? otherwise : Role.parse(r);
    }

    /** Logs in to the management path with --login/$CLOUDHSM_PIN. */
    Principal logIn(CloudHsm hsm, Role otherwise) {
        String[] c = credentials(null, null);
        return hsm.login(c[0], role(null, otherwise), c[1]);
    }

    /** The token opened on the management path and logged in with --login/$CLOUDHSM_PIN; closed again if the login fails. */
    CloudHsm openAs(Role otherwise) {
        CloudHsm hsm = ctx().open(slot);
        try {
            logIn(hsm, otherwise);
            return hsm;
        } catch (RuntimeException e) {
            hsm.close();
            throw e;
        }
    }
}

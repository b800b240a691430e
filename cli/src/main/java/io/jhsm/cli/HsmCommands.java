package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.Role;
import io.jhsm.engine.cloudhsm.Zeroize;
import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.engine.token.KeyPolicySetting;
import io.jhsm.engine.profile.ProfileSetting;
import io.jhsm.engine.profile.TokenProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "hsm", mixinStandardHelpOptions = true, description = "Whole-HSM operations.",
        subcommands = {HsmCommands.ZeroizeCommand.class, HsmCommands.SetKeyPolicy.class, HsmCommands.SetProfile.class, HsmCommands.CheckCommand.class,
                HsmServeCommand.class})
final class HsmCommands {

    @Command(name = "set-key-policy", mixinStandardHelpOptions = true,
            description = "Choose the token's key policy (admin): 'default' (PKCS#11, and CloudHSM's rules on a cluster) or "
                    + "'strict' (also the Tookan/Caml Crush defences). A JHSM_CONF 'key-policy = strict' still wins; "
                    + "processes that open the token afterwards follow the new choice.")
    static final class SetKeyPolicy extends Common {
        @Parameters(paramLabel = "POLICY", description = "default or strict")
        String policy;

        @Override
        void execute() {
            KeyPolicyMode mode;
            try {
                mode = KeyPolicyMode.parse(policy, "set-key-policy");
            } catch (IllegalArgumentException e) {
                throw new HsmException(HsmException.Code.BAD_INPUT, e.getMessage());
            }
            try (CloudHsm hsm = ctx().open(slot)) {
                logIn(hsm, Role.ADMIN);
                KeyPolicySetting.write(hsm.directory(), mode);
                hsm.audit("CN_SET_KEY_POLICY", null, 0, List.of(), mode.text());
                ctx().print(json, Map.of("key-policy", mode.text(),
                        "effective-key-policy", ctx().config().keyPolicy().stricter(mode).text()));
            }
        }
    }

    @Command(name = "set-profile", mixinStandardHelpOptions = true,
            description = "Choose the token's profile (admin): 'pkcs11' (the PKCS#11 specification) or 'cloudhsm' (AWS CloudHSM's "
                    + "Client SDK 5 PKCS#11 library: HSM-made GCM IVs, no Notify callbacks, SDK 5's functions and mechanisms; "
                    + "CLOUDHSM.md). A cluster is 'cloudhsm' until you choose; a JHSM_CONF 'profile' line still wins. "
                    + "Processes that open the token afterwards follow the new choice.")
    static final class SetProfile extends Common {
        @Parameters(paramLabel = "PROFILE", description = "pkcs11 or cloudhsm")
        String profile;

        @Override
        void execute() {
            TokenProfile chosen;
            try {
                chosen = TokenProfile.parse(profile, "set-profile");
            } catch (IllegalArgumentException e) {
                throw new HsmException(HsmException.Code.BAD_INPUT, e.getMessage());
            }
            try (CloudHsm hsm = ctx().open(slot)) {
                logIn(hsm, Role.ADMIN);
                ProfileSetting.write(hsm.directory(), chosen);
                hsm.audit("CN_SET_PROFILE", null, 0, List.of(), chosen.text());
                ctx().print(json, Map.of("profile", chosen.text(),
                        "effective-profile", ctx().config().profile().orElse(chosen).text()));
            }
        }
    }

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

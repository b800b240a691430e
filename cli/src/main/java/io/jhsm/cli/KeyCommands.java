package io.jhsm.cli;

import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.KeySharing;
import io.jhsm.engine.cloudhsm.Quorum;
import io.jhsm.engine.cloudhsm.Role;
import io.jhsm.engine.object.HsmObject;
import io.jhsm.pkcs11.Attribute;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "key", mixinStandardHelpOptions = true,
        description = "Generate, list, share and manage keys (as a crypto user; CLOUDHSM_PIN or --username/--password).",
        subcommands = {KeyCommands.ListKeys.class, KeyGenerate.Symmetric.class, KeyGenerate.AsymmetricPair.class,
                KeyCommands.Share.class, KeyCommands.Unshare.class, KeyCommands.SetAttribute.class, KeyCommands.Delete.class,
                KeyWrapCommands.Wrap.class, KeyWrapCommands.Unwrap.class})
final class KeyCommands {

    /** Key commands log in through PKCS#11 as a crypto user (or, for set-attribute trusted, an admin). */
    abstract static class KeyCommand extends Common {
        @Option(names = "--username", description = "Log in as this user (else $CLOUDHSM_PIN).")
        String username;

        @Option(names = "--password", description = "The user's password.")
        String password;

        @Option(names = "--role", description = "crypto-user (default) or admin.")
        String role;

        KeySession session() {
            String[] c = credentials(username, password);
            return new KeySession(ctx().config(), slot, c[0], c[1], role(role, Role.CRYPTO_USER) == Role.ADMIN);
        }

        /** For quorum-protected operations: the same user on the management path, to approve a token. */
        void approve(String service, long handle, Path approval) {
            if (approval == null) {
                return;
            }
            String[] c = credentials(username, password);
            try (CloudHsm hsm = ctx().open(slot)) {
                hsm.login(c[0], role(role, Role.CRYPTO_USER), c[1]);
                HsmObject key = hsm.token().allObjects().stream().filter(o -> o.handle() == handle).findFirst()
                        .orElseThrow(() -> new HsmException(HsmException.Code.NOT_FOUND, "no key " + handle));
                hsm.quorum().approveKey(service, key, Quorum.Approval.read(approval));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the keys you can see (your own, shared with you, public keys), optionally filtered.")
    static final class ListKeys extends KeyCommand {
        @Option(names = "--filter", description = "attr.NAME=VALUE, e.g. attr.label=signing (label, class, key-type, owner).")
        List<String> filters = new ArrayList<>();

        @Override
        void execute() {
            try (KeySession k = session()) {
                ctx().print(json, Map.of("matched_keys", KeyFinder.find(k, filters)));
            }
        }
    }

    abstract static class OneKey extends KeyCommand {
        @Option(names = "--key", required = true, description = "The key: its key-reference (handle) or attr.label=LABEL.")
        String key;

        @Option(names = "--approval", description = "Quorum token file with approvals (key-management service).")
        Path approval;

        long handle(KeySession k) {
            return KeyFinder.one(k, key);
        }
    }

    @Command(name = "share", mixinStandardHelpOptions = true, description = "Share a key you own with another crypto user.")
    static final class Share extends OneKey {
        @Option(names = "--with", required = true, description = "The crypto user to share with.")
        String with;

        @Override
        void execute() {
            changeShares(this, with, true);
        }
    }

    @Command(name = "unshare", mixinStandardHelpOptions = true, description = "Stop sharing a key you own with a crypto user.")
    static final class Unshare extends OneKey {
        @Option(names = "--with", required = true, description = "The crypto user to stop sharing with.")
        String with;

        @Override
        void execute() {
            changeShares(this, with, false);
        }
    }

    private static void changeShares(OneKey c, String user, boolean share) {
        try (KeySession k = c.session(); CloudHsm hsm = c.ctx().open(c.slot)) {
            long h = c.handle(k);
            // Through the engine first: a key the user cannot see is "no such key", whatever its share list.
            k.engine.C_GetAttributeValue(k.session, h, new long[] {io.jhsm.pkcs11.CKA.LABEL});
            HsmObject key = hsm.token().allObjects().stream().filter(o -> o.handle() == h).findFirst().orElseThrow();
            Attribute list = KeySharing.changed(key, user, share, hsm.token().users());
            c.approve(Quorum.SERVICE_KEY_MANAGEMENT, h, c.approval);
            k.engine.C_SetAttributeValue(k.session, h, List.of(list));
            c.ctx().print(c.json, Map.of("key-reference", h, share ? "shared-with" : "unshared-from", user));
        }
    }

    @Command(name = "set-attribute", mixinStandardHelpOptions = true,
            description = "Change one attribute of a key you own (CloudHSM's modifiable attributes; trusted: admin only).")
    static final class SetAttribute extends OneKey {
        @Option(names = "--name", required = true, description = "label, id, sign, verify, encrypt, decrypt, wrap, unwrap, "
                + "sensitive, extractable, derive, trusted, wrap-with-trusted, manage-key-quorum-value, use-key-quorum-value")
        String name;

        @Option(names = "--value", required = true)
        String value;

        @Override
        void execute() {
            Attribute a = switch (name) {
                case "manage-key-quorum-value" -> Attribute.of(JhsmAttributes.MANAGE_QUORUM, Long.parseLong(value));
                case "use-key-quorum-value" -> Attribute.of(JhsmAttributes.USE_QUORUM, Long.parseLong(value));
                default -> KeyAttributes.parse(name, value);
            };
            try (KeySession k = session()) {
                long h = handle(k);
                approve(Quorum.SERVICE_KEY_MANAGEMENT, h, approval);
                k.engine.C_SetAttributeValue(k.session, h, List.of(a));
                ctx().print(json, Map.of("key-reference", h, name, value));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a key you own.")
    static final class Delete extends OneKey {
        @Override
        void execute() {
            try (KeySession k = session()) {
                long h = handle(k);
                k.engine.C_DestroyObject(k.session, h);
                ctx().print(json, Map.of("key-reference", h, "deleted", true));
            }
        }
    }
}

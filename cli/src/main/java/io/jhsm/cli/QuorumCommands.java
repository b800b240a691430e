package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.Json;
import io.jhsm.engine.cloudhsm.Quorum;
import io.jhsm.engine.cloudhsm.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quorum", mixinStandardHelpOptions = true, description = "Quorum (M of N) authentication.",
        subcommands = QuorumCommands.TokenSign.class)
final class QuorumCommands {

    @Command(name = "token-sign", mixinStandardHelpOptions = true,
            description = "The token-sign strategy: generate a token, have approvers sign its 'unsigned' bytes "
                    + "(base64 -d | openssl pkeyutl -sign -inkey KEY -pkeyopt digest:sha256), add their signatures, use it with --approval.",
            subcommands = {Generate.class, ListTokens.class, Delete.class, SetQuorumValue.class, ListQuorumValues.class,
                    RegisterKey.class, AddApproval.class})
    static final class TokenSign {}

    @Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate a quorum token for a service.")
    static final class Generate extends Common {
        @Option(names = "--service", required = true, description = "user, quorum, key-management, key-usage, registration")
        String service;

        @Option(names = "--key", description = "The key handle, for key-management and key-usage.")
        Long key;

        @Option(names = "--token", required = true, description = "File to write the token to.")
        Path token;

        @Override
        void execute() throws Exception {
            try (CloudHsm hsm = openAs(Role.CRYPTO_USER)) {
                Files.writeString(token, Json.write(hsm.quorum().generate(service, key)) + "\n");
                ctx().print(json, Map.of("path", token.toAbsolutePath().toString()));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List open quorum tokens.")
    static final class ListTokens extends Common {
        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.CRYPTO_USER)) {
                ctx().print(json, Map.of("tokens", hsm.quorum().list()));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a quorum token (its user or an admin).")
    static final class Delete extends Common {
        @Option(names = "--id", required = true)
        String id;

        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.CRYPTO_USER)) {
                hsm.quorum().delete(id);
                ctx().print(json, Map.of("deleted", id));
            }
        }
    }

    @Command(name = "set-quorum-value", mixinStandardHelpOptions = true, description = "Set M for an admin service (admin).")
    static final class SetQuorumValue extends Common {
        @Option(names = "--service", required = true, description = "user or quorum")
        String service;

        @Option(names = "--value", required = true, description = "1 (off) to 8")
        int value;

        @Option(names = "--approval", description = "Quorum token file, when the quorum service itself needs a quorum.")
        Path approval;

        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                hsm.quorum().setValue(service, value, Quorum.Approval.read(approval));
                ctx().print(json, hsm.quorum().values());
            }
        }
    }

    @Command(name = "list-quorum-values", mixinStandardHelpOptions = true, description = "Show M for each admin service.")
    static final class ListQuorumValues extends Common {
        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                ctx().print(json, hsm.quorum().values());
            }
        }
    }

    @Command(name = "register-key", mixinStandardHelpOptions = true,
            description = "Register your RSA-2048 public key as a quorum approver; the token file must be a 'registration' "
                    + "token with your own approval (proof you hold the private key).")
    static final class RegisterKey extends Common {
        @Option(names = "--public-key", required = true)
        Path publicKey;

        @Option(names = "--signed-token", required = true)
        Path signedToken;

        @Override
        void execute() throws Exception {
            try (CloudHsm hsm = openAs(Role.CRYPTO_USER)) {
                hsm.quorum().registerKey(Files.readString(publicKey), Quorum.Approval.read(signedToken));
                ctx().print(json, Map.of("username", hsm.principal().name(), "quorum", List.of("token-sign")));
            }
        }
    }

    @Command(name = "add-approval", mixinStandardHelpOptions = true,
            description = "Add an approver's signature (a raw signature file from openssl) to a token file. Needs no login.")
    static final class AddApproval extends Common {
        @Option(names = "--token", required = true)
        Path token;

        @Option(names = "--username", required = true, description = "The approver.")
        String username;

        @Option(names = "--signature", required = true, description = "The approver's signature file (binary).")
        Path signature;

        @Override
        @SuppressWarnings("unchecked")
        void execute() throws Exception {
            Map<String, Object> file;
            try {
                file = new LinkedHashMap<>(Json.readObject(Files.readString(token)));
            } catch (IllegalArgumentException e) {
                throw new HsmException(HsmException.Code.BAD_INPUT, token + " is not a quorum token file: " + e.getMessage());
            }
            List<Object> approvals = new ArrayList<>(file.get("approvals") instanceof List<?> l ? (List<Object>) l : List.of());
            approvals.add(Map.of("username", username, "signed", Base64.getEncoder().encodeToString(Files.readAllBytes(signature))));
            file.put("approvals", approvals);
            Files.writeString(token, Json.write(file) + "\n");
            ctx().print(json, Map.of("approvals", (long) approvals.size()));
        }
    }
}

package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.ClientTrustAnchors;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jhsm cluster mtls …}: mutual TLS between clients and the HSM, named and shaped as CloudHSM CLI's
 * {@code cluster mtls} commands (register/list/deregister trust anchors, set/get enforcement); and
 * {@code jhsm cluster csr}, the cluster's CSR for the owner's CA. A node applies the changes to the
 * connections made afterwards.
 */
@Command(name = "mtls", mixinStandardHelpOptions = true,
        description = "Mutual TLS between clients and the HSM: client trust anchors and enforcement.",
        subcommands = {ClusterMtlsCommands.Register.class, ClusterMtlsCommands.ListAnchors.class,
                ClusterMtlsCommands.Deregister.class, ClusterMtlsCommands.SetEnforcement.class,
                ClusterMtlsCommands.GetEnforcement.class})
final class ClusterMtlsCommands {

    @Command(name = "register-trust-anchor", mixinStandardHelpOptions = true,
            description = "Register a client CA certificate (EC P-256/P-384/P-521 or RSA 2048/3072/4096; at most 2) (admin).")
    static final class Register extends Common {
        @Option(names = "--path", required = true, description = "PEM file of the client CA certificate.")
        Path path;

        @Override
        void execute() throws Exception {
            String pem = Files.readString(path);
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                ctx().print(json, Map.of("trust_anchor", hsm.clientTrustAnchors().register(pem)));
            }
        }
    }

    @Command(name = "list-trust-anchors", mixinStandardHelpOptions = true,
            description = "List the registered client trust anchors (any user; no login needed).")
    static final class ListAnchors extends Common {
        @Override
        void execute() {
            try (CloudHsm hsm = ctx().open(slot)) {
                ctx().print(json, Map.of("trust_anchors", hsm.clientTrustAnchors().list()));
            }
        }
    }

    @Command(name = "deregister-trust-anchor", mixinStandardHelpOptions = true,
            description = "Deregister a client trust anchor by its reference, e.g. 0x01 (admin; not the last one under enforcement).")
    static final class Deregister extends Common {
        @Option(names = "--certificate-reference", required = true, paramLabel = "REF", description = "As list-trust-anchors shows it.")
        String reference;

        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                hsm.clientTrustAnchors().deregister(reference);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("certificate-reference", reference);
                m.put("deregistered", true);
                ctx().print(json, m);
            }
        }
    }

    @Command(name = "set-enforcement", mixinStandardHelpOptions = true,
            description = "none: clients need no certificate; cluster: every new connection must present one from a"
                    + " registered trust anchor (admin; needs a registered anchor).")
    static final class SetEnforcement extends Common {
        @Option(names = "--level", required = true, description = "none or cluster")
        String level;

        @Override
        void execute() {
            ClientTrustAnchors.Enforcement e = ClientTrustAnchors.Enforcement.parse(level);
            try (CloudHsm hsm = openAs(Role.ADMIN)) {
                hsm.clientTrustAnchors().setEnforcement(e);
                ctx().print(json, Map.of("mtls-enforcement-level", e.text()));
            }
        }
    }

    @Command(name = "get-enforcement", mixinStandardHelpOptions = true,
            description = "Show the mTLS enforcement level (admin or crypto user).")
    static final class GetEnforcement extends Common {
        @Override
        void execute() {
            try (CloudHsm hsm = openAs(Role.CRYPTO_USER)) {
                ctx().print(json, Map.of("mtls-enforcement-level", hsm.clientTrustAnchors().enforcement().text()));
            }
        }
    }

    @Command(name = "csr", mixinStandardHelpOptions = true,
            description = "Print the cluster's CSR (as cluster create wrote it), or write it to --out, for your CA to sign.")
    static final class Csr extends Common {
        @Option(names = "--out", description = "Write the CSR to this file instead of printing it.")
        Path out;

        @Override
        void execute() throws Exception {
            String csr;
            String id;
            try (CloudHsm hsm = ctx().open(slot)) {
                csr = hsm.cluster().csr();
                id = hsm.cluster().id();
            }
            if (out == null) {
                if (json) {
                    ctx().print(true, Map.of("cluster-id", id, "csr", csr));
                } else {
                    ctx().out().print(csr);
                }
                return;
            }
            Files.writeString(out, csr);
            ctx().print(json, Map.of("cluster-id", id, "csr", out.toAbsolutePath().toString()));
        }
    }
}

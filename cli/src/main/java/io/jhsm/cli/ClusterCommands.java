package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.CloudHsm;
import java.nio.file.Files;
import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.engine.token.KeyPolicySetting;
import io.jhsm.engine.profile.ProfileSetting;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Create, initialize, activate and describe the cluster.",
        subcommands = {ClusterCommands.Create.class, ClusterCommands.Initialize.class, ClusterCommands.Activate.class,
                ClusterCommands.Info.class, ClusterMtlsCommands.class, ClusterMtlsCommands.Csr.class,
                ClusterNodeCommands.Up.class, ClusterNodeCommands.Down.class, ClusterNodeCommands.Status.class,
                ClusterOpsCommands.Supervise.class, ClusterOpsCommands.AddHsm.class, ClusterOpsCommands.RemoveHsm.class,
                ClusterOpsCommands.Fault.class, ClusterOpsCommands.Metrics.class})
final class ClusterCommands {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a new cluster in the slot and write its CSR (<cluster-id>_ClusterCsr.csr) for the owner to sign.")
    static final class Create extends Common {
        @Option(names = "--csr-dir", defaultValue = ".", description = "Where to write the CSR (default: current directory).")
        Path csrDir;

        @Override
        void execute() {
            try (CloudHsm hsm = ctx().open(slot)) {
                Path csr = hsm.cluster().create(csrDir);
                ctx().print(json, Map.of("cluster-id", hsm.cluster().id(), "csr", csr.toAbsolutePath().toString()));
            }
        }
    }

    @Command(name = "initialize", mixinStandardHelpOptions = true,
            description = "Initialize the cluster with the HSM certificate you signed and your CA certificate (trust anchor).")
    static final class Initialize extends Common {
        @Option(names = "--signed-cert", required = true, description = "<cluster-id>_CustomerHsmCertificate.crt")
        Path signedCert;

        @Option(names = "--trust-anchor", required = true, description = "Your CA certificate (customerCA.crt).")
        Path trustAnchor;

        @Override
        void execute() throws Exception {
            String cert = Files.readString(signedCert);
            String anchor = Files.readString(trustAnchor);
            try (CloudHsm hsm = ctx().open(slot)) {
                hsm.cluster().initialize(cert, anchor);
                ctx().print(json, Map.of("cluster-id", hsm.cluster().id(), "state", hsm.cluster().state().name()));
            }
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true,
            description = "Activate the cluster: the unactivated admin (admin/password) sets the admin password.")
    static final class Activate extends Common {
        @Option(names = "--password", required = true, description = "The new admin password (8 to 32 characters).")
        String password;

        @Override
        void execute() {
            try (CloudHsm hsm = ctx().open(slot)) {
                hsm.cluster().activate(password);
                ctx().print(json, Map.of("cluster-id", hsm.cluster().id(), "state", hsm.cluster().state().name()));
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Show the cluster's id, state, certificate, key policy and profile (the token's choice and the one in force).")
    static final class Info extends Common {
        @Override
        void execute() {
            try (CloudHsm hsm = ctx().open(slot)) {
                Map<String, Object> info = new LinkedHashMap<>(hsm.cluster().info());
                KeyPolicyMode chosen = KeyPolicySetting.read(hsm.directory());
                info.put("key-policy", chosen.text());
                info.put("effective-key-policy", ctx().config().keyPolicy().stricter(chosen).text());
                info.put("profile", ProfileSetting.read(hsm.directory()).text());
                info.put("effective-profile", ProfileSetting.effective(ctx().config().profile(), hsm.directory()).text());
                ctx().print(json, info);
            }
        }
    }
}

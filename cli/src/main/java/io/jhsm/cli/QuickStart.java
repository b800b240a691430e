package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * CloudHSM's initialization, as examples/cloudhsm-walkthrough.sh does it, against the HSMs started by
 * {@code cluster up} (through any of them), every step through the network path: the node's CSR, signed by a throw-away
 * customer CA → cluster initialize → (the node now presents the customer-signed certificate, which
 * client.conf trusts from here on) cluster activate → user create.
 */
final class QuickStart {
    private final Path dir;
    private final List<String> addresses;
    private final PrintStream progress;

    QuickStart(Path dir, List<String> addresses, PrintStream progress) {
        this.dir = dir;
        this.addresses = addresses;
        this.progress = progress;
    }

    void run(String clusterId, String adminPassword, String cryptoUser) throws IOException {
        Path conf = dir.resolve(ClusterNodeCommands.CLIENT_CONF);
        Path csr = dir.resolve(clusterId + "_ClusterCsr.csr");
        forwarded("the HSM's CSR", "cluster", "csr", "--out", csr.toString());

        CustomerCa ca = CustomerCa.create("jhsm quick-start customer CA");
        Path anchor = dir.resolve(ClusterNodeCommands.CUSTOMER_CA);
        Path signed = dir.resolve(clusterId + "_CustomerHsmCertificate.crt");
        Files.writeString(anchor, ca.certificatePem());
        Files.writeString(signed, ca.sign(Files.readString(csr)));
        progress.println("jhsm: signed the HSM's CSR with a throw-away customer CA (" + anchor + "; its key is not kept)");
        forwarded("cluster initialize", "cluster", "initialize", "--signed-cert", signed.toString(), "--trust-anchor", anchor.toString());

        // From now on the node presents the certificate the customer CA signed.
        ClusterNodeCommands.writeClientConf(conf, addresses, ClusterNodeCommands.CUSTOMER_CA);
        forwarded("cluster activate", "cluster", "activate", "--password", adminPassword);
        if (cryptoUser != null) {
            int colon = cryptoUser.indexOf(':');
            forwarded("user create", "user", "create", "--username", cryptoUser.substring(0, colon), "--role", "crypto-user",
                    "--password", cryptoUser.substring(colon + 1), "--login", "admin:" + adminPassword, "--login-role", "admin");
        }
    }

    private void forwarded(String what, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("JHSM_CONF", dir.resolve(ClusterNodeCommands.CLIENT_CONF).toString());
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        if (status != 0) {
            String why = (err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8)).strip();
            throw new HsmException(HsmException.Code.STATE, "quick-start: " + what + " failed on the cluster at " + String.join(",", addresses) + ": " + why);
        }
        progress.println("jhsm: " + what + ": done");
    }
}

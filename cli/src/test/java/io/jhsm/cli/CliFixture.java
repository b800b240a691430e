package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.cloudhsm.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs io.jhsm.cli.Main in-process against a temporary jhsm directory, capturing output and exit status. */
final class CliFixture {
    final Path dir;
    final Map<String, String> env = new HashMap<>();
    /** How commands reach the HSM when env's JHSM_CONF names hsms (null: TLS, as dist/jhsm). */
    RemoteCommand.Channels channels;

    record Result(int status, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> data() {
            Object d = Json.readObject(out.strip().lines().reduce((a, b) -> b).orElseThrow()).get("data");
            return d instanceof Map ? (Map<String, Object>) d : Map.of("value", d);
        }
    }

    CliFixture(Path dir) throws IOException {
        this.dir = dir;
        Path conf = dir.resolve("jhsm.conf");
        Files.writeString(conf, "directory = " + dir.resolve("data") + "\nslots = 2\n");
        env.put("JHSM_CONF", conf.toString());
        env.put("JHSM_BACKUP_DIR", dir.resolve("backups").toString());
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env,
                channels);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Result ok(String... args) {
        Result r = run(args);
        assertEquals(0, r.status(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
        return r;
    }

    Result fails(int status, String... args) {
        Result r = run(args);
        assertEquals(status, r.status(), () -> String.join(" ", args) + "\n" + r.out() + r.err());
        return r;
    }

    void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
    }

    /** A new cluster on the slot: CSR signed by a fresh CA with openssl as the AWS guide does, initialized, activated. */
    String activeCluster(int slot, String adminPassword) throws Exception {
        Result created = ok("cluster", "create", "--slot", "" + slot, "--csr-dir", dir.toString(), "--json");
        String id = (String) created.data().get("cluster-id");
        if (!Files.exists(dir.resolve("customerCA.key"))) {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "customerCA.key", "-out", "customerCA.crt",
                    "-days", "30", "-subj", "/CN=customer CA");
        }
        openssl("x509", "-req", "-days", "3652", "-in", id + "_ClusterCsr.csr", "-CA", "customerCA.crt", "-CAkey", "customerCA.key",
                "-CAcreateserial", "-out", id + "_CustomerHsmCertificate.crt");
        ok("cluster", "initialize", "--slot", "" + slot, "--signed-cert", dir.resolve(id + "_CustomerHsmCertificate.crt").toString(),
                "--trust-anchor", dir.resolve("customerCA.crt").toString());
        ok("cluster", "activate", "--slot", "" + slot, "--password", adminPassword);
        return id;
    }
}

package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.cloudhsm.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** M of N for admin user management: approvals signed with openssl pkeyutl, and every way a token can be wrong. */
class QuorumCliTest {
    @TempDir
    Path dir;
    CliFixture cli;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliFixture(dir);
        cli.activeCluster(0, "Admin-pass1");
        cli.ok("user", "create", "--login=admin:Admin-pass1", "--login-role", "admin", "--username", "admin2", "--role", "admin",
                "--password", "Admin2-pass");
        register("admin", "Admin-pass1");
        register("admin2", "Admin2-pass");
        cli.ok("quorum", "token-sign", "set-quorum-value", "--login=admin:Admin-pass1", "--login-role", "admin",
                "--service", "user", "--value", "2");
    }

    private void register(String user, String password) throws Exception {
        cli.openssl("genrsa", "-out", user + ".key", "2048");
        cli.openssl("rsa", "-in", user + ".key", "-pubout", "-out", user + ".pub");
        Path token = token(user + ":" + password, "registration");
        approve(token, user, user + ".key");
        cli.ok("quorum", "token-sign", "register-key", "--login=" + user + ":" + password, "--login-role", "admin",
                "--public-key", dir.resolve(user + ".pub").toString(), "--signed-token", token.toString());
    }

    private Path token(String login, String service) throws Exception {
        Path t = Files.createTempFile(dir, service, ".token");
        cli.ok("quorum", "token-sign", "generate", "--login=" + login, "--login-role", "admin", "--service", service, "--token", t.toString());
        return t;
    }

    /** The approver signs the token's unsigned bytes with openssl pkeyutl, as the CloudHSM guide shows. */
    private void approve(Path token, String user, String keyFile) throws Exception {
        Map<String, Object> file = Json.readObject(Files.readString(token));
        String unsigned = (String) ((Map<?, ?>) ((List<?>) file.get("tokens")).get(0)).get("unsigned");
        Path raw = dir.resolve("token.raw");
        Files.write(raw, Base64.getDecoder().decode(unsigned));
        cli.openssl("pkeyutl", "-sign", "-in", raw.toString(), "-inkey", keyFile, "-pkeyopt", "digest:sha256", "-out", "token.sig");
        cli.ok("quorum", "token-sign", "add-approval", "--token", token.toString(), "--username", user, "--signature",
                dir.resolve("token.sig").toString());
    }

    private CliFixture.Result createCarol(Path approval, int status) {
        String[] args = {"user", "create", "--login=admin:Admin-pass1", "--login-role", "admin", "--username", "carol", "--role",
                "crypto-user", "--password", "carol-pass1"};
        if (approval != null) {
            args = CliTest.concat(args, new String[] {"--approval", approval.toString()});
        }
        return status == 0 ? cli.ok(args) : cli.fails(status, args);
    }

    @Test
    void userManagementNeedsTwoApprovals() throws Exception {
        assertTrue(createCarol(null, 7).err().contains("Quorum approval is required"));
        Path t = token("admin:Admin-pass1", "user");
        approve(t, "admin", "admin.key");
        assertTrue(createCarol(t, 7).err().contains("1 valid approvals"));
        approve(t, "admin2", "admin2.key");
        createCarol(t, 0);
        // Single use: the same approvals do not also delete carol.
        assertTrue(cli.fails(7, "user", "delete", "--login=admin:Admin-pass1", "--login-role", "admin", "--username", "carol",
                "--approval", t.toString()).err().contains("used"));
    }

    @Test
    void duplicateUnregisteredAndForgedApprovalsAreRefused() throws Exception {
        Path dup = token("admin:Admin-pass1", "user");
        approve(dup, "admin", "admin.key");
        approve(dup, "admin", "admin.key");
        assertTrue(createCarol(dup, 7).err().contains("twice"));

        Path unregistered = token("admin:Admin-pass1", "user");
        approve(unregistered, "admin", "admin.key");
        approve(unregistered, "admin3", "admin2.key");
        assertTrue(createCarol(unregistered, 7).err().contains("no registered quorum key"));

        Path forged = token("admin:Admin-pass1", "user");
        approve(forged, "admin", "admin.key");
        approve(forged, "admin2", "admin.key");
        assertTrue(createCarol(forged, 7).err().contains("does not verify"));
        assertTrue(cli.ok("audit", "show", "--opcode", "CN_CREATE_USER").out().contains("FUNCTION_REJECTED"));
    }
}

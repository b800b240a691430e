package io.jhsm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token's profile through the CLI (issue 17): a cluster is cloudhsm until the admin chooses with
 * {@code jhsm hsm set-profile}; {@code cluster info} shows the token's choice ("profile") and the one a process
 * with this configuration gets ("effective-profile"), where a JHSM_CONF {@code profile} line wins.
 */
class ProfileCommandTest {
    static final String ADMIN = "--login=admin:Admin-pass1";

    @TempDir
    Path dir;
    CliFixture cli;

    @BeforeEach
    void anActiveCluster() throws Exception {
        cli = new CliFixture(dir);
        cli.activeCluster(0, "Admin-pass1");
    }

    private Map<String, Object> info() {
        return cli.ok("cluster", "info", "--json").data();
    }

    @Test
    void aClusterWithoutAChoiceIsCloudHsm() {
        assertEquals("cloudhsm", info().get("profile"));
        assertEquals("cloudhsm", info().get("effective-profile"));
    }

    @Test
    void theAdminChoosesTheProfileAndClusterInfoShowsIt() {
        Map<String, Object> set = cli.ok("hsm", "set-profile", "pkcs11", ADMIN, "--login-role", "admin", "--json").data();
        assertEquals("pkcs11", set.get("profile"));
        assertEquals("pkcs11", set.get("effective-profile"));
        assertEquals("pkcs11", info().get("profile"));
        assertEquals("pkcs11", info().get("effective-profile"));
        cli.ok("hsm", "set-profile", "cloudhsm", ADMIN, "--login-role", "admin");
        assertEquals("cloudhsm", info().get("profile"));
    }

    @Test
    void onlyTheAdminSetsTheProfile() {
        cli.ok("user", "create", ADMIN, "--login-role", "admin", "--username", "alice", "--role", "crypto-user", "--password", "alice-pass1");
        cli.fails(3, "hsm", "set-profile", "pkcs11", "--login=alice:alice-pass1");
        assertEquals("cloudhsm", info().get("profile"), "a refused choice changes nothing");
    }

    @Test
    void anUnknownProfileIsAUsageError() {
        CliFixture.Result r = cli.fails(2, "hsm", "set-profile", "luna", ADMIN, "--login-role", "admin");
        assertTrue((r.out() + r.err()).contains("profile must be 'pkcs11' or 'cloudhsm'"), r.out() + r.err());
        assertEquals("cloudhsm", info().get("profile"));
    }

    @Test
    void aProfileLineInJhsmConfWinsOverTheTokensChoice() throws Exception {
        Path conf = Path.of(cli.env.get("JHSM_CONF"));
        Files.writeString(conf, Files.readString(conf) + "profile = pkcs11\n");
        assertEquals("cloudhsm", info().get("profile"), "the token's own choice (the cluster default)");
        assertEquals("pkcs11", info().get("effective-profile"), "this configuration's processes run pkcs11");
        Map<String, Object> set = cli.ok("hsm", "set-profile", "cloudhsm", ADMIN, "--login-role", "admin", "--json").data();
        assertEquals("cloudhsm", set.get("profile"));
        assertEquals("pkcs11", set.get("effective-profile"), "set-profile says the configuration still wins");
    }

    @Test
    void theChoiceIsAudited() {
        cli.ok("hsm", "set-profile", "pkcs11", ADMIN, "--login-role", "admin");
        String shown = cli.ok("audit", "show").out();
        assertTrue(shown.contains("CN_SET_PROFILE"), shown);
        cli.ok("audit", "verify");
    }
}

package io.jhsm.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh, isolated token of the module under test in its own temp directory. The module finds its storage
 * through a config file named in the child processes' environment (JHSM_CONF for jhsm, SOFTHSM2_CONF for
 * SoftHSM), so nothing here touches the user's real tokens. Tokens are addressed by label, never by slot
 * number: SoftHSM renumbers its slots when a token is initialised.
 */
public abstract class TokenFixture implements ConsumerToken {
    public static final String SO_PIN = "so12345678";
    public static final String USER_PIN = "user12345678";
    public static final String LABEL = "itest";

    protected final Path dir;
    protected final Path module;
    /** Extra {@code key = value} lines for jhsm's JHSM_CONF (e.g. legacy-algorithms = true); SoftHSM ignores them. */
    protected final List<String> jhsmConf = new ArrayList<>();

    protected TokenFixture(Path dir, Path module) {
        this.dir = dir;
        this.module = module;
    }

    /** A token that exists but is not initialised yet (slot 0 of a fresh store). */
    public static TokenFixture blank(Path dir, String... jhsmConfLines) {
        Path module = ModuleUnderTest.path();
        TokenFixture t = ModuleUnderTest.isSoftHsm() ? new SoftHsm(dir, module) : new Jhsm(dir, module);
        t.jhsmConf.addAll(List.of(jhsmConfLines));
        t.writeConfig();
        return t;
    }

    /** A token initialised with {@link #LABEL} and {@link #SO_PIN} whose user PIN is {@link #USER_PIN}. */
    public static TokenFixture initialised(Path dir, String... jhsmConfLines) {
        // Under "profile = cloudhsm" C_InitToken and C_InitPIN are refused, as CloudHSM's library refuses them:
        // the token is made first (its administrator's step), then the configuration gets every line.
        List<String> beforeProfile = Arrays.stream(jhsmConfLines).filter(l -> !l.strip().startsWith("profile")).toList();
        TokenFixture t = blank(dir, beforeProfile.toArray(String[]::new));
        t.initToken();
        t.initUserPin();
        if (beforeProfile.size() != jhsmConfLines.length) {
            t.jhsmConf.clear();
            t.jhsmConf.addAll(List.of(jhsmConfLines));
            t.writeConfig();
        }
        return t;
    }

    protected abstract void writeConfig();

    /** The environment variables that point the module at this token's storage. */
    public abstract Map<String, String> env();

    public Path dir() { return dir; }
    @Override public Path module() { return module; }
    @Override public Path file(String name) { return dir.resolve(name); }
    @Override public String label() { return LABEL; }
    @Override public String userPin() { return USER_PIN; }

    public void initToken() {
        pkcs11ToolAnySlot("--init-token", "--slot", "0", "--label", LABEL, "--so-pin", SO_PIN)
                .run().assertOk("pkcs11-tool --init-token");
    }

    public void initUserPin() {
        pkcs11Tool("--init-pin", "--login", "--so-pin", SO_PIN, "--pin", USER_PIN)
                .run().assertOk("pkcs11-tool --init-pin");
    }

    /** Any command, run in this token's directory with this token's environment. */
    @Override
    public Cmd cmd(String... argv) {
        return Cmd.of(argv).env(env()).in(dir);
    }

    /** pkcs11-tool on this module, not bound to a token. */
    public Cmd pkcs11ToolAnySlot(String... args) {
        List<String> argv = new ArrayList<>(List.of("pkcs11-tool", "--module", module.toString()));
        argv.addAll(List.of(args));
        return Cmd.of(argv).env(env()).in(dir);
    }

    /** pkcs11-tool on this token (selected by label), without login. */
    public Cmd pkcs11Tool(String... args) {
        return pkcs11ToolAnySlot("--token-label", LABEL).args(args);
    }

    /** pkcs11-tool on this token, logged in as the user. */
    @Override
    public Cmd asUser(String... args) {
        return pkcs11Tool("--login", "--pin", USER_PIN).args(args);
    }

    /** The slot id (as the module reports it) holding this token, read from {@code pkcs11-tool -L}. */
    public long slotId() {
        String out = pkcs11ToolAnySlot("--list-slots").run().assertOk("pkcs11-tool --list-slots").output();
        Matcher m = Pattern.compile("Slot \\d+ \\(0x([0-9a-fA-F]+)\\).*?\\n(?:\\s+.*\\n)*?\\s+token label\\s+: "
                + Pattern.quote(LABEL) + "\\s*\\n").matcher(out);
        if (!m.find()) throw new AssertionError("no slot with token label " + LABEL + " in:\n" + out);
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    /** RFC 7512 URI of a private key in this token, as libp11 and p11-kit take it. */
    public String privateKeyUri(String objectLabel) {
        return "pkcs11:token=" + LABEL + ";object=" + objectLabel + ";type=private?pin-value=" + USER_PIN;
    }

    protected void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** jhsm: JHSM_CONF names a properties file; tokens live in directory/slot-N/. */
    static final class Jhsm extends TokenFixture {
        Jhsm(Path dir, Path module) { super(dir, module); }

        @Override protected void writeConfig() {
            try {
                Files.createDirectories(dir.resolve("data"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            write(dir.resolve("jhsm.conf"), "directory = " + dir.resolve("data") + "\nslots = 1\n"
                    + String.join("", jhsmConf.stream().map(line -> line + "\n").toList()));
        }

        @Override public Map<String, String> env() {
            return Map.of("JHSM_CONF", dir.resolve("jhsm.conf").toString());
        }
    }

    /** SoftHSMv2: SOFTHSM2_CONF names a config whose token directory is ours. */
    static final class SoftHsm extends TokenFixture {
        SoftHsm(Path dir, Path module) { super(dir, module); }

        @Override protected void writeConfig() {
            try {
                Files.createDirectories(dir.resolve("tokens"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            write(dir.resolve("softhsm2.conf"), "directories.tokendir = " + dir.resolve("tokens")
                    + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        }

        @Override public Map<String, String> env() {
            return Map.of("SOFTHSM2_CONF", dir.resolve("softhsm2.conf").toString());
        }
    }
}

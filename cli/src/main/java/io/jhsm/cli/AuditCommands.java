package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.AuditLog;
import io.jhsm.engine.cloudhsm.AuditVerifier;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.Json;
import io.jhsm.engine.store.SqliteTokenStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The audit log is read straight from the token directory, as CloudHSM ships logs to CloudWatch: no login. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Show and verify the HSM audit log.",
        subcommands = {AuditCommands.Show.class, AuditCommands.Verify.class})
final class AuditCommands {

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print audit records.")
    static final class Show extends Common {
        @Option(names = "--tail", defaultValue = "0", description = "Only the last N records (0: all).")
        int tail;

        @Option(names = "--opcode", description = "Only records with this opcode, e.g. CN_LOGIN.")
        String opcode;

        @Override
        void execute() throws Exception {
            Path log = ctx().tokenDirectory(slot).resolve(AuditLog.FILE);
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            List<Object> records = new ArrayList<>();
            for (String line : lines.subList(tail > 0 ? Math.max(0, lines.size() - tail) : 0, lines.size())) {
                Map<String, Object> r = Json.readObject(line);
                if (opcode == null || opcode.equals(r.get("opcode"))) {
                    records.add(r);
                }
            }
            if (json) {
                ctx().print(true, records);
                return;
            }
            for (Object o : records) {
                Map<?, ?> r = (Map<?, ?>) o;
                ctx().out().printf("%6s %s boot=%s %-24s session=%-8s %-28s user=%-12s keys=%s %s%n", r.get("seq"), r.get("time"),
                        r.get("reboot_counter"), r.get("opcode"), r.get("session"), r.get("response"), r.get("user"),
                        Json.write(r.get("keys")), r.get("detail"));
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the hash chain; reports the first edited, removed or reordered record. Exit 8 when broken."
                    + " First copies in the record of any change committed to token.db whose writer ended before audit.log had it.")
    static final class Verify extends Common {
        @Override
        void execute() throws Exception {
            Path log = ctx().tokenDirectory(slot).resolve(AuditLog.FILE);
            if (Files.exists(ctx().tokenDirectory(slot).resolve(SqliteTokenStore.DATABASE_FILE))) {
                // Changes committed with their records whose writer ended before the file had them: copied in first.
                try (CloudHsm hsm = ctx().open(slot)) {
                    hsm.auditLog().sync();
                } catch (RuntimeException unopenable) {
                    // The file's own chain can still be checked; say what could not be added to it.
                    ctx().err().println("jhsm: warning: records committed in token.db could not be copied into " + log
                            + " (" + unopenable.getMessage() + "); checking the file as it is");
                }
            }
            AuditVerifier.Result r = AuditVerifier.verify(log);
            if (!r.ok()) {
                throw new HsmException(HsmException.Code.INTEGRITY, log + " line " + r.line() + ": " + r.problem());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("log", log.toString());
            m.put("records", r.records());
            m.put("chain", "intact");
            ctx().print(json, m);
        }
    }
}

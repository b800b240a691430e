package io.jhsm.engine.cloudhsm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an audit log's chain: each record's sequence number follows the previous one, its "prev"
 * is the previous record's hash, and its hash is right. The first break is reported with its line,
 * which tells edited (bad hash), removed (gap) and reordered (sequence out of order) records apart.
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    /** The outcome: how many records were checked, and the first problem (null when the chain is whole). */
    public record Result(long records, Integer line, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    public static Result verify(Path logFile) throws IOException {
        if (!Files.exists(logFile)) {
            return new Result(0, null, null);
        }
        List<String> lines = Files.readAllLines(logFile);
        String prev = AuditLog.GENESIS;
        long expected = 1;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            Map<String, Object> record;
            try {
                record = Json.readObject(lines.get(i));
            } catch (IllegalArgumentException e) {
                return new Result(i, lineNo, "not a record: " + e.getMessage());
            }
            Object seqValue = record.get("seq");
            long seq = seqValue instanceof Long l ? l : -1;
            if (seq != expected) {
                String why = seq > expected ? "records " + expected + ".." + (seq - 1) + " are missing (removed)"
                        : "sequence " + seq + " where " + expected + " was expected (reordered or duplicated)";
                return new Result(i, lineNo, why);
            }
            if (!prev.equals(record.get("prev"))) {
                return new Result(i, lineNo, "record " + seq + " does not follow the previous record (chain broken)");
            }
            Map<String, Object> body = new LinkedHashMap<>(record);
            Object hash = body.remove("hash");
            if (!AuditLog.hash(prev, body).equals(hash)) {
                return new Result(i, lineNo, "record " + seq + " was modified (hash mismatch)");
            }
            prev = (String) hash;
            expected++;
        }
        return new Result(lines.size(), null, null);
    }
}

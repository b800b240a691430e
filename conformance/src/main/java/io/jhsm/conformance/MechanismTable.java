package io.jhsm.conformance;

import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.Cryptoki;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The mechanism table of two modules side by side, as C_GetMechanismList and C_GetMechanismInfo
 * report them: the README's table is this output, never written by hand.
 */
public final class MechanismTable {
    private MechanismTable() {}

    private static final Map<Long, String> FUNCTIONS = new LinkedHashMap<>();

    static {
        FUNCTIONS.put(CKF.ENCRYPT, "enc");
        FUNCTIONS.put(CKF.DECRYPT, "dec");
        FUNCTIONS.put(CKF.DIGEST, "dig");
        FUNCTIONS.put(CKF.SIGN, "sig");
        FUNCTIONS.put(CKF.SIGN_RECOVER, "sigr");
        FUNCTIONS.put(CKF.VERIFY, "ver");
        FUNCTIONS.put(CKF.VERIFY_RECOVER, "verr");
        FUNCTIONS.put(CKF.GENERATE, "gen");
        FUNCTIONS.put(CKF.GENERATE_KEY_PAIR, "genpair");
        FUNCTIONS.put(CKF.WRAP, "wrap");
        FUNCTIONS.put(CKF.UNWRAP, "unwrap");
        FUNCTIONS.put(CKF.DERIVE, "derive");
        FUNCTIONS.put(CKF.ENCAPSULATE, "encaps");
        FUNCTIONS.put(CKF.DECAPSULATE, "decaps");
    }

    /** Markdown: one row per mechanism either module offers, with key sizes and functions, or "—". */
    public static String markdown(String leftName, Cryptoki left, long leftSlot, String rightName, Cryptoki right, long rightSlot) {
        return table(leftName, rightName, rows(left, leftSlot, right, rightSlot));
    }

    /**
     * Markdown of only the rows where the two differ (absent on one side, or other sizes or functions): how a
     * token configured otherwise (jhsm's legacy-algorithms = true) departs from the default one.
     */
    public static String differences(String leftName, Cryptoki left, long leftSlot, String rightName, Cryptoki right, long rightSlot) {
        Map<Long, CkMechanismInfo[]> rows = rows(left, leftSlot, right, rightSlot);
        rows.values().removeIf(infos -> Objects.equals(infos[0], infos[1]));
        return table(leftName, rightName, rows);
    }

    private static Map<Long, CkMechanismInfo[]> rows(Cryptoki left, long leftSlot, Cryptoki right, long rightSlot) {
        Map<Long, CkMechanismInfo[]> rows = new TreeMap<>();
        collect(rows, left, leftSlot, 0);
        collect(rows, right, rightSlot, 1);
        return rows;
    }

    private static String table(String leftName, String rightName, Map<Long, CkMechanismInfo[]> rows) {
        StringBuilder md = new StringBuilder();
        md.append("| Mechanism | ").append(leftName).append(" key sizes | ").append(leftName).append(" functions | ")
                .append(rightName).append(" key sizes | ").append(rightName).append(" functions |\n");
        md.append("|---|---|---|---|---|\n");
        rows.forEach((type, infos) -> md.append("| ").append(CKM.name(type)).append(" | ").append(cells(infos[0]))
                .append(" | ").append(cells(infos[1])).append(" |\n"));
        return md.toString();
    }

    private static void collect(Map<Long, CkMechanismInfo[]> rows, Cryptoki module, long slot, int column) {
        for (long type : module.C_GetMechanismList(slot)) {
            rows.computeIfAbsent(type, t -> new CkMechanismInfo[2])[column] = module.C_GetMechanismInfo(slot, type);
        }
    }

    private static String cells(CkMechanismInfo info) {
        if (info == null) {
            return "— | —";
        }
        StringBuilder f = new StringBuilder();
        FUNCTIONS.forEach((flag, name) -> {
            if ((info.flags() & flag) != 0) {
                f.append(f.length() == 0 ? "" : " ").append(name);
            }
        });
        String sizes = info.minKeySize() == 0 && info.maxKeySize() == 0 ? "" : info.minKeySize() + "–" + info.maxKeySize();
        return sizes + " | " + f;
    }
}

package io.jhsm.conformance.rules;

import io.jhsm.conformance.target.Target;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.quicktheories.QuickTheory;

/** What a rule runs with: the target, the seed and example budget, and small session helpers. */
public final class RuleContext {
    private final Target target;
    private final long seed;
    private final double scale;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> shared;
    private Set<Long> mechanisms;

    public RuleContext(Target target, long seed, double scale, Map<String, Object> shared) {
        this.target = target;
        this.seed = seed;
        this.scale = scale;
        this.shared = shared;
    }

    public Target target() { return target; }
    public Cryptoki p() { return target.cryptoki(); }
    public long slot() { return target.slot(); }
    public long seed() { return seed; }
    public double scale() { return scale; }
    public List<String> notes() { return notes; }

    public void note(String text) {
        notes.add(text);
    }

    /** The examples for a property whose default-run budget is {@code base}, times the run's scale. */
    public int examples(int base) {
        return Math.max(1, (int) Math.round(base * scale));
    }

    /** QuickTheories with this run's fixed seed, so a printed seed reproduces the failure. */
    public QuickTheory qt(int baseExamples) {
        return QuickTheory.qt().withFixedSeed(seed).withExamples(examples(baseExamples)).withShrinkCycles(200);
    }

    /** Values worth computing once per target (generated key pairs), shared by the rules. */
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, Supplier<T> create) {
        return (T) shared.computeIfAbsent(key, k -> create.get());
    }

    public boolean hasMechanism(long type) {
        if (mechanisms == null) {
            mechanisms = LongStream.of(p().C_GetMechanismList(slot())).boxed().collect(Collectors.toSet());
        }
        return mechanisms.contains(type);
    }

    public void requireMechanisms(long... types) {
        for (long t : types) {
            if (!hasMechanism(t)) {
                throw new Skip("the module does not offer " + CKM.name(t));
            }
        }
    }

    public boolean cryptoki30() {
        return p().C_GetInfo().cryptokiVersion().major() >= 3;
    }

    public long rwSession() {
        return p().C_OpenSession(slot(), CKF.SERIAL_SESSION | CKF.RW_SESSION);
    }

    /** A R/W session with the normal user logged in (the login is token-wide, so one may already exist). */
    public long userSession() {
        long s = rwSession();
        try {
            p().C_Login(s, CKU.USER, target.userPin());
        } catch (CkException e) {
            if (e.rv() != CKR.USER_ALREADY_LOGGED_IN) {
                throw e;
            }
        }
        return s;
    }

    /**
     * Runs one property example in its own logged-in session, closed afterwards, so an example that
     * fails half-way cannot leave an active operation to the next one. The rule's own session (kept
     * open by the caller) keeps the token-wide login alive.
     */
    public void inSession(SessionBody body) throws Exception {
        long s = userSession();
        try {
            body.run(s);
        } finally {
            try {
                p().C_CloseSession(s);
            } catch (CkException e) {
                // The example itself may have closed it.
            }
        }
    }

    @FunctionalInterface
    public interface SessionBody {
        void run(long session) throws Exception;
    }

    /** Back to no sessions and nobody logged in, whatever the rule left behind. */
    public void reset() {
        try {
            p().C_CloseAllSessions(slot());
        } catch (CkException e) {
            // A rule that finalised the module leaves nothing to close.
        }
    }
}

package io.jhsm.conformance;

import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.suites.crypto.CipherRules;
import io.jhsm.conformance.suites.crypto.DigestMacRules;
import io.jhsm.conformance.suites.crypto.SavedStateRules;
import io.jhsm.conformance.suites.crypto.SignatureRules;
import io.jhsm.conformance.suites.abi.AbiRules;
import io.jhsm.conformance.suites.attacks.AttackRules;
import io.jhsm.conformance.suites.concurrency.ConcurrencyRules;
import io.jhsm.conformance.suites.lifecycle.LifecycleRules;
import io.jhsm.conformance.suites.policy.PolicyRules;
import io.jhsm.conformance.suites.state.StateRules;
import java.util.ArrayList;
import java.util.List;

/** Every rule of the suite, in report order. */
public final class Catalog {
    private Catalog() {}

    /** Every rule; the concurrency rules run in a child process for shared objects (see {@link ChildProcessRule}). */
    public static List<Rule> all() {
        return plain().stream().map(r -> r.suite().equals(ConcurrencyRules.SUITE) ? ChildProcessRule.of(r) : r).toList();
    }

    /** Every rule as it runs inside the calling process. */
    static List<Rule> plain() {
        List<Rule> rules = new ArrayList<>();
        rules.addAll(StateRules.rules());
        rules.addAll(SignatureRules.rules());
        rules.addAll(CipherRules.rules());
        rules.addAll(DigestMacRules.rules());
        rules.addAll(SavedStateRules.rules());
        rules.addAll(LifecycleRules.rules());
        rules.addAll(PolicyRules.rules());
        rules.addAll(AttackRules.rules());
        rules.addAll(AbiRules.rules());
        rules.addAll(ConcurrencyRules.rules());
        return rules;
    }
}

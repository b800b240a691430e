package io.jhsm.conformance.rules;

/** The module lacks what the rule needs (a mechanism, a function, the C ABI): the rule is skipped, not passed. */
public final class Skip extends RuntimeException {
    public Skip(String reason) {
        super(reason, null, false, false);
    }
}

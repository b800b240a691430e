package io.jhsm.conformance.rules;

/**
 * One rule of the PKCS#11 base specification (or of key-management hygiene) checked as a property.
 * {@code id} is stable: the SoftHSM known-failures list and reports refer to it. {@code category} says
 * whether a failure violates the specification or only shows that a key can be extracted by a
 * sequence the specification allows (counted as a failure only under {@code --strict}).
 */
public record Rule(String id, String suite, String spec, String statement, Category category, Check check) {

    /** What a failure of the rule means. */
    public enum Category {
        /** The specification requires the property: a failure is a spec violation. */
        SPEC,
        /** Tookan/Caml Crush-style extraction the base specification permits: resistance is a policy choice. */
        EXTRACTION_RESISTANCE
    }

    /** A rule the specification requires. */
    public Rule(String id, String suite, String spec, String statement, Check check) {
        this(id, suite, spec, statement, Category.SPEC, check);
    }

    public boolean isSpec() {
        return category == Category.SPEC;
    }

    @FunctionalInterface
    public interface Check {
        void run(RuleContext ctx) throws Exception;
    }
}

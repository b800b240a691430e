package io.jhsm.conformance.rules;

/**
 * One rule of the PKCS#11 base specification (or of key-management hygiene) checked as a property.
 * {@code id} is stable: the SoftHSM known-failures list and reports refer to it.
 */
public record Rule(String id, String suite, String spec, String statement, Check check) {

    @FunctionalInterface
    public interface Check {
        void run(RuleContext ctx) throws Exception;
    }
}

package io.jhsm.conformance.profile;

import io.jhsm.conformance.rules.Rule;

/**
 * A rule whose outcome the profile's vendor documents differently from the PKCS#11 specification. Under that
 * profile the runner runs {@code probe} instead of the rule: the probe asserts exactly what the vendor documents
 * (e.g. CKR_FUNCTION_NOT_SUPPORTED from C_SetAttributeValue), so the rule counts as an expected deviation only
 * when the module answers that, and as a failure otherwise.
 *
 * @param ruleId    the rule it replaces (a {@code Catalog} id)
 * @param behaviour what the vendor's library does instead, in one sentence
 * @param page      where the vendor documents it
 * @param pending   empty when the module implements it on this branch; otherwise who implements it, so the
 *                  integrator knows which entries to check once that work is merged
 */
public record Deviation(String ruleId, String behaviour, String page, String pending, Rule.Check probe) {

    /** The line the report and the console show: behaviour and page. */
    public String describe() {
        return behaviour + " (" + page + ")";
    }
}

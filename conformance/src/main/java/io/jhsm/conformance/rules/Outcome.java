package io.jhsm.conformance.rules;

import java.util.List;

/** What running one rule gave: the status, the counterexample or skip reason, and notes worth reporting. */
public record Outcome(Rule rule, Status status, String detail, List<String> notes, long millis) {
    public enum Status { PASSED, FAILED, SKIPPED }
}

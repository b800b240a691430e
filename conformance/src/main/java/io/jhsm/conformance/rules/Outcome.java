package io.jhsm.conformance.rules;

import java.util.List;

/** What running one rule gave: the status, the counterexample or skip reason, and notes worth reporting. */
public record Outcome(Rule rule, Status status, String detail, List<String> notes, long millis) {
    /**
     * DEVIATION: the run's profile documents another outcome for the rule and the module gave exactly that
     * (an expected deviation, never a failure; the detail says what and where it is documented).
     */
    public enum Status { PASSED, FAILED, SKIPPED, DEVIATION }
}

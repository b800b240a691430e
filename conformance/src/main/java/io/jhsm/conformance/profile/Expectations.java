package io.jhsm.conformance.profile;

import io.jhsm.engine.profile.TokenProfile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the run expects of the module: the PKCS#11 specification ({@code --profile pkcs11}), or the specification
 * except the known deviations of a vendor profile ({@code --profile cloudhsm}: {@link CloudHsmDeviations}).
 */
public final class Expectations {
    /** The specification to the letter: no rule deviates. */
    public static final Expectations PKCS11 = new Expectations(TokenProfile.PKCS11, Map.of());

    private final TokenProfile profile;
    private final Map<String, Deviation> deviations;

    private Expectations(TokenProfile profile, Map<String, Deviation> deviations) {
        this.profile = profile;
        this.deviations = deviations;
    }

    public static Expectations of(TokenProfile profile) {
        return profile == TokenProfile.CLOUDHSM ? of(profile, CloudHsmDeviations.all()) : PKCS11;
    }

    /** {@code profile} with these deviations (one per rule). */
    public static Expectations of(TokenProfile profile, List<Deviation> deviations) {
        return new Expectations(profile, deviations.stream().collect(Collectors.toUnmodifiableMap(Deviation::ruleId, Function.identity())));
    }

    public TokenProfile profile() {
        return profile;
    }

    /** The deviation the profile documents for this rule, if any. */
    public Optional<Deviation> deviation(String ruleId) {
        return Optional.ofNullable(deviations.get(ruleId));
    }
}

package io.jhsm.pkcs11;

/** CK_MECHANISM: a mechanism type and its decoded parameter, or null when it takes none. */
public record Mechanism(long type, MechanismParams params) {

    public static Mechanism of(long type) {
        return new Mechanism(type, null);
    }

    public static Mechanism of(long type, MechanismParams params) {
        return new Mechanism(type, params);
    }

    /** The parameter as the expected type, or CKR_MECHANISM_PARAM_INVALID. */
    public <T extends MechanismParams> T params(Class<T> expected) {
        if (!expected.isInstance(params)) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID,
                    CKM.name(type) + " needs " + expected.getSimpleName() + (params == null ? ", got none" : ", got " + params.getClass().getSimpleName()));
        }
        return expected.cast(params);
    }

    @Override
    public String toString() {
        return CKM.name(type) + (params == null ? "" : "(" + params + ")");
    }
}

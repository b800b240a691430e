package io.jhsm.pkcs11;

/** CK_VERSION. */
public record CkVersion(int major, int minor) {
    @Override
    public String toString() {
        return major + "." + minor;
    }
}

package io.jhsm.bridge;

/** The version of this build, from the jar manifest (the shaded jar sets Implementation-Version). */
public final class Version {
    private Version() {}

    public static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    public static void main(String[] args) {
        System.out.println("jhsm " + version() + " (Java " + Runtime.version() + ")");
    }
}

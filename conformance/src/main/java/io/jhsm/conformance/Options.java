package io.jhsm.conformance;

import io.jhsm.engine.profile.TokenProfile;

/** The runner's command line. */
record Options(String module, String pin, String soPin, Long slot, String initLabel, String report, double scale,
               long seed, String only, boolean strict, TokenProfile profile) {

    static Options parse(String[] args) {
        String module = null, pin = null, soPin = null, initLabel = null, report = null, only = null;
        Long slot = null;
        double scale = 1;
        long seed = System.currentTimeMillis();
        boolean strict = false;
        TokenProfile profile = TokenProfile.PKCS11;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--strict")) {
                strict = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--module" -> module = v;
                case "--pin" -> pin = v;
                case "--so-pin" -> soPin = v;
                case "--slot" -> slot = Long.parseLong(v);
                case "--init-token" -> initLabel = v;
                case "--report" -> report = v;
                case "--examples" -> scale = Double.parseDouble(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--only" -> only = v;
                case "--profile" -> profile = TokenProfile.parse(v, "--profile");
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (module == null || pin == null) {
            throw new IllegalArgumentException("--module and --pin are required");
        }
        if (initLabel != null && profile == TokenProfile.CLOUDHSM) {
            // CloudHSM's library has no C_InitToken/C_InitPIN: a cluster is set up by its CLI, never by an application.
            throw new IllegalArgumentException("--init-token cannot be used with --profile cloudhsm (CloudHSM's PKCS#11 library "
                    + "offers no C_InitToken): initialise the token first (jhsm cluster initialize, or a pkcs11-profile "
                    + "C_InitToken) and give its user PIN");
        }
        return new Options(module, pin, soPin, slot, initLabel, report, scale, seed, only, strict, profile);
    }
}

package io.jhsm.cli;

import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Mechanism;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * key generate-symmetric / generate-asymmetric-pair. Keys are token keys; the generating crypto user
 * owns them. --share-crypto-users shares right away; the quorum values are set last, since a key's
 * quorum value can be at most the number of users it is associated with.
 */
final class KeyGenerate {
    private KeyGenerate() {}

    abstract static class Generate extends KeyCommands.KeyCommand {
        @Option(names = "--label", required = true)
        String label;

        @Option(names = "--attributes", split = ",", description = "NAME=VALUE, e.g. sign=true,extractable=false")
        List<String> attributes = new ArrayList<>();

        @Option(names = "--share-crypto-users", split = ",", description = "Crypto users to share the key with.")
        List<String> share = new ArrayList<>();

        @Option(names = "--manage-key-quorum-value", defaultValue = "0", description = "M for wrap/unwrap/share/unshare/set-attribute (0 or 1: off).")
        long manageQuorum;

        @Option(names = "--use-key-quorum-value", defaultValue = "0", description = "M for signing (0 or 1: off).")
        long useQuorum;

        List<Attribute> template(Attribute... base) {
            List<Attribute> t = new ArrayList<>(List.of(base));
            t.add(Attribute.of(CKA.TOKEN, true));
            t.add(Attribute.of(CKA.LABEL, label));
            for (String a : attributes) {
                int eq = a.indexOf('=');
                t.add(KeyAttributes.parse(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "true" : a.substring(eq + 1)));
            }
            return t;
        }

        /** Shares, then sets the quorum values, on the private or secret key. */
        void finish(KeySession k, long handle) {
            if (!share.isEmpty()) {
                k.engine.C_SetAttributeValue(k.session, handle, List.of(Attribute.of(JhsmAttributes.SHARED_WITH,
                        io.jhsm.engine.cloudhsm.KeyPolicy.encode(new java.util.LinkedHashSet<>(share)))));
            }
            List<Attribute> q = new ArrayList<>();
            if (manageQuorum > 1) {
                q.add(Attribute.of(JhsmAttributes.MANAGE_QUORUM, manageQuorum));
            }
            if (useQuorum > 1) {
                q.add(Attribute.of(JhsmAttributes.USE_QUORUM, useQuorum));
            }
            if (!q.isEmpty()) {
                k.engine.C_SetAttributeValue(k.session, handle, q);
            }
        }
    }

    @Command(name = "generate-symmetric", mixinStandardHelpOptions = true, description = "Generate an AES or generic-secret key.")
    static final class Symmetric extends Generate {
        @Parameters(index = "0", description = "aes or generic-secret")
        String type;

        @Option(names = "--key-length-bytes", defaultValue = "32")
        long length;

        @Override
        void execute() {
            boolean aes = type.equals("aes");
            if (!aes && !type.equals("generic-secret")) {
                throw new io.jhsm.engine.cloudhsm.HsmException(io.jhsm.engine.cloudhsm.HsmException.Code.BAD_INPUT,
                        "symmetric key types: aes, generic-secret");
            }
            try (KeySession k = session()) {
                List<Attribute> t = template(Attribute.of(CKA.VALUE_LEN, length));
                if (!aes) {
                    t.add(Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET));
                }
                long h = k.engine.C_GenerateKey(k.session, Mechanism.of(aes ? CKM.AES_KEY_GEN : CKM.GENERIC_SECRET_KEY_GEN), t);
                finish(k, h);
                ctx().print(json, Map.of("key", KeyAttributes.describe(h, k.engine.C_GetAttributeValue(k.session, h, KeyAttributes.SHOWN))));
            }
        }
    }

    @Command(name = "generate-asymmetric-pair", mixinStandardHelpOptions = true, description = "Generate an RSA or EC key pair.")
    static final class AsymmetricPair extends Generate {
        @Parameters(index = "0", description = "rsa or ec")
        String type;

        @Option(names = "--modulus-size-bits", defaultValue = "2048")
        long bits;

        @Option(names = "--curve", defaultValue = "secp256r1", description = "secp256r1 (prime256v1), secp384r1, secp521r1")
        String curve;

        @Override
        void execute() {
            try (KeySession k = session()) {
                List<Attribute> pub = new ArrayList<>(List.of(Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.LABEL, label)));
                List<Attribute> priv = template();
                Mechanism m;
                if (type.equals("rsa")) {
                    m = Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN);
                    pub.add(Attribute.of(CKA.MODULUS_BITS, bits));
                    pub.add(Attribute.of(CKA.PUBLIC_EXPONENT, BigInteger.valueOf(65537).toByteArray()));
                } else if (type.equals("ec")) {
                    m = Mechanism.of(CKM.EC_KEY_PAIR_GEN);
                    pub.add(Attribute.of(CKA.EC_PARAMS, curveOid(curve)));
                } else {
                    throw new io.jhsm.engine.cloudhsm.HsmException(io.jhsm.engine.cloudhsm.HsmException.Code.BAD_INPUT,
                            "asymmetric key types: rsa, ec");
                }
                long[] pair = k.engine.C_GenerateKeyPair(k.session, m, pub, priv);
                finish(k, pair[1]);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("public_key", KeyAttributes.describe(pair[0], k.engine.C_GetAttributeValue(k.session, pair[0], KeyAttributes.SHOWN)));
                out.put("private_key", KeyAttributes.describe(pair[1], k.engine.C_GetAttributeValue(k.session, pair[1], KeyAttributes.SHOWN)));
                ctx().print(json, out);
            }
        }

        private static byte[] curveOid(String name) {
            String hex = switch (name) {
                case "secp256r1", "prime256v1" -> "06082a8648ce3d030107";
                case "secp384r1" -> "06052b81040022";
                case "secp521r1" -> "06052b81040023";
                default -> throw new io.jhsm.engine.cloudhsm.HsmException(io.jhsm.engine.cloudhsm.HsmException.Code.BAD_INPUT,
                        "curves: secp256r1, secp384r1, secp521r1");
            };
            return HexFormat.of().parseHex(hex);
        }
    }
}

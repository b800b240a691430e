package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.Quorum;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKZ;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * key wrap / key unwrap, named like CloudHSM CLI's mechanisms. They run through C_WrapKey and
 * C_UnwrapKey, so ownership, quorum, audit and jhsm's wrap policy apply exactly as for any application.
 */
final class KeyWrapCommands {
    private KeyWrapCommands() {}

    /** CloudHSM CLI mechanism names: aes (RFC 5649), aes-no-pad (RFC 3394), aes-pkcs5-pad, rsa-oaep (SHA-256), rsa-pkcs. */
    static Mechanism mechanism(String name) {
        return switch (name) {
            case "aes" -> Mechanism.of(CKM.AES_KEY_WRAP_KWP);
            case "aes-no-pad" -> Mechanism.of(CKM.AES_KEY_WRAP);
            case "aes-pkcs5-pad" -> Mechanism.of(CKM.AES_KEY_WRAP_PKCS7);
            case "rsa-oaep" -> Mechanism.of(CKM.RSA_PKCS_OAEP,
                    new MechanismParams.Oaep(CKM.SHA256, CKG.MGF1_SHA256, CKZ.DATA_SPECIFIED, new byte[0]));
            case "rsa-pkcs" -> Mechanism.of(CKM.RSA_PKCS);
            default -> throw new HsmException(HsmException.Code.BAD_INPUT,
                    "wrap mechanisms: aes, aes-no-pad, aes-pkcs5-pad, rsa-oaep, rsa-pkcs");
        };
    }

    @Command(name = "wrap", mixinStandardHelpOptions = true,
            description = "Export a key you own, encrypted under a wrapping key, to a file.")
    static final class Wrap extends KeyCommands.OneKey {
        @Option(names = "--wrapping-key", required = true, description = "key-reference (handle) or attr.label=LABEL")
        String wrappingKey;

        @Option(names = "--mechanism", required = true, description = "aes, aes-no-pad, aes-pkcs5-pad, rsa-oaep, rsa-pkcs")
        String mechanism;

        @Option(names = "--path", required = true, description = "File to write the wrapped key to.")
        Path path;

        @Override
        void execute() {
            Mechanism m = mechanism(mechanism);
            try (KeySession k = session()) {
                long h = handle(k);
                long w = KeyFinder.one(k, wrappingKey);
                approve(Quorum.SERVICE_KEY_MANAGEMENT, h, approval);
                byte[] blob = new byte[k.engine.C_WrapKey(k.session, m, w, h, null)];
                int n = k.engine.C_WrapKey(k.session, m, w, h, blob);
                write(path, java.util.Arrays.copyOf(blob, n));
                ctx().print(json, Map.of("key-reference", h, "wrapping-key-reference", w, "path", path.toString(), "bytes", n));
            }
        }
    }

    @Command(name = "unwrap", mixinStandardHelpOptions = true,
            description = "Import a wrapped key from a file as a new token key you own.")
    static final class Unwrap extends KeyCommands.KeyCommand {
        @Option(names = "--unwrapping-key", required = true, description = "key-reference (handle) or attr.label=LABEL")
        String unwrappingKey;

        @Option(names = "--mechanism", required = true, description = "aes, aes-no-pad, aes-pkcs5-pad, rsa-oaep, rsa-pkcs")
        String mechanism;

        @Option(names = "--path", required = true, description = "File holding the wrapped key.")
        Path path;

        @Option(names = "--key-type-class", required = true, description = "aes, generic-secret, rsa-private or ec-private")
        String keyType;

        @Option(names = "--label", required = true)
        String label;

        @Option(names = "--attributes", split = ",", description = "NAME=VALUE,… e.g. sign=true,extractable=false")
        List<String> attributes = new ArrayList<>();

        @Override
        void execute() {
            Mechanism m = mechanism(mechanism);
            List<Attribute> t = new ArrayList<>(type(keyType));
            t.add(Attribute.of(CKA.TOKEN, true));
            t.add(Attribute.of(CKA.LABEL, label));
            for (String a : attributes) {
                String[] nv = a.split("=", 2);
                if (nv.length != 2) {
                    throw new HsmException(HsmException.Code.BAD_INPUT, "attributes are NAME=VALUE: " + a);
                }
                t.add(KeyAttributes.parse(nv[0], nv[1]));
            }
            try (KeySession k = session()) {
                long u = KeyFinder.one(k, unwrappingKey);
                long h = k.engine.C_UnwrapKey(k.session, m, u, read(path), t);
                ctx().print(json, Map.of("key", KeyAttributes.describe(h, k.engine.C_GetAttributeValue(k.session, h, KeyAttributes.SHOWN))));
            }
        }
    }

    private static List<Attribute> type(String keyType) {
        return switch (keyType) {
            case "aes" -> List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES));
            case "generic-secret" -> List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET));
            case "rsa-private" -> List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY), Attribute.of(CKA.KEY_TYPE, CKK.RSA));
            case "ec-private" -> List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY), Attribute.of(CKA.KEY_TYPE, CKK.EC));
            default -> throw new HsmException(HsmException.Code.BAD_INPUT, "key types: aes, generic-secret, rsa-private, ec-private");
        };
    }

    private static void write(Path path, byte[] bytes) {
        try {
            Files.write(path, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new HsmException(HsmException.Code.BAD_INPUT, "cannot read " + path + ": " + e.getMessage());
        }
    }
}

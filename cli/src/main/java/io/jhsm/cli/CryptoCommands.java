package io.jhsm.cli;

import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.cloudhsm.Quorum;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Mechanism;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "crypto", mixinStandardHelpOptions = true, description = "Use keys.", subcommands = CryptoCommands.Sign.class)
final class CryptoCommands {

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign data with a key you own or that is shared with you (key-usage quorum: --approval).")
    static final class Sign extends KeyCommands.OneKey {
        @Option(names = "--mechanism", required = true, description = "sha256-hmac, ecdsa-sha256, sha256-rsa-pkcs")
        String mechanism;

        @Option(names = "--data-path", required = true)
        Path data;

        @Override
        void execute() throws Exception {
            long ckm = switch (mechanism) {
                case "sha256-hmac" -> CKM.SHA256_HMAC;
                case "ecdsa-sha256" -> CKM.ECDSA_SHA256;
                case "sha256-rsa-pkcs" -> CKM.SHA256_RSA_PKCS;
                default -> throw new HsmException(HsmException.Code.BAD_INPUT, "mechanisms: sha256-hmac, ecdsa-sha256, sha256-rsa-pkcs");
            };
            byte[] in = Files.readAllBytes(data);
            try (KeySession k = session()) {
                long h = handle(k);
                approve(Quorum.SERVICE_KEY_USAGE, h, approval);
                k.engine.C_SignInit(k.session, Mechanism.of(ckm), h);
                byte[] sig = new byte[1024];
                int n = k.engine.C_Sign(k.session, in, sig);
                ctx().print(json, Map.of("key-reference", h, "signature", Base64.getEncoder().encodeToString(Arrays.copyOf(sig, n))));
            }
        }
    }
}

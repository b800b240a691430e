package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.engine.token.KeyPolicySetting;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a token's key policy is chosen: JHSM_CONF's {@code key-policy} for every token of the configuration,
 * the token's own persistent choice, the stricter of the two when both are set; C_GetTokenInfo's model shows it.
 */
class KeyPolicyChoiceTest {
    @TempDir
    Path dir;

    /** Whether a default-template AES key (it may decrypt) can wrap: the quickest tell of the policy in force. */
    private static boolean defaultAesKeyWraps(EngineFixture f) {
        long s = f.userSession();
        long w = f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L)));
        long k = f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 16L),
                Attribute.of(CKA.EXTRACTABLE, true)));
        try {
            f.engine.C_WrapKey(s, Mechanism.of(CKM.AES_KEY_WRAP), w, k, null);
            return true;
        } catch (io.jhsm.pkcs11.CkException refused) {
            assertEquals(CKR.KEY_FUNCTION_NOT_PERMITTED, refused.rv());
            return false;
        }
    }

    @Test
    void aTokenFollowsTheDefaultPolicyUnlessAskedOtherwise() {
        EngineFixture f = new EngineFixture(dir).initialised();
        assertEquals("jhsm", f.engine.C_GetTokenInfo(0).model());
        assertTrue(defaultAesKeyWraps(f));
    }

    @Test
    void keyPolicyStrictInTheConfigurationMakesEveryTokenStrict() throws Exception {
        Path conf = dir.resolve("jhsm.conf");
        Files.writeString(conf, "directory = tokens\nslots = 2\nkey-policy = strict   # Tookan defences\n");
        Config config = Config.fromEnvironment(Map.of(Config.ENV, conf.toString()));
        assertEquals(KeyPolicyMode.STRICT, config.keyPolicy());
        EngineFixture f = new EngineFixture(config.directory(), config.keyPolicy()).initialised();
        assertEquals("jhsm strict", f.engine.C_GetTokenInfo(0).model());
        assertEquals(false, defaultAesKeyWraps(f));
    }

    @Test
    void aMistypedKeyPolicyNamesTheFileAndTheChoices() throws Exception {
        Path conf = dir.resolve("jhsm.conf");
        Files.writeString(conf, "key-policy = paranoid\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Config.fromEnvironment(Map.of(Config.ENV, conf.toString())));
        assertTrue(e.getMessage().contains(conf.toString()) && e.getMessage().contains("'default' or 'strict'"), e.getMessage());
    }

    @Test
    void aTokensOwnStrictChoicePersistsAndWinsOverADefaultConfiguration() {
        KeyPolicySetting.write(dir.resolve("slot-0"), KeyPolicyMode.STRICT);
        EngineFixture f = new EngineFixture(dir, KeyPolicyMode.DEFAULT).initialised();
        assertEquals("jhsm strict", f.engine.C_GetTokenInfo(0).model());
        assertEquals(false, defaultAesKeyWraps(f));
        assertEquals(KeyPolicyMode.STRICT, KeyPolicySetting.read(dir.resolve("slot-0")));
    }

    @Test
    void aTokensDefaultChoiceDoesNotLoosenAStrictConfiguration() {
        KeyPolicySetting.write(dir.resolve("slot-0"), KeyPolicyMode.DEFAULT);
        EngineFixture f = new EngineFixture(dir, KeyPolicyMode.STRICT).initialised();
        assertEquals("jhsm strict", f.engine.C_GetTokenInfo(0).model());
        long s = f.userSession();
        long w = f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.DECRYPT, false)));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, w, List.of(Attribute.of(CKA.DECRYPT, true))));
    }
}

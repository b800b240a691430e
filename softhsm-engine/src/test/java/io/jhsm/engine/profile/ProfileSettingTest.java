package io.jhsm.engine.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.engine.Engine;
import io.jhsm.engine.cloudhsm.ClusterState;
import io.jhsm.engine.config.Config;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which profile a token has: its own choice, else its kind's default; a configuration's profile line wins. */
class ProfileSettingTest {
    @TempDir
    Path dir;

    @Test
    void aPlainTokenIsPkcs11UntilItChoosesCloudHsm() {
        assertEquals(TokenProfile.PKCS11, ProfileSetting.read(dir));
        ProfileSetting.write(dir, TokenProfile.CLOUDHSM);
        assertEquals(TokenProfile.CLOUDHSM, ProfileSetting.read(dir));
    }

    @Test
    void aClusterIsCloudHsmUntilItChoosesPkcs11() {
        ClusterState.set(dir, ClusterState.UNINITIALIZED);
        assertEquals(TokenProfile.CLOUDHSM, ProfileSetting.read(dir));
        ProfileSetting.write(dir, TokenProfile.PKCS11);
        assertEquals(TokenProfile.PKCS11, ProfileSetting.read(dir));
    }

    @Test
    void theConfigurationsProfileWinsOverTheTokensOwn() {
        ClusterState.set(dir, ClusterState.UNINITIALIZED);
        assertEquals(TokenProfile.PKCS11, ProfileSetting.effective(Optional.of(TokenProfile.PKCS11), dir));
        assertEquals(TokenProfile.CLOUDHSM, ProfileSetting.effective(Optional.empty(), dir));
    }

    @Test
    void aProfileFileThatIsNotAProfileNamesItself() throws Exception {
        Files.writeString(dir.resolve(ProfileSetting.FILE), "aws\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProfileSetting.read(dir));
        assertEquals(dir.resolve(ProfileSetting.FILE) + ": profile must be 'pkcs11' or 'cloudhsm', not 'aws\n'", e.getMessage());
    }

    @Test
    void tokenInfoNamesTheCloudHsmProfileInItsModel() {
        Engine engine = new Engine(new Config(dir, 1).withProfile(TokenProfile.CLOUDHSM));
        engine.C_Initialize(InitializeArgs.NONE);
        try {
            assertEquals("jhsm cloudhsm", engine.C_GetTokenInfo(0).model());
        } finally {
            engine.C_Finalize();
        }
        Engine plain = new Engine(new Config(dir, 1));
        plain.C_Initialize(InitializeArgs.NONE);
        try {
            assertEquals("jhsm", plain.C_GetTokenInfo(0).model());
        } finally {
            plain.C_Finalize();
        }
    }
}

package io.jhsm.engine.cloudhsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jhsm.engine.store.StoreImage;
import io.jhsm.engine.store.TokenRecord;
import io.jhsm.engine.store.UserRecord;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKU;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A replication snapshot is a backup with a trailer: readers of plain backups read it, and it keeps ids. */
class BackupContentsTest {

    private static StoreImage image() {
        TreeMap<Long, List<Attribute>> objects = new TreeMap<>();
        objects.put(3L, List.of(Attribute.of(CKA.LABEL, "three")));
        objects.put(9L, List.of(Attribute.of(CKA.LABEL, "nine")));
        return new StoreImage(Optional.of(new TokenRecord("label", "0001")),
                List.of(new UserRecord("admin", CKU.SO, new byte[] {1, 2, 3}, 2, false)), objects, 12, 40);
    }

    private static Properties settings() {
        Properties p = new Properties();
        p.setProperty("cluster.state", "ACTIVE");
        return p;
    }

    @Test
    void aSnapshotIsABackupFollowedByItsPlacement() {
        StoreImage image = image();
        BackupContents snapshot = BackupContents.snapshot(image, settings(), Map.of("key-policy", "strict\n"));
        byte[] asBackup = new BackupContents(image.token().orElseThrow(), image.users(),
                List.copyOf(image.objects().values()), settings()).encode();
        byte[] encoded = snapshot.encode();
        assertArrayEquals(asBackup, Arrays.copyOf(encoded, asBackup.length),
                "the bytes a plain backup reader reads are those of a backup of the same state");
        assertNull(BackupContents.decode(asBackup).placement(), "a plain backup has no placement");
    }

    @Test
    void aSnapshotKeepsIdsNextIdAndAppliedIndex() {
        BackupContents back = BackupContents.decode(BackupContents.snapshot(image(), settings(),
                Map.of("key-policy", "strict\n")).encode());
        StoreImage restored = back.image();
        assertEquals(image().objects(), restored.objects());
        assertEquals(12, restored.nextObjectId());
        assertEquals(40, restored.appliedIndex());
        assertEquals(image().token(), restored.token());
        assertEquals(Map.of("key-policy", "strict\n"), back.placement().files());
    }

    @Test
    void anUninitialisedTokenStaysUninitialised() {
        StoreImage empty = new StoreImage(Optional.empty(), List.of(), new TreeMap<>(), 1, 5);
        assertEquals(Optional.empty(), BackupContents.decode(BackupContents.snapshot(empty, new Properties(), Map.of()).encode())
                .image().token());
    }
}

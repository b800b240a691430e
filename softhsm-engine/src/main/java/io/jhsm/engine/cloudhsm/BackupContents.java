package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.store.AttributeCodec;
import io.jhsm.engine.store.StoreImage;
import io.jhsm.engine.store.TokenRecord;
import io.jhsm.engine.store.UserRecord;
import io.jhsm.pkcs11.Attribute;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a backup holds, in clear before encryption: the token record, every user (with its PIN
 * verifier, never a password), every token object's attributes, and the CloudHSM settings (cluster,
 * quorum values and keys; open quorum tokens are left out, they die with the HSM).
 *
 * <p>A replication snapshot adds a {@link Placement} after the settings: the objects' ids, the next id,
 * the applied log index and the other settings files. Readers that predate it stop after the settings,
 * so a snapshot still reads as a backup, and a backup reads here with no placement.
 */
record BackupContents(TokenRecord token, List<UserRecord> users, List<List<Attribute>> objects, Properties settings,
        Placement placement) {

    /** Marks the placement trailer ("JHP1"). */
    private static final int PLACEMENT = 0x4A485031;

    /** Where a snapshot's state sits: ids (one per object, in order), next object id, applied index, settings files by path. */
    record Placement(List<Long> ids, long nextObjectId, long appliedIndex, boolean initialized, Map<String, String> files) {}

    BackupContents(TokenRecord token, List<UserRecord> users, List<List<Attribute>> objects, Properties settings) {
        this(token, users, objects, settings, null);
    }

    /** A replication snapshot of a store image, the settings and the other settings files. */
    static BackupContents snapshot(StoreImage image, Properties settings, Map<String, String> files) {
        return new BackupContents(image.token().orElse(new TokenRecord("", "")), image.users(),
                new ArrayList<>(image.objects().values()), settings, new Placement(new ArrayList<>(image.objects().keySet()),
                        image.nextObjectId(), image.appliedIndex(), image.token().isPresent(), files));
    }

    /** The store image of a snapshot (ids as they were); IllegalStateException for a plain backup. */
    StoreImage image() {
        if (placement == null) {
            throw new IllegalStateException("a backup without object placement is not a replication snapshot");
        }
        SortedMap<Long, List<Attribute>> byId = new TreeMap<>();
        for (int i = 0; i < objects.size(); i++) {
            byId.put(placement.ids().get(i), objects.get(i));
        }
        return new StoreImage(placement.initialized() ? Optional.of(token) : Optional.empty(), users, byId,
                placement.nextObjectId(), placement.appliedIndex());
    }

    static BackupContents of(CloudHsm hsm) {
        List<List<Attribute>> objects = new ArrayList<>();
        for (HsmObject o : hsm.token().allObjects()) {
            if (o.isTokenObject()) {
                objects.add(o.attributeList());
            }
        }
        Properties settings = hsm.state().read();
        settings.stringPropertyNames().stream().filter(k -> k.startsWith(Quorum.TOKEN_PREFIX)).forEach(settings::remove);
        return new BackupContents(hsm.token().record().orElseThrow(), hsm.token().users(), objects, settings);
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            out.writeUTF(token.label());
            out.writeUTF(token.serialNumber());
            out.writeInt(users.size());
            for (UserRecord u : users) {
                out.writeUTF(u.name());
                out.writeLong(u.role());
                out.writeInt(u.pinVerifier().length);
                out.write(u.pinVerifier());
                out.writeInt(u.failedLogins());
                out.writeBoolean(u.locked());
            }
            out.writeInt(objects.size());
            for (List<Attribute> o : objects) {
                byte[] e = AttributeCodec.encode(o);
                out.writeInt(e.length);
                out.write(e);
            }
            StringWriter w = new StringWriter();
            settings.store(w, null);
            byte[] s = w.toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(s.length);
            out.write(s);
            if (placement != null) {
                writePlacement(out);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BackupContents decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            TokenRecord token = new TokenRecord(in.readUTF(), in.readUTF());
            List<UserRecord> users = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                String name = in.readUTF();
                long role = in.readLong();
                byte[] verifier = in.readNBytes(in.readInt());
                users.add(new UserRecord(name, role, verifier, in.readInt(), in.readBoolean()));
            }
            List<List<Attribute>> objects = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                objects.add(AttributeCodec.decode(in.readNBytes(in.readInt())));
            }
            Properties settings = new Properties();
            settings.load(new StringReader(new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8)));
            Placement placement = in.available() >= 4 && in.readInt() == PLACEMENT ? readPlacement(in, objects.size()) : null;
            return new BackupContents(token, users, objects, settings, placement);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writePlacement(DataOutputStream out) throws IOException {
        out.writeInt(PLACEMENT);
        for (long id : placement.ids()) {
            out.writeLong(id);
        }
        out.writeLong(placement.nextObjectId());
        out.writeLong(placement.appliedIndex());
        out.writeBoolean(placement.initialized());
        out.writeInt(placement.files().size());
        for (Map.Entry<String, String> f : placement.files().entrySet()) {
            out.writeUTF(f.getKey());
            byte[] text = f.getValue().getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
        }
    }

    private static Placement readPlacement(DataInputStream in, int objects) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            ids.add(in.readLong());
        }
        long next = in.readLong();
        long applied = in.readLong();
        boolean initialized = in.readBoolean();
        Map<String, String> files = new TreeMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            files.put(in.readUTF(), new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8));
        }
        return new Placement(ids, next, applied, initialized, files);
    }
}

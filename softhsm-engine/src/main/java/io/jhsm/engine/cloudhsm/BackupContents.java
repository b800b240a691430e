package io.jhsm.engine.cloudhsm;

import io.jhsm.engine.object.HsmObject;
import io.jhsm.engine.store.AttributeCodec;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a backup holds, in clear before encryption: the token record, every user (with its PIN
 * verifier, never a password), every token object's attributes, and the CloudHSM settings (cluster,
 * quorum values and keys; open quorum tokens are left out, they die with the HSM).
 */
record BackupContents(TokenRecord token, List<UserRecord> users, List<List<Attribute>> objects, Properties settings) {

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
            byte[] s = w.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(s.length);
            out.write(s);
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
            settings.load(new StringReader(new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8)));
            return new BackupContents(token, users, objects, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

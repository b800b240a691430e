package io.jhsm.engine.store;

import io.jhsm.pkcs11.Attribute;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes the fields of a command's body (sealed whole by {@link CommandCodec}); {@link CommandReader} reads them back. */
final class CommandWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    CommandWriter string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    CommandWriter bytes(byte[] b) {
        try {
            out.writeInt(b.length);
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    CommandWriter number(long v) {
        try {
            out.writeLong(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    CommandWriter flag(boolean b) {
        return number(b ? 1 : 0);
    }

    CommandWriter attributes(List<Attribute> attributes) {
        return bytes(AttributeCodec.encode(attributes));
    }

    CommandWriter user(UserRecord u) {
        return string(u.name()).number(u.role()).bytes(u.pinVerifier()).number(u.failedLogins()).flag(u.locked());
    }

    CommandWriter users(List<UserRecord> users) {
        number(users.size());
        users.forEach(this::user);
        return this;
    }

    CommandWriter token(TokenRecord t) {
        return string(t.label()).string(t.serialNumber());
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }
}

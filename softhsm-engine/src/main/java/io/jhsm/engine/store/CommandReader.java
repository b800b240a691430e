package io.jhsm.engine.store;

import io.jhsm.pkcs11.Attribute;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a command's body field by field, in the order {@link CommandWriter} wrote it. */
final class CommandReader {
    private final ByteBuffer in;

    CommandReader(byte[] body) {
        this.in = ByteBuffer.wrap(body);
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    byte[] bytes() {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("malformed replicated command: field of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    long number() {
        return in.getLong();
    }

    int smallNumber() {
        return Math.toIntExact(in.getLong());
    }

    boolean flag() {
        return in.getLong() != 0;
    }

    List<Attribute> attributes() {
        return AttributeCodec.decode(bytes());
    }

    UserRecord user() {
        return new UserRecord(string(), number(), bytes(), smallNumber(), flag());
    }

    List<UserRecord> users() {
        int n = smallNumber();
        List<UserRecord> users = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            users.add(user());
        }
        return users;
    }

    TokenRecord token() {
        return new TokenRecord(string(), string());
    }
}

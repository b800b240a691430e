package io.jhsm.engine.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A replicated command's bytes: {@code version(1) | kind(1) | header length(4) | header | sealed body}.
 * The header is the audit record in clear ({@code 0} when none, else {@code 1 | call(8) | coversUsers(1) |
 * UTF-8 record}), as audit.log shows it anyway. The body (names, attribute lists, PIN verifiers, settings)
 * is sealed with {@link SealedBlobs} under the token directory's storage key, the cluster key every HSM of
 * the cluster holds, with the kind and the header as associated data: the log and the network never see a
 * key value or a verifier, and a changed kind or record makes the command refused.
 */
final class CommandCodec {
    static final int VERSION = 1;

    private final SealedBlobs blobs;

    CommandCodec(SealedBlobs blobs) {
        this.blobs = blobs;
    }

    byte[] encode(CommandKind kind, Command.Audit audit, byte[] body) {
        byte[] header = header(audit);
        byte[] sealed = blobs.seal(SealedBlobs.commandAad(kind.code, header), body);
        return ByteBuffer.allocate(2 + 4 + header.length + sealed.length).put((byte) VERSION).put((byte) kind.code)
                .putInt(header.length).put(header).put(sealed).array();
    }

    Command decode(byte[] command) {
        try {
            ByteBuffer in = ByteBuffer.wrap(command);
            int version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("replicated command of version " + version + " (this HSM reads "
                        + VERSION + "): upgrade every HSM of the cluster to the same jhsm");
            }
            CommandKind kind = CommandKind.of(in.get());
            byte[] header = new byte[in.getInt()];
            in.get(header);
            byte[] sealed = Arrays.copyOfRange(command, in.position(), command.length);
            byte[] body = blobs.open(SealedBlobs.commandAad(kind.code, header), sealed, "replicated " + kind + " command");
            return new Command(kind, audit(header), body);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("malformed replicated command (" + command.length + " bytes)", e);
        }
    }

    private static byte[] header(Command.Audit audit) {
        if (audit == null) {
            return new byte[] {0};
        }
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            out.writeByte(1);
            out.writeLong(audit.call());
            out.writeBoolean(audit.coversUsers());
            out.write(audit.record().getBytes(StandardCharsets.UTF_8));
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Command.Audit audit(byte[] header) {
        if (header.length == 0 || header[0] == 0) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(header, 1, header.length - 1);
        long call = in.getLong();
        boolean coversUsers = in.get() != 0;
        return new Command.Audit(call, coversUsers,
                new String(header, in.position(), header.length - in.position(), StandardCharsets.UTF_8));
    }
}

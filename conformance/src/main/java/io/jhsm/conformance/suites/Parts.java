package io.jhsm.conformance.suites;

import io.jhsm.pkcs11.Cryptoki;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-part operations driven with generous output buffers (the length-query protocol has its own
 * rules); single-part calls use the two-call protocol as C applications do.
 */
public final class Parts {
    private Parts() {}

    private static final int SLACK = 64;

    public static byte[] encrypt(Cryptoki p, long s, List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            byte[] buf = new byte[part.length + SLACK];
            out.write(buf, 0, p.C_EncryptUpdate(s, part, buf));
        }
        byte[] last = new byte[p.C_EncryptFinal(s, null)];
        out.write(last, 0, finalCall("C_EncryptFinal", last, () -> p.C_EncryptFinal(s, last)));
        return out.toByteArray();
    }

    public static byte[] decrypt(Cryptoki p, long s, List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            byte[] buf = new byte[part.length + SLACK];
            out.write(buf, 0, p.C_DecryptUpdate(s, part, buf));
        }
        // GCM decryption releases all plaintext at the final call, so ask for its length.
        byte[] last = new byte[p.C_DecryptFinal(s, null)];
        out.write(last, 0, finalCall("C_DecryptFinal", last, () -> p.C_DecryptFinal(s, last)));
        return out.toByteArray();
    }

    /** A length query must answer a length that suffices (PKCS#11 3.0 §5.2): say so plainly when it did not. */
    private static int finalCall(String name, byte[] buffer, java.util.function.IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (io.jhsm.pkcs11.BufferTooSmallException e) {
            throw new AssertionError(name + ": the length query answered " + buffer.length
                    + " bytes, then the call needed " + e.requiredLength());
        }
    }

    public static byte[] encryptOnce(Cryptoki p, long s, byte[] data) {
        byte[] out = new byte[p.C_Encrypt(s, data, null)];
        return Arrays.copyOf(out, p.C_Encrypt(s, data, out));
    }

    public static byte[] decryptOnce(Cryptoki p, long s, byte[] data) {
        byte[] out = new byte[p.C_Decrypt(s, data, null)];
        return Arrays.copyOf(out, p.C_Decrypt(s, data, out));
    }

    public static byte[] signOnce(Cryptoki p, long s, byte[] data) {
        byte[] out = new byte[p.C_Sign(s, data, null)];
        return Arrays.copyOf(out, p.C_Sign(s, data, out));
    }

    public static byte[] sign(Cryptoki p, long s, List<byte[]> parts) {
        for (byte[] part : parts) {
            p.C_SignUpdate(s, part);
        }
        byte[] out = new byte[p.C_SignFinal(s, null)];
        return Arrays.copyOf(out, p.C_SignFinal(s, out));
    }

    public static byte[] digestOnce(Cryptoki p, long s, byte[] data) {
        byte[] out = new byte[p.C_Digest(s, data, null)];
        return Arrays.copyOf(out, p.C_Digest(s, data, out));
    }

    public static byte[] digest(Cryptoki p, long s, List<byte[]> parts) {
        for (byte[] part : parts) {
            p.C_DigestUpdate(s, part);
        }
        byte[] out = new byte[p.C_DigestFinal(s, null)];
        return Arrays.copyOf(out, p.C_DigestFinal(s, out));
    }

    public static void verify(Cryptoki p, long s, List<byte[]> parts, byte[] signature) {
        for (byte[] part : parts) {
            p.C_VerifyUpdate(s, part);
        }
        p.C_VerifyFinal(s, signature);
    }
}

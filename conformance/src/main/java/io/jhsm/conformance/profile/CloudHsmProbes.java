package io.jhsm.conformance.profile;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.conformance.suites.Oracle;
import io.jhsm.conformance.suites.Parts;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The checks behind {@link CloudHsmDeviations}: each asserts the exact answer CloudHSM documents, so a module
 * that refuses for another reason, with another CK_RV, or not at all fails the rule.
 */
final class CloudHsmProbes {
    private CloudHsmProbes() {}

    /** C_SetAttributeValue answers CKR_FUNCTION_NOT_SUPPORTED and the attribute keeps its value. */
    static void setAttributeValueNotSupported(RuleContext ctx, Attribute change) {
        Cryptoki p = ctx.p();
        long s = ctx.userSession();
        long key = Keys.generatedAes(p, s, Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
        try {
            byte[] before = read(p, s, key, change.type());
            Expect.rv("C_SetAttributeValue(" + CKA.name(change.type()) + ")",
                    () -> p.C_SetAttributeValue(s, key, List.of(change)), CKR.FUNCTION_NOT_SUPPORTED);
            Expect.bytes(before, read(p, s, key, change.type()), CKA.name(change.type()) + " after the refused C_SetAttributeValue");
        } finally {
            p.C_DestroyObject(s, key);
        }
    }

    /** Neither saving nor restoring an operation's state is offered, whatever the operation. */
    static void operationStateNotSupported(RuleContext ctx) {
        ctx.requireMechanisms(CKM.SHA256);
        Cryptoki p = ctx.p();
        long s = ctx.userSession();
        p.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        p.C_DigestUpdate(s, new byte[10]);
        Expect.rv("C_GetOperationState of a digest", () -> p.C_GetOperationState(s, null), CKR.FUNCTION_NOT_SUPPORTED);
        long other = ctx.userSession();
        Expect.rv("C_SetOperationState", () -> p.C_SetOperationState(other, new byte[64], 0, 0), CKR.FUNCTION_NOT_SUPPORTED);
    }

    static void objectSizeNotSupported(RuleContext ctx) {
        Cryptoki p = ctx.p();
        long s = ctx.userSession();
        long key = Keys.generatedAes(p, s);
        try {
            Expect.rv("C_GetObjectSize of a live key", () -> p.C_GetObjectSize(s, key), CKR.FUNCTION_NOT_SUPPORTED);
        } finally {
            p.C_DestroyObject(s, key);
        }
    }

    /** C_InitPIN first: on a module that offers it, a user session makes it fail harmlessly (not the SO). */
    static void pinFunctionsNotSupported(RuleContext ctx) {
        Cryptoki p = ctx.p();
        long s = ctx.userSession();
        byte[] pin = ctx.target().userPin();
        Expect.rv("C_InitPIN", () -> p.C_InitPIN(s, pin), CKR.FUNCTION_NOT_SUPPORTED);
        Expect.rv("C_SetPIN (to the same PIN)", () -> p.C_SetPIN(s, pin, pin), CKR.FUNCTION_NOT_SUPPORTED);
    }

    /** The application's own IV is refused for encryption; decryption with a given IV still agrees with Bouncy Castle. */
    static void gcmRefusesTheCallersIv(RuleContext ctx) throws Exception {
        ctx.requireMechanisms(CKM.AES_GCM);
        Cryptoki p = ctx.p();
        long s = ctx.userSession();
        Random r = new Random(ctx.seed());
        byte[] value = new byte[16], iv = new byte[12], plaintext = new byte[40];
        r.nextBytes(value);
        r.nextBytes(iv);
        r.nextBytes(plaintext);
        iv[0] |= 1; // never all zero: that is CloudHSM's own request for an HSM-made IV
        long key = Keys.aes(p, s, value, Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.DECRYPT, true));
        try {
            Mechanism gcm = Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(iv, 96, new byte[0], 128));
            byte[] ivBefore = iv.clone();
            Expect.rv("C_EncryptInit(CKM_AES_GCM) with the application's non-zero IV", () -> p.C_EncryptInit(s, gcm, key),
                    CKR.MECHANISM_PARAM_INVALID);
            Cipher bc = Cipher.getInstance("AES/GCM/NoPadding", Oracle.BC);
            bc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(value, "AES"), new GCMParameterSpec(128, ivBefore));
            p.C_DecryptInit(s, Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(ivBefore, 96, new byte[0], 128)), key);
            Expect.bytes(plaintext, Parts.decryptOnce(p, s, bc.doFinal(plaintext)), "C_Decrypt of Bouncy Castle's AES-GCM ciphertext");
        } finally {
            p.C_DestroyObject(s, key);
        }
    }

    static void privateFalseRefused(RuleContext ctx) {
        Cryptoki p = ctx.p();
        long s = ctx.userSession();
        long[] made = new long[1];
        long rv = Expect.rv("C_CreateObject of an AES key with CKA_PRIVATE false", () -> made[0] = p.C_CreateObject(s, List.of(
                Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.TOKEN, false),
                Attribute.of(CKA.PRIVATE, false), Attribute.of(CKA.VALUE, new byte[16]))), CKR.OK, CKR.ATTRIBUTE_VALUE_INVALID);
        if (rv == CKR.OK) {
            p.C_DestroyObject(s, made[0]);
            throw new AssertionError("C_CreateObject of an AES key with CKA_PRIVATE false: expected CKR_ATTRIBUTE_VALUE_INVALID, got CKR_OK");
        }
    }

    private static byte[] read(Cryptoki p, long s, long object, long type) {
        AttributeReading a = p.C_GetAttributeValue(s, object, new long[] {type}).get(0);
        Expect.isTrue(a.available(), CKA.name(type) + " unreadable: " + CKR.name(a.rv()));
        return Arrays.copyOf(a.value(), a.value().length);
    }
}

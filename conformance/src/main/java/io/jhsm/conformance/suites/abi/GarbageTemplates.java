package io.jhsm.conformance.suites.abi;

import static io.jhsm.conformance.abi.FunctionList.*;
import static io.jhsm.conformance.suites.abi.RawAbi.rv;
import static io.jhsm.pkcs11.CKR.*;

import com.sun.jna.Memory;
import io.jhsm.conformance.abi.Structs;
import io.jhsm.pkcs11.CKA;
import java.util.List;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Random CK_ATTRIBUTE arrays (known and unknown types, random lengths and bytes, all in valid memory)
 * given to C_CreateObject: the answer is OK or a template error, and the module keeps working.
 */
final class GarbageTemplates {
    private GarbageTemplates() {}

    record Garbage(long type, byte[] value) {}

    static final long[] TEMPLATE_ERRORS = rv(OK, ATTRIBUTE_TYPE_INVALID, ATTRIBUTE_VALUE_INVALID, ATTRIBUTE_READ_ONLY,
            TEMPLATE_INCOMPLETE, TEMPLATE_INCONSISTENT, ATTRIBUTE_SENSITIVE, USER_NOT_LOGGED_IN, SESSION_READ_ONLY,
            KEY_SIZE_RANGE, DOMAIN_PARAMS_INVALID, CURVE_NOT_SUPPORTED, ARGUMENTS_BAD, MECHANISM_INVALID);

    static void run(RawAbi a, long s, long seed, int examples) {
        Gen<Long> types = Generate.pick(List.of(CKA.CLASS, CKA.KEY_TYPE, CKA.VALUE, CKA.TOKEN, CKA.PRIVATE, CKA.LABEL,
                CKA.MODULUS, CKA.EC_PARAMS, CKA.VALUE_LEN, CKA.WRAP_TEMPLATE, CKA.ALLOWED_MECHANISMS, CKA.SENSITIVE))
                .mix(SourceDSL.longs().all(), 30);
        Gen<Garbage> attribute = types.zip(Generate.byteArrays(SourceDSL.integers().between(0, 40),
                Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)), Garbage::new);
        QuickTheory.qt().withFixedSeed(seed).withExamples(examples)
                .forAll(SourceDSL.lists().of(attribute).ofSizeBetween(0, 8)).checkAssert(list -> {
                    // Structs: the values stay allocated as long as the array passed to the call.
                    Structs call = new Structs();
                    Memory t = call.alloc(24L * Math.max(1, list.size()));
                    for (int i = 0; i < list.size(); i++) {
                        Garbage g = list.get(i);
                        // Attribute-array types get a value that is not a whole CK_ATTRIBUTE array, but valid memory.
                        byte[] v = g.value();
                        if ((g.type() & 0x40000000L) != 0 && v.length % 24 == 0 && v.length > 0) {
                            // CKF_ARRAY_ATTRIBUTE: a whole number of CK_ATTRIBUTEs would be read as pointers.
                            v = java.util.Arrays.copyOf(v, v.length - 1);
                        }
                        t.setLong(24L * i, g.type());
                        t.setPointer(24L * i + 8, call.bytes(v));
                        t.setLong(24L * i + 16, v.length);
                    }
                    Memory h = RawAbi.ulong(0);
                    long rv = a.expect("C_CreateObject(" + list.size() + " garbage attributes)", TEMPLATE_ERRORS,
                            C_CreateObject, s, t, (long) list.size(), h);
                    if (rv == OK) {
                        a.expect("C_DestroyObject(created from garbage)", rv(OK), C_DestroyObject, s, h.getLong(0));
                    }
                    a.expect("C_GetInfo after garbage", rv(OK), C_GetInfo, new Memory(88));
                });
    }
}

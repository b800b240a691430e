package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.conformance.abi.NativeCryptoki;
import io.jhsm.conformance.target.NativeTarget;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the tests that call dist/libjhsm.so through its PKCS#11 3.2 table, in one logged-in read/write session. */
abstract class SharedObject32Session {
    static NativeTarget target;
    static NativeCryptoki p;
    static long s;

    @BeforeAll
    static void open() {
        Path lib = Path.of(System.getProperty("jhsm.dist", "../dist"), "libjhsm.so").toAbsolutePath();
        target = NativeTarget.jhsm(lib);
        p = new NativeCryptoki(FunctionList.load32(lib.toString()));
        s = p.C_OpenSession(target.slot(), CKF.SERIAL_SESSION | CKF.RW_SESSION);
        p.C_Login(s, CKU.USER, target.userPin());
    }

    @AfterAll
    static void close() {
        target.close();
    }

    static long rv(Runnable call) {
        return assertThrows(CkException.class, call::run).rv();
    }
}

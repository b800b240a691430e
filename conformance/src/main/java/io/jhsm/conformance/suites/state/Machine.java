package io.jhsm.conformance.suites.state;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.suites.state.Call.Kind;
import io.jhsm.conformance.suites.state.Call.Out;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

/** Runs a call sequence on a module next to the {@link Model}, comparing every CK_RV and observation. */
final class Machine {
    /** A handle no module hands out first: calls that name "a session/object" before any exists use it. */
    static final long FOREIGN = 0x5EC0_0DEDL;

    private final Cryptoki p;
    private final long slot;
    private final byte[] userPin, soPin;
    private final long encryptKey;
    private final String tag;
    private final Model model = new Model();
    private final List<Long> sessions = new ArrayList<>();
    private final List<Long> objects = new ArrayList<>();

    Machine(Cryptoki p, long slot, byte[] userPin, byte[] soPin, long encryptKey, String tag) {
        this.p = p;
        this.slot = slot;
        this.userPin = userPin;
        this.soPin = soPin;
        this.encryptKey = encryptKey;
        this.tag = tag;
    }

    void run(List<Call> calls) {
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            if (aliased(c)) {
                continue;
            }
            Model.Step step = model.plan(c);
            long rv = Expect.rvOf(() -> execute(c));
            if (LongStream.of(step.allowed()).noneMatch(a -> a == rv)) {
                throw new AssertionError("step " + (i + 1) + " " + c + ": expected " + Expect.names(step.allowed())
                        + ", got " + CKR.name(rv));
            }
            step.commit().accept(rv);
        }
    }

    /** A closed session's or destroyed object's handle reused by the module for a live one: the step means nothing. */
    private boolean aliased(Call c) {
        int si = model.session(c.s());
        if (si >= 0 && !model.sessions.get(si).open && !(c instanceof Call.Open) && !(c instanceof Call.CloseAll)) {
            long h = sessions.get(si);
            for (int j = 0; j < sessions.size(); j++) {
                if (j != si && model.sessions.get(j).open && sessions.get(j) == h) {
                    return true;
                }
            }
        }
        if (c instanceof Call.Destroy d && model.object(d.o()) >= 0 && !model.objects.get(model.object(d.o())).alive) {
            long h = objects.get(model.object(d.o()));
            for (int j = 0; j < objects.size(); j++) {
                if (model.objects.get(j).alive && objects.get(j) == h) {
                    return true;
                }
            }
        }
        return false;
    }

    private long session(int s) {
        int si = model.session(s);
        return si < 0 ? FOREIGN : sessions.get(si);
    }

    private void execute(Call c) {
        long h = session(c.s());
        if (c instanceof Call.Open o) {
            sessions.add(p.C_OpenSession(slot, CKF.SERIAL_SESSION | (o.rw() ? CKF.RW_SESSION : 0)));
        } else if (c instanceof Call.Close) {
            p.C_CloseSession(h);
        } else if (c instanceof Call.CloseAll) {
            p.C_CloseAllSessions(slot);
        } else if (c instanceof Call.Login l) {
            p.C_Login(h, l.so() ? CKU.SO : CKU.USER, l.so() ? soPin : userPin);
        } else if (c instanceof Call.Logout) {
            p.C_Logout(h);
        } else if (c instanceof Call.Info) {
            checkInfo(p.C_GetSessionInfo(h), model.sessions.get(model.session(c.s())));
        } else if (c instanceof Call.Create o) {
            objects.add(p.C_CreateObject(h, List.of(Attribute.of(CKA.CLASS, CKO.DATA), Attribute.of(CKA.TOKEN, o.token()),
                    Attribute.of(CKA.PRIVATE, o.priv()), Attribute.of(CKA.APPLICATION, tag),
                    Attribute.of(CKA.LABEL, "o" + model.objects.size()))));
        } else if (c instanceof Call.Destroy d) {
            int oi = model.object(d.o());
            p.C_DestroyObject(h, oi < 0 ? FOREIGN : objects.get(oi));
        } else if (c instanceof Call.Find) {
            find(h);
        } else {
            operation(h, c);
        }
    }

    private void checkInfo(CkSessionInfo info, Model.Session s) {
        long expected = switch (model.login) {
            case NONE -> s.rw ? CKS.RW_PUBLIC_SESSION : CKS.RO_PUBLIC_SESSION;
            case USER -> s.rw ? CKS.RW_USER_FUNCTIONS : CKS.RO_USER_FUNCTIONS;
            case SO -> CKS.RW_SO_FUNCTIONS;
        };
        Expect.equal(CKS.name(expected), CKS.name(info.state()), "C_GetSessionInfo state");
        Expect.equal(s.rw, (info.flags() & CKF.RW_SESSION) != 0, "C_GetSessionInfo CKF_RW_SESSION");
        Expect.equal(slot, info.slotId(), "C_GetSessionInfo slotID");
    }

    private void find(long h) {
        p.C_FindObjectsInit(h, List.of(Attribute.of(CKA.CLASS, CKO.DATA), Attribute.of(CKA.APPLICATION, tag)));
        Set<String> found = new HashSet<>();
        try {
            for (long o : p.C_FindObjects(h, 64)) {
                AttributeReading label = p.C_GetAttributeValue(h, o, new long[] {CKA.LABEL}).get(0);
                String name = new String(label.value(), StandardCharsets.UTF_8);
                found.add(name);
                objects.set(Integer.parseInt(name.substring(1)), o); // a lapsed handle is learnt again
            }
        } finally {
            p.C_FindObjectsFinal(h);
        }
        Set<String> visible = new HashSet<>();
        for (int i = 0; i < model.objects.size(); i++) {
            if (model.visible(model.objects.get(i))) {
                visible.add("o" + i);
                model.objects.get(i).lapsed = false;
            }
        }
        Expect.equal(new java.util.TreeSet<>(visible), new java.util.TreeSet<>(found), "objects C_FindObjects returns");
    }

    private void operation(long h, Call c) {
        if (c instanceof Call.OpInit i) {
            if (i.k() == Kind.DIGEST) {
                p.C_DigestInit(h, Mechanism.of(CKM.SHA256));
            } else {
                p.C_EncryptInit(h, Mechanism.of(CKM.AES_ECB), encryptKey);
            }
        } else if (c instanceof Call.OpCancel x) {
            if (x.k() == Kind.DIGEST) {
                p.C_DigestInit(h, null);
            } else {
                p.C_EncryptInit(h, null, encryptKey);
            }
        } else if (c instanceof Call.OpUpdate u) {
            if (u.k() == Kind.DIGEST) {
                p.C_DigestUpdate(h, new byte[16]);
            } else {
                p.C_EncryptUpdate(h, new byte[16], new byte[16]);
            }
        } else if (c instanceof Call.OpFinal f) {
            byte[] out = buffer(f.out(), Model.outputLength(f.k(), false));
            if (f.k() == Kind.DIGEST) {
                p.C_DigestFinal(h, out);
            } else {
                p.C_EncryptFinal(h, out);
            }
        } else {
            Call.OpOnce o = (Call.OpOnce) c;
            byte[] out = buffer(o.out(), Model.outputLength(o.k(), true));
            if (o.k() == Kind.DIGEST) {
                p.C_Digest(h, new byte[16], out);
            } else {
                p.C_Encrypt(h, new byte[o.badLength() ? 15 : 16], out);
            }
        }
    }

    private static byte[] buffer(Out out, int length) {
        return switch (out) {
            case NULL -> null;
            case SMALL -> new byte[0];
            case EXACT -> new byte[length];
        };
    }

}

package io.jhsm.engine.function;

/** The function families of one C_Initialize, all over the same module state. */
public record Functions(ModuleState state, SlotAndTokenCalls slots, SessionAndLoginCalls sessions, ObjectCalls objects,
                        EncryptDigestSignCalls crypto, KeyGenerationCalls keys, WrapAndDeriveCalls keyManagement,
                        MessageCalls messages, KemCalls kem, AuditHooks audit) {
    static Functions of(ModuleState s) {
        EncryptDigestSignCalls crypto = new EncryptDigestSignCalls(s);
        return new Functions(s, new SlotAndTokenCalls(s), new SessionAndLoginCalls(s), new ObjectCalls(s), crypto,
                new KeyGenerationCalls(s, crypto), new WrapAndDeriveCalls(s, crypto), new MessageCalls(s, crypto),
                new KemCalls(s, crypto), new AuditHooks(s));
    }
}

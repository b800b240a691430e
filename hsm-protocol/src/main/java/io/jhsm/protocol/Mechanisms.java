package io.jhsm.protocol;

import static io.jhsm.protocol.WireBytes.bytes;
import static io.jhsm.protocol.WireBytes.of;
import static io.jhsm.protocol.WireBytes.optional;

import io.jhsm.pkcs11.DerivedKey;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.protocol.v1.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * CK_MECHANISM and every decoded parameter record. SP 800-108's additional derived keys cross as
 * their templates only: the side that decodes them says, per key index, where its handle goes.
 */
public final class Mechanisms {
    private Mechanisms() {}

    private static final LongConsumer DISCARD = h -> {};

    /** null (pMechanism NULL) has no proto form: the caller leaves the field unset. */
    public static io.jhsm.protocol.v1.Mechanism toProto(Mechanism m) {
        io.jhsm.protocol.v1.Mechanism.Builder b = io.jhsm.protocol.v1.Mechanism.newBuilder().setType(m.type());
        if (m.params() != null) {
            b.setParams(toProto(m.params()));
        }
        return b.build();
    }

    public static Mechanism fromProto(io.jhsm.protocol.v1.Mechanism m, IntFunction<LongConsumer> derivedKeyHandles) {
        return new Mechanism(m.getType(), m.hasParams() ? fromProto(m.getParams(), derivedKeyHandles) : null);
    }

    public static Mechanism fromProto(io.jhsm.protocol.v1.Mechanism m) {
        return fromProto(m, i -> DISCARD);
    }

    public static io.jhsm.protocol.v1.MechanismParams toProto(MechanismParams p) {
        io.jhsm.protocol.v1.MechanismParams.Builder b = io.jhsm.protocol.v1.MechanismParams.newBuilder();
        if (p instanceof MechanismParams.Bytes x) {
            b.setBytes(of(x.bytes()));
        } else if (p instanceof MechanismParams.UlongValue x) {
            b.setUlong(x.value());
        } else if (p instanceof MechanismParams.Gcm x) {
            b.setGcm(io.jhsm.protocol.v1.Gcm.newBuilder().setIv(of(x.iv())).setIvBits(x.ivBits()).setAad(of(x.aad())).setTagBits(x.tagBits()));
        } else if (p instanceof MechanismParams.Ccm x) {
            b.setCcm(io.jhsm.protocol.v1.Ccm.newBuilder().setDataLen(x.dataLen()).setNonce(of(x.nonce())).setAad(of(x.aad())).setMacLen(x.macLen()));
        } else if (p instanceof MechanismParams.Ctr x) {
            b.setCtr(io.jhsm.protocol.v1.Ctr.newBuilder().setCounterBits(x.counterBits()).setCounterBlock(of(x.counterBlock())));
        } else if (p instanceof MechanismParams.Pss x) {
            b.setPss(io.jhsm.protocol.v1.Pss.newBuilder().setHashAlg(x.hashAlg()).setMgf(x.mgf()).setSaltLength(x.saltLength()));
        } else if (p instanceof MechanismParams.Oaep x) {
            b.setOaep(oaep(x));
        } else if (p instanceof MechanismParams.Ecdh1Derive x) {
            b.setEcdh1Derive(io.jhsm.protocol.v1.Ecdh1Derive.newBuilder().setKdf(x.kdf()).setSharedData(of(x.sharedData()))
                    .setPublicData(of(x.publicData())));
        } else if (p instanceof MechanismParams.RsaAesKeyWrap x) {
            io.jhsm.protocol.v1.RsaAesKeyWrap.Builder w = io.jhsm.protocol.v1.RsaAesKeyWrap.newBuilder().setAesKeyBits(x.aesKeyBits());
            if (x.oaep() != null) {
                w.setOaep(oaep(x.oaep()));
            }
            b.setRsaAesKeyWrap(w);
        } else if (p instanceof MechanismParams.Eddsa x) {
            b.setEddsa(io.jhsm.protocol.v1.Eddsa.newBuilder().setPrehash(x.prehash()).setContext(of(x.context())));
        } else if (p instanceof MechanismParams.Hkdf x) {
            b.setHkdf(io.jhsm.protocol.v1.Hkdf.newBuilder().setExtract(x.extract()).setExpand(x.expand()).setPrfHash(x.prfHash())
                    .setSaltType(x.saltType()).setSalt(of(x.salt())).setSaltKey(x.saltKey()).setInfo(of(x.info())));
        } else if (p instanceof MechanismParams.Sp800108Kdf x) {
            b.setSp800108Kdf(sp800108(x));
        } else if (p instanceof MechanismParams.Pbkdf2 x) {
            io.jhsm.protocol.v1.Pbkdf2.Builder k = io.jhsm.protocol.v1.Pbkdf2.newBuilder().setSaltSource(x.saltSource())
                    .setSaltSourceData(of(x.saltSourceData())).setIterations(x.iterations()).setPrf(x.prf()).setPrfData(of(x.prfData()));
            if (x.password() != null) {
                k.setPassword(of(x.password()));
            }
            b.setPbkdf2(k);
        } else if (p instanceof MechanismParams.DerivationString x) {
            b.setDerivationString(of(x.data()));
        } else if (p instanceof MechanismParams.AesCbcEncryptData x) {
            b.setAesCbcEncryptData(io.jhsm.protocol.v1.AesCbcEncryptData.newBuilder().setIv(of(x.iv())).setData(of(x.data())));
        } else if (p instanceof MechanismParams.ChaCha20 x) {
            io.jhsm.protocol.v1.ChaCha20.Builder c = io.jhsm.protocol.v1.ChaCha20.newBuilder().setBlockCounterBits(x.blockCounterBits())
                    .setNonce(of(x.nonce())).setNonceBits(x.nonceBits());
            if (x.blockCounter() != null) {
                c.setBlockCounter(of(x.blockCounter()));
            }
            b.setChacha20(c);
        } else if (p instanceof MechanismParams.ChaCha20Poly1305 x) {
            b.setChacha20Poly1305(io.jhsm.protocol.v1.ChaCha20Poly1305.newBuilder().setNonce(of(x.nonce())).setAad(of(x.aad())));
        } else if (p instanceof MechanismParams.GcmMessage x) {
            b.setGcmMessage(io.jhsm.protocol.v1.GcmMessage.newBuilder().setIv(of(x.iv())).setIvFixedBits(x.ivFixedBits())
                    .setIvGenerator(x.ivGenerator()).setTag(of(x.tag())).setTagBits(x.tagBits()));
        } else if (p instanceof MechanismParams.CcmMessage x) {
            b.setCcmMessage(io.jhsm.protocol.v1.CcmMessage.newBuilder().setDataLen(x.dataLen()).setNonce(of(x.nonce()))
                    .setNonceFixedBits(x.nonceFixedBits()).setNonceGenerator(x.nonceGenerator()).setMac(of(x.mac())));
        } else if (p instanceof MechanismParams.SignAdditionalContext x) {
            b.setSignAdditionalContext(io.jhsm.protocol.v1.SignAdditionalContext.newBuilder().setHedgeVariant(x.hedgeVariant())
                    .setContext(of(x.context())));
        } else if (p instanceof MechanismParams.HashSignAdditionalContext x) {
            b.setHashSignAdditionalContext(io.jhsm.protocol.v1.HashSignAdditionalContext.newBuilder().setHedgeVariant(x.hedgeVariant())
                    .setContext(of(x.context())).setHash(x.hash()));
        } else {
            throw new IllegalArgumentException("no wire form for " + p.getClass().getSimpleName());
        }
        return b.build();
    }

    public static MechanismParams fromProto(io.jhsm.protocol.v1.MechanismParams p) {
        return fromProto(p, i -> DISCARD);
    }

    /** {@code derivedKeyHandles}: for additional derived key i, where the engine hands its handle. */
    public static MechanismParams fromProto(io.jhsm.protocol.v1.MechanismParams p, IntFunction<LongConsumer> derivedKeyHandles) {
        switch (p.getParamsCase()) {
            case BYTES: return new MechanismParams.Bytes(bytes(p.getBytes()));
            case ULONG: return new MechanismParams.UlongValue(p.getUlong());
            case GCM: {
                var x = p.getGcm();
                return new MechanismParams.Gcm(bytes(x.getIv()), x.getIvBits(), bytes(x.getAad()), x.getTagBits());
            }
            case CCM: {
                var x = p.getCcm();
                return new MechanismParams.Ccm(x.getDataLen(), bytes(x.getNonce()), bytes(x.getAad()), x.getMacLen());
            }
            case CTR: return new MechanismParams.Ctr(p.getCtr().getCounterBits(), bytes(p.getCtr().getCounterBlock()));
            case PSS: return new MechanismParams.Pss(p.getPss().getHashAlg(), p.getPss().getMgf(), p.getPss().getSaltLength());
            case OAEP: return oaep(p.getOaep());
            case ECDH1_DERIVE: {
                var x = p.getEcdh1Derive();
                return new MechanismParams.Ecdh1Derive(x.getKdf(), bytes(x.getSharedData()), bytes(x.getPublicData()));
            }
            case RSA_AES_KEY_WRAP: {
                var x = p.getRsaAesKeyWrap();
                return new MechanismParams.RsaAesKeyWrap(x.getAesKeyBits(), x.hasOaep() ? oaep(x.getOaep()) : null);
            }
            case EDDSA: return new MechanismParams.Eddsa(p.getEddsa().getPrehash(), bytes(p.getEddsa().getContext()));
            case HKDF: {
                var x = p.getHkdf();
                return new MechanismParams.Hkdf(x.getExtract(), x.getExpand(), x.getPrfHash(), x.getSaltType(), bytes(x.getSalt()),
                        x.getSaltKey(), bytes(x.getInfo()));
            }
            case SP800108_KDF: return sp800108(p.getSp800108Kdf(), derivedKeyHandles);
            case PBKDF2: {
                var x = p.getPbkdf2();
                return new MechanismParams.Pbkdf2(x.getSaltSource(), bytes(x.getSaltSourceData()), x.getIterations(), x.getPrf(),
                        bytes(x.getPrfData()), optional(x.hasPassword(), x.getPassword()));
            }
            case DERIVATION_STRING: return new MechanismParams.DerivationString(bytes(p.getDerivationString()));
            case AES_CBC_ENCRYPT_DATA:
                return new MechanismParams.AesCbcEncryptData(bytes(p.getAesCbcEncryptData().getIv()), bytes(p.getAesCbcEncryptData().getData()));
            case CHACHA20: {
                var x = p.getChacha20();
                return new MechanismParams.ChaCha20(optional(x.hasBlockCounter(), x.getBlockCounter()), x.getBlockCounterBits(),
                        bytes(x.getNonce()), x.getNonceBits());
            }
            case CHACHA20_POLY1305:
                return new MechanismParams.ChaCha20Poly1305(bytes(p.getChacha20Poly1305().getNonce()), bytes(p.getChacha20Poly1305().getAad()));
            case GCM_MESSAGE: {
                var x = p.getGcmMessage();
                return new MechanismParams.GcmMessage(bytes(x.getIv()), x.getIvFixedBits(), x.getIvGenerator(), bytes(x.getTag()), x.getTagBits());
            }
            case CCM_MESSAGE: {
                var x = p.getCcmMessage();
                return new MechanismParams.CcmMessage(x.getDataLen(), bytes(x.getNonce()), x.getNonceFixedBits(), x.getNonceGenerator(),
                        bytes(x.getMac()));
            }
            case SIGN_ADDITIONAL_CONTEXT:
                return new MechanismParams.SignAdditionalContext(p.getSignAdditionalContext().getHedgeVariant(),
                        bytes(p.getSignAdditionalContext().getContext()));
            case HASH_SIGN_ADDITIONAL_CONTEXT: {
                var x = p.getHashSignAdditionalContext();
                return new MechanismParams.HashSignAdditionalContext(x.getHedgeVariant(), bytes(x.getContext()), x.getHash());
            }
            default:
                // An empty message: a parameter of a kind this side does not know. Raw empty bytes let the mechanism refuse it.
                return new MechanismParams.Bytes(new byte[0]);
        }
    }

    private static io.jhsm.protocol.v1.Oaep oaep(MechanismParams.Oaep x) {
        return io.jhsm.protocol.v1.Oaep.newBuilder().setHashAlg(x.hashAlg()).setMgf(x.mgf()).setSource(x.source())
                .setSourceData(of(x.sourceData())).build();
    }

    private static MechanismParams.Oaep oaep(io.jhsm.protocol.v1.Oaep x) {
        return new MechanismParams.Oaep(x.getHashAlg(), x.getMgf(), x.getSource(), bytes(x.getSourceData()));
    }

    private static io.jhsm.protocol.v1.Sp800108Kdf sp800108(MechanismParams.Sp800108Kdf x) {
        io.jhsm.protocol.v1.Sp800108Kdf.Builder k = io.jhsm.protocol.v1.Sp800108Kdf.newBuilder().setPrfType(x.prfType());
        for (MechanismParams.PrfDataParam d : x.dataParams()) {
            k.addDataParams(io.jhsm.protocol.v1.PrfDataParam.newBuilder().setType(d.type()).setValue(of(d.value())));
        }
        if (x.iv() != null) {
            k.setIv(of(x.iv()));
        }
        for (DerivedKey d : x.additionalDerivedKeys()) {
            k.addAdditionalDerivedKeys(Template.newBuilder().addAllAttributes(Templates.toProto(d.template())));
        }
        return k.build();
    }

    private static MechanismParams.Sp800108Kdf sp800108(io.jhsm.protocol.v1.Sp800108Kdf x, IntFunction<LongConsumer> handles) {
        List<MechanismParams.PrfDataParam> data = new ArrayList<>(x.getDataParamsCount());
        for (io.jhsm.protocol.v1.PrfDataParam d : x.getDataParamsList()) {
            data.add(new MechanismParams.PrfDataParam(d.getType(), bytes(d.getValue())));
        }
        List<DerivedKey> keys = new ArrayList<>(x.getAdditionalDerivedKeysCount());
        for (int i = 0; i < x.getAdditionalDerivedKeysCount(); i++) {
            keys.add(new DerivedKey(Templates.fromProto(x.getAdditionalDerivedKeys(i).getAttributesList()), handles.apply(i)));
        }
        return new MechanismParams.Sp800108Kdf(x.getPrfType(), data, optional(x.hasIv(), x.getIv()), keys);
    }
}

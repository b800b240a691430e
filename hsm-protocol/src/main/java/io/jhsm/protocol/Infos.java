package io.jhsm.protocol;

import io.jhsm.pkcs11.CkInfo;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.CkSlotInfo;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.CkVersion;
import io.jhsm.protocol.v1.Info;
import io.jhsm.protocol.v1.MechanismInfo;
import io.jhsm.protocol.v1.SessionInfo;
import io.jhsm.protocol.v1.SlotInfo;
import io.jhsm.protocol.v1.TokenInfo;
import io.jhsm.protocol.v1.Version;

/** CK_INFO, CK_SLOT_INFO, CK_TOKEN_INFO, CK_SESSION_INFO, CK_MECHANISM_INFO and CK_VERSION. */
public final class Infos {
    private Infos() {}

    public static Version toProto(CkVersion v) {
        return Version.newBuilder().setMajor(v.major()).setMinor(v.minor()).build();
    }

    public static CkVersion fromProto(Version v) {
        return new CkVersion(v.getMajor(), v.getMinor());
    }

    public static Info toProto(CkInfo i) {
        return Info.newBuilder().setCryptokiVersion(toProto(i.cryptokiVersion())).setManufacturerId(i.manufacturerId())
                .setFlags(i.flags()).setLibraryDescription(i.libraryDescription()).setLibraryVersion(toProto(i.libraryVersion()))
                .build();
    }

    public static CkInfo fromProto(Info i) {
        return new CkInfo(fromProto(i.getCryptokiVersion()), i.getManufacturerId(), i.getFlags(), i.getLibraryDescription(),
                fromProto(i.getLibraryVersion()));
    }

    public static SlotInfo toProto(CkSlotInfo s) {
        return SlotInfo.newBuilder().setSlotDescription(s.slotDescription()).setManufacturerId(s.manufacturerId())
                .setFlags(s.flags()).setHardwareVersion(toProto(s.hardwareVersion()))
                .setFirmwareVersion(toProto(s.firmwareVersion())).build();
    }

    public static CkSlotInfo fromProto(SlotInfo s) {
        return new CkSlotInfo(s.getSlotDescription(), s.getManufacturerId(), s.getFlags(), fromProto(s.getHardwareVersion()),
                fromProto(s.getFirmwareVersion()));
    }

    public static TokenInfo toProto(CkTokenInfo t) {
        return TokenInfo.newBuilder().setLabel(t.label()).setManufacturerId(t.manufacturerId()).setModel(t.model())
                .setSerialNumber(t.serialNumber()).setFlags(t.flags()).setMaxSessionCount(t.maxSessionCount())
                .setSessionCount(t.sessionCount()).setMaxRwSessionCount(t.maxRwSessionCount())
                .setRwSessionCount(t.rwSessionCount()).setMaxPinLen(t.maxPinLen()).setMinPinLen(t.minPinLen())
                .setTotalPublicMemory(t.totalPublicMemory()).setFreePublicMemory(t.freePublicMemory())
                .setTotalPrivateMemory(t.totalPrivateMemory()).setFreePrivateMemory(t.freePrivateMemory())
                .setHardwareVersion(toProto(t.hardwareVersion())).setFirmwareVersion(toProto(t.firmwareVersion()))
                .setUtcTime(t.utcTime()).build();
    }

    public static CkTokenInfo fromProto(TokenInfo t) {
        return new CkTokenInfo(t.getLabel(), t.getManufacturerId(), t.getModel(), t.getSerialNumber(), t.getFlags(),
                t.getMaxSessionCount(), t.getSessionCount(), t.getMaxRwSessionCount(), t.getRwSessionCount(), t.getMaxPinLen(),
                t.getMinPinLen(), t.getTotalPublicMemory(), t.getFreePublicMemory(), t.getTotalPrivateMemory(),
                t.getFreePrivateMemory(), fromProto(t.getHardwareVersion()), fromProto(t.getFirmwareVersion()), t.getUtcTime());
    }

    public static SessionInfo toProto(CkSessionInfo s) {
        return SessionInfo.newBuilder().setSlot(s.slotId()).setState(s.state()).setFlags(s.flags())
                .setDeviceError(s.deviceError()).build();
    }

    public static CkSessionInfo fromProto(SessionInfo s) {
        return new CkSessionInfo(s.getSlot(), s.getState(), s.getFlags(), s.getDeviceError());
    }

    public static MechanismInfo toProto(CkMechanismInfo m) {
        return MechanismInfo.newBuilder().setMinKeySize(m.minKeySize()).setMaxKeySize(m.maxKeySize()).setFlags(m.flags()).build();
    }

    public static CkMechanismInfo fromProto(MechanismInfo m) {
        return new CkMechanismInfo(m.getMinKeySize(), m.getMaxKeySize(), m.getFlags());
    }
}

package io.jhsm.engine.mechanism;

/** A digest in progress. */
public interface DigestOperation {

    void update(byte[] part);

    byte[] digest();
}

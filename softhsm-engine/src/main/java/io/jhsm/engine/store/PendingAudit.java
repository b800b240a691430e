package io.jhsm.engine.store;

/** An audit record committed with its change, not yet known to be in audit.log: its row id and its JSON text. */
public record PendingAudit(long id, String record) {}

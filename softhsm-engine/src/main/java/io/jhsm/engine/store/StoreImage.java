package io.jhsm.engine.store;

import io.jhsm.pkcs11.Attribute;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Everything one token's database holds that every HSM of a cluster shares: the token record (empty
 * while never initialised), the users, the token objects by id, the next object id and the index of the
 * last replicated-log entry applied. Pending audit records are not in it: each HSM keeps its own.
 */
public record StoreImage(Optional<TokenRecord> token, List<UserRecord> users, SortedMap<Long, List<Attribute>> objects,
        long nextObjectId, long appliedIndex) {}

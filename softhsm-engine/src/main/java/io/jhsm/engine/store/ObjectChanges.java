package io.jhsm.engine.store;

import io.jhsm.pkcs11.Attribute;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What changed in the object table since a generation: new or updated objects by id, deleted ids, and the new generation. */
public record ObjectChanges(Map<Long, List<Attribute>> upserted, Set<Long> deleted, long generation) {

    public boolean isEmpty() {
        return upserted.isEmpty() && deleted.isEmpty();
    }
}

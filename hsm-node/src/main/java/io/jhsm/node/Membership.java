package io.jhsm.node;

import io.jhsm.protocol.v1.HsmList;
import io.jhsm.protocol.v1.MembershipChange;
import io.jhsm.protocol.v1.NodeDescription;

/**
 * The cluster's HSMs as this HSM knows them (Management's ListHsms) and changes to who they are
 * (ChangeMembership). A standalone node is a cluster of one that cannot change.
 */
public interface Membership {

    /** The HSMs, this one described by {@code self}. */
    HsmList list(NodeDescription self);

    /**
     * Adds or removes an HSM; answered by the leader.
     *
     * @throws MembershipRefused when this HSM cannot make the change (not the leader, standalone, unknown HSM)
     */
    HsmList change(MembershipChange change, NodeDescription self);

    /** A change this HSM cannot make, with what to do instead (gRPC FAILED_PRECONDITION). */
    final class MembershipRefused extends RuntimeException {
        public MembershipRefused(String message) {
            super(message);
        }
    }

    /** A node without peers: it lists itself and has no one to add. */
    Membership STANDALONE = new Membership() {
        @Override
        public HsmList list(NodeDescription self) {
            return HsmList.newBuilder().setClusterId(self.getClusterId()).setLeaderHsmId(self.getHsmId())
                    .addHsms(io.jhsm.protocol.v1.HsmEntry.newBuilder().setHsmId(self.getHsmId()).setAz(self.getAz())
                            .setAddress(self.getListen()).setState("ACTIVE").setRaftRole("NONE")
                            .setAppliedIndex(self.getAppliedIndex()).setSessions(self.getSessions())
                            .setApplications(self.getApplications()))
                    .build();
        }

        @Override
        public HsmList change(MembershipChange change, NodeDescription self) {
            throw new MembershipRefused(self.getHsmId() + " is a standalone HSM (served without --peers): it has no"
                    + " cluster to add HSMs to; start a cluster with jhsm cluster up");
        }
    };
}

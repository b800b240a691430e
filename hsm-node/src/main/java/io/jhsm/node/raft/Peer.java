package io.jhsm.node.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.ratis.protocol.RaftPeer;

/**
 * One HSM of the cluster as the Raft group knows it: its HSM id (the Raft peer id), its Raft address and
 * the address its clients connect to, so every HSM can list the others' client addresses from the Raft
 * configuration. The client address rides in the Raft peer's data-stream address: Ratis dials a peer's
 * client address with its own RaftClient (so it must stay the Raft endpoint), and jhsm uses no data
 * streams (no streaming transport is configured), so that field carries nothing else.
 */
public record Peer(String hsmId, String raftAddress, String clientAddress) {

    public Peer {
        if (!hsmId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("HSM id '" + hsmId + "' is not a word of letters, digits, '.', '_' or '-'");
        }
        requireHostPort(raftAddress, hsmId + "'s Raft address");
        requireHostPort(clientAddress, hsmId + "'s client address");
    }

    /**
     * {@code ID=RAFTHOST:RAFTPORT=CLIENTHOST:CLIENTPORT,…} as {@code hsm serve --peers} takes it.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static List<Peer> parseList(String text) {
        List<Peer> peers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String entry : text.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            String[] parts = e.split("=", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("'" + e + "' is not ID=RAFTHOST:RAFTPORT=CLIENTHOST:CLIENTPORT");
            }
            Peer p = new Peer(parts[0], parts[1], parts[2]);
            if (!ids.add(p.hsmId())) {
                throw new IllegalArgumentException("HSM id " + p.hsmId() + " is listed twice");
            }
            peers.add(p);
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("no peers listed");
        }
        return List.copyOf(peers);
    }

    RaftPeer toRaftPeer() {
        return RaftPeer.newBuilder().setId(hsmId).setAddress(raftAddress).setDataStreamAddress(clientAddress).build();
    }

    static Peer of(RaftPeer p) {
        String client = p.getDataStreamAddress() != null ? p.getDataStreamAddress() : p.getAddress();
        return new Peer(p.getId().toString(), p.getAddress(), client);
    }

    private static void requireHostPort(String address, String what) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(what + " '" + address + "' is not HOST:PORT");
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + address + "' has no port between 1 and 65535");
        }
    }
}

package io.jhsm.node;

import io.jhsm.engine.cloudhsm.ClientTrustAnchors;
import io.jhsm.engine.cloudhsm.ClusterState;
import io.jhsm.engine.cloudhsm.StateFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Properties;

/**
 * The cluster's state as the node needs it at each handshake and call (lifecycle, HSM certificate, client
 * trust anchors, mTLS enforcement), read again whenever the state file changes: the CLI changes it from
 * another process (or through Management/Run), and new connections must see the change without a restart.
 * A stat per look; the file is re-read only after a change.
 */
final class ClusterView {
    private record Snapshot(FileTime modified, long size, Object key, Properties properties) {}

    private final Path tokenDirectory;
    private final Path file;
    private volatile Snapshot snapshot = new Snapshot(null, -1, null, new Properties());

    ClusterView(Path tokenDirectory) {
        this.tokenDirectory = tokenDirectory;
        this.file = tokenDirectory.resolve(StateFile.FILE);
    }

    Path tokenDirectory() {
        return tokenDirectory;
    }

    Properties properties() {
        Snapshot s = snapshot;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (a.lastModifiedTime().equals(s.modified()) && a.size() == s.size() && java.util.Objects.equals(a.fileKey(), s.key())) {
                return s.properties();
            }
            Properties p = new StateFile(tokenDirectory).read();
            snapshot = new Snapshot(a.lastModifiedTime(), a.size(), a.fileKey(), p);
            return p;
        } catch (NoSuchFileException e) {
            snapshot = new Snapshot(null, -1, null, new Properties());
            return snapshot.properties();
        } catch (IOException e) {
            return s.properties(); // keep serving what was last read; the next look tries again
        }
    }

    /** UNINITIALIZED, INITIALIZED, ACTIVE (no cluster file at all reads as NONE). */
    String state() {
        Properties p = properties();
        return p.isEmpty() ? "NONE" : p.getProperty("cluster.state", ClusterState.UNINITIALIZED.name());
    }

    boolean initialized() {
        String s = state();
        return s.equals(ClusterState.INITIALIZED.name()) || s.equals(ClusterState.ACTIVE.name());
    }

    String clusterId() {
        return properties().getProperty("cluster.id", "");
    }

    /** The customer-signed HSM certificate, once the cluster is initialized; null before. */
    String certificatePem() {
        return initialized() ? properties().getProperty("cluster.certificate") : null;
    }

    String hsmPublicKey() {
        return properties().getProperty("cluster.hsm-public-key");
    }

    boolean mtlsEnforced() {
        return ClientTrustAnchors.enforcement(properties()) == ClientTrustAnchors.Enforcement.CLUSTER;
    }

    Map<String, String> clientAnchors() {
        return ClientTrustAnchors.anchors(properties());
    }
}

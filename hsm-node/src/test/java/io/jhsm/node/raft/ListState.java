package io.jhsm.node.raft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest deterministic replicated state for Raft-level tests: a list of the commands applied, the
 * reply "applied N" naming the entry's index. Snapshots are the list written one command a line, the
 * applied index first.
 */
final class ListState implements AppliedState {
    private final List<String> applied = new ArrayList<>();
    private long index;
    final AtomicInteger installs = new AtomicInteger();

    @Override
    public synchronized byte[] apply(long index, byte[] command) {
        if (index > this.index) {
            applied.add(new String(command, StandardCharsets.UTF_8));
            this.index = index;
        }
        return ("applied " + index).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized long appliedIndex() {
        return index;
    }

    synchronized List<String> commands() {
        return List.copyOf(applied);
    }

    @Override
    public synchronized void writeSnapshot(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add(Long.toString(index));
        lines.addAll(applied);
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void installSnapshot(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            index = Long.parseLong(lines.get(0));
            applied.clear();
            applied.addAll(lines.subList(1, lines.size()));
            installs.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {}
}

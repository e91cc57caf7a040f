package org.ablate.tracking.mlflow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.mlflow.api.proto.Service.Metric;

/**
 * Follows a trial's metrics.jsonl as it grows: each call returns the points of the complete lines
 * appended since the last one. The live mirror reads the results store instead of queueing points
 * from the training thread, so logging costs a trial nothing extra and a slow server only delays
 * the mirror, never drops points.
 */
final class MetricsTail {

    private static final int CHUNK = 4 << 20;

    private volatile Path file;
    private long offset;

    MetricsTail(Path file) {
        this.file = file;
    }

    /** The same file, renamed (a staged attempt committed): read on from the same place. */
    void movedTo(Path renamed) {
        this.file = renamed;
    }

    /** The points of the complete lines appended since the last call (at most about 4 MB of them). */
    List<Metric> next() throws IOException {
        Path file = this.file;
        if (!Files.exists(file)) {
            return List.of();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long available = channel.size() - offset;
            if (available <= 0) {
                return List.of();
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(available, CHUNK));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // fill the chunk
            }
            byte[] bytes = buffer.array();
            int end = buffer.position() - 1;
            while (end >= 0 && bytes[end] != '\n') {
                end--; // the last line may still be being written
            }
            if (end < 0) {
                return List.of();
            }
            List<Metric> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= end; i++) {
                if (bytes[i] == '\n') {
                    Metric m = TrialRunContent.point(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    if (m != null) {
                        out.add(m);
                    }
                    start = i + 1;
                }
            }
            offset += end + 1;
            return out;
        }
    }
}

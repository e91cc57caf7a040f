package org.ablate.quantizers.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Mini-batches without replacement within an epoch, in a seeded order. */
class BatchOrderTest {

    @Test
    void everyImageOncePerEpochAcrossBatchBoundaries() {
        VqAutoencoderTask.BatchOrder order = new VqAutoencoderTask.BatchOrder(10, 4, new SplittableRandom(1));
        int[] seen = new int[10];
        // 3 epochs of 10 images = 30 = 7.5 batches: the 8th batch straddles epochs 3 and 4
        int[][] batches = new int[8][];
        for (int b = 0; b < 8; b++) {
            batches[b] = order.next();
            assertEquals(4, batches[b].length);
        }
        int[] flat = Arrays.stream(batches).flatMapToInt(Arrays::stream).toArray();
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] e = Arrays.copyOfRange(flat, epoch * 10, epoch * 10 + 10);
            int[] sorted = e.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted, "epoch " + epoch + ": " + Arrays.toString(e));
            for (int i : e) {
                seen[i]++;
            }
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(flat, 0, 10), Arrays.copyOfRange(flat, 10, 20)), "reshuffled each epoch");
    }

    @Test
    void sameSeedSameOrder() {
        VqAutoencoderTask.BatchOrder a = new VqAutoencoderTask.BatchOrder(50, 7, new SplittableRandom(3));
        VqAutoencoderTask.BatchOrder b = new VqAutoencoderTask.BatchOrder(50, 7, new SplittableRandom(3));
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(a.next(), b.next());
        }
    }
}

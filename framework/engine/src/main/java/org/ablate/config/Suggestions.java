package org.ablate.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "did you mean …?" for misspelt keys and names. */
public final class Suggestions {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private Suggestions() {
    }

    /** The closest candidate within a third of the word's length (at least 2 edits), if any. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        int limit = Math.max(2, word.length() / 3);
        return candidates.stream()
                .filter(c -> DISTANCE.apply(word, c) <= limit || c.startsWith(word) || word.startsWith(c))
                .min(Comparator.comparingInt((String c) -> DISTANCE.apply(word, c)).thenComparing(c -> c));
    }

    /** "; did you mean 'x'?" or "". */
    public static String didYouMean(String word, Collection<String> candidates) {
        return closest(word, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
    }
}

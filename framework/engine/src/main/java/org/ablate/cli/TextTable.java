package org.ablate.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Left-aligned columns separated by two spaces, for terminal tables. Given a width, the columns
 * named wrappable are narrowed and their cells word-wrapped onto continuation lines so that every
 * line fits (unless the other columns alone do not); {@link #withoutLastColumnUnder} moves the
 * last column under each row instead, for text too long to sit in a column.
 */
final class TextTable {

    private static final int MIN_WRAPPED = 12;

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    TextTable(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    TextTable(List<String> header) {
        this(header.toArray(String[]::new));
    }

    void add(List<String> cells) {
        add(cells.toArray(String[]::new));
    }

    void add(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(cells);
    }

    String render() {
        return render(Integer.MAX_VALUE, Set.of());
    }

    /** The widest line of the table without wrapping. */
    int naturalWidth() {
        return render().lines().mapToInt(String::length).max().orElse(0);
    }

    /**
     * The table without its last column, whose cells go under their row instead, word-wrapped at
     * {@code indent} to the width (the header's last cell is dropped).
     */
    String withoutLastColumnUnder(int width, Set<Integer> wrappable, int indent) {
        TextTable front = new TextTable(Arrays.copyOf(rows.get(0), columns - 1));
        rows.subList(1, rows.size()).forEach(r -> front.add(Arrays.copyOf(r, columns - 1)));
        List<String> lines = front.render(width, wrappable).lines().toList();
        // the front table's rows may wrap onto several lines: a row starts where its first cell is not blank
        StringBuilder s = new StringBuilder();
        int row = 0;
        for (int i = 0; i < lines.size(); i++) {
            s.append(lines.get(i)).append('\n');
            boolean rowEnds = i + 1 == lines.size() || !lines.get(i + 1).startsWith(" ".repeat(rows.get(0)[0].length()));
            if (rowEnds) {
                String under = rows.get(row)[columns - 1];
                if (row > 0 && !under.isBlank()) {
                    wrap(under, Math.max(20, width - indent)).forEach(l -> s.append(" ".repeat(indent)).append(l).append('\n'));
                }
                row++;
            }
        }
        return s.toString();
    }

    /** The table within {@code width} characters a line, wrapping the cells of the given columns. */
    String render(int width, Set<Integer> wrappable) {
        int[] w = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        // the last column needs no padding: its width only matters when it wraps
        int total = Arrays.stream(w).sum() + 2 * (columns - 1);
        while (total > width) {
            int widest = -1;
            for (int i : wrappable) {
                if (w[i] > MIN_WRAPPED && (widest < 0 || w[i] > w[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                break; // the fixed columns alone are too wide: let the lines overflow
            }
            w[widest]--;
            total--;
        }
        StringBuilder s = new StringBuilder();
        for (String[] r : rows) {
            List<List<String>> cells = new ArrayList<>();
            int height = 1;
            for (int i = 0; i < columns; i++) {
                List<String> lines = wrappable.contains(i) ? wrap(r[i], w[i]) : List.of(r[i]);
                cells.add(lines);
                height = Math.max(height, lines.size());
            }
            for (int line = 0; line < height; line++) {
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    String cell = line < cells.get(i).size() ? cells.get(i).get(line) : "";
                    out.append(cell);
                    if (i < columns - 1) {
                        out.append(" ".repeat(Math.max(0, w[i] - cell.length()) + 2));
                    }
                }
                s.append(out.toString().stripTrailing()).append('\n');
            }
        }
        return s.toString();
    }

    /** Word-wraps text to lines of at most width characters; a longer word is cut. */
    static List<String> wrap(String text, int width) {
        return wrap(text, width, width);
    }

    /** Word-wraps text: the first line at most {@code first} characters, the others {@code rest}. */
    static List<String> wrap(String text, int first, int rest) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            while (word.length() > (lines.isEmpty() ? first : rest)) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                int width = lines.isEmpty() ? first : rest;
                int cut = breakPoint(word, width);
                lines.add(word.substring(0, cut));
                word = word.substring(cut);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > (lines.isEmpty() ? first : rest)) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!word.isEmpty()) {
                line.append(line.length() > 0 ? " " : "").append(word);
            }
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Where to cut a word too long for a line: after its last '/', ',' or '-' in the second half, else at the width. */
    private static int breakPoint(String word, int width) {
        for (int i = width; i > width / 2; i--) {
            char c = word.charAt(i - 1);
            if (c == '/' || c == ',' || c == '-') {
                return i;
            }
        }
        return width;
    }
}

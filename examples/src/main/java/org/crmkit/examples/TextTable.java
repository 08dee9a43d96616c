package org.crmkit.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the console: a header, rows, columns padded to their widest cell;
 * numbers (columns marked right-aligned) line up on the right.
 */
final class TextTable {
    private final List<String> header;
    private final boolean[] right;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * A table; a header starting with {@code >} is right-aligned (the marker is dropped).
     *
     * @param header the column titles
     */
    TextTable(String... header) {
        this.header = new ArrayList<>();
        this.right = new boolean[header.length];
        for (int i = 0; i < header.length; i++) {
            right[i] = header[i].startsWith(">");
            this.header.add(right[i] ? header[i].substring(1) : header[i]);
        }
    }

    TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells in a table of " + header.size()
                    + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? "-" : c.toString());
        }
        rows.add(row);
        return this;
    }

    @Override
    public String toString() {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        for (int i = 0; i < width.length; i++) {
            sb.append(i == 0 ? "  " : "  ").append("-".repeat(width[i]));
        }
        sb.append(System.lineSeparator());
        for (List<String> r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - c.length());
            line.append("  ").append(right[i] ? pad + c : c + pad);
        }
        sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
}

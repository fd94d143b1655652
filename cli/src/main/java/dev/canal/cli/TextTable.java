package dev.canal.cli;

import java.io.PrintWriter;
import java.util.List;

/** docker's tables ({@code images}, {@code ps}): columns padded to their widest cell plus three spaces, like Go's tabwriter. */
public final class TextTable {

    private TextTable() {}

    /** Prints {@code rows}, the header first; every row has the same number of cells. */
    public static void print(List<String[]> rows, PrintWriter out) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            var line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 3) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}

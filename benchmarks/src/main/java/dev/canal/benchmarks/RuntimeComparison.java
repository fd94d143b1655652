package dev.canal.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Turns benchmarks/compare.sh's samples ({@code samples.tsv}: config, scenario, runtime and
 * milliseconds per line, canal-oci and runc alternating) into {@code compare.md}, a markdown
 * table of medians and their ratio, and {@code compare.png}, a bar chart of the medians on a
 * logarithmic scale drawn with Java2D, so no plotting library is needed. Usage:
 * {@code RuntimeComparison OUTPUT-DIRECTORY}
 */
public final class RuntimeComparison {

    private static final Color[] BAR_COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x999999)
    };
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 600;
    private static final int MARGIN = 70;
    /** The runtime the others are divided by in the table's ratio column. */
    private static final String REFERENCE = "runc";

    private RuntimeComparison() {}

    /** One runtime's samples for one scenario on one config, in milliseconds, sorted. */
    record Timing(String runtime, double[] sorted) {

        double median() {
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        double mean() {
            return Arrays.stream(sorted).average().orElse(Double.NaN);
        }

        double stddev() {
            double mean = mean();
            return Math.sqrt(
                    Arrays.stream(sorted).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, sorted.length - 1));
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: RuntimeComparison OUTPUT-DIRECTORY");
        }
        Path output = Path.of(args[0]);
        Map<String, List<Timing>> groups = read(output.resolve("samples.tsv"));
        Files.writeString(output.resolve("compare.md"), table(groups));
        ImageIO.write(chart(groups), "png", output.resolve("compare.png").toFile());
    }

    /** The samples by "CONFIG SCENARIO", in the order they first appear, then by runtime. */
    static Map<String, List<Timing>> read(Path samples) throws IOException {
        Map<String, Map<String, List<Double>>> byGroup = new LinkedHashMap<>();
        for (String line : Files.readAllLines(samples)) {
            String[] fields = line.split("\t");
            if (fields.length != 4) {
                throw new IllegalArgumentException(samples + ": not CONFIG, SCENARIO, RUNTIME, MS: " + line);
            }
            byGroup.computeIfAbsent(fields[0] + " " + fields[1], group -> new LinkedHashMap<>())
                    .computeIfAbsent(fields[2], runtime -> new ArrayList<>())
                    .add(Double.parseDouble(fields[3]));
        }
        Map<String, List<Timing>> groups = new LinkedHashMap<>();
        byGroup.forEach((group, runtimes) -> groups.put(
                group,
                runtimes.entrySet().stream()
                        .map(e -> new Timing(
                                e.getKey(),
                                e.getValue().stream()
                                        .mapToDouble(Double::doubleValue)
                                        .sorted()
                                        .toArray()))
                        .toList()));
        return groups;
    }

    static String table(Map<String, List<Timing>> groups) {
        var text = new StringBuilder("| config | scenario | runtime | median | / " + REFERENCE
                + " | mean ± σ | min | max | runs |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        groups.forEach((group, timings) -> {
            double reference = timings.stream()
                    .filter(t -> t.runtime().equals(REFERENCE))
                    .mapToDouble(Timing::median)
                    .findFirst()
                    .orElse(Double.NaN);
            for (Timing t : timings) {
                text.append(String.format(
                        "| %s | %s | %.1f ms | %.1f | %.1f ± %.1f ms | %.1f ms | %.1f ms | %d |%n",
                        group.replace(" ", " | "),
                        t.runtime(),
                        t.median(),
                        t.median() / reference,
                        t.mean(),
                        t.stddev(),
                        t.sorted()[0],
                        t.sorted()[t.sorted().length - 1],
                        t.sorted().length));
            }
        });
        return text.toString();
    }

    /**
     * Grouped bars: one group per config and scenario, one bar per runtime, height the median on a
     * logarithmic scale (runc's few milliseconds and a JVM's seconds on one chart), labelled in ms.
     */
    static BufferedImage chart(Map<String, List<Timing>> groups) {
        var image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double highest = groups.values().stream()
                .flatMap(List::stream)
                .mapToDouble(Timing::median)
                .max()
                .orElse(1);
        int decades = Math.max(1, (int) Math.ceil(Math.log10(highest * 1.5)));
        int plotHeight = HEIGHT - 2 * MARGIN - 20;
        int baseline = HEIGHT - MARGIN - 20;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(
                "canal-oci and runc: median wall time (ms, logarithmic scale, lower is better)",
                MARGIN,
                MARGIN / 2 + 6);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(1));
        g.drawLine(MARGIN, baseline, WIDTH - MARGIN, baseline);
        g.drawLine(MARGIN, baseline - plotHeight, MARGIN, baseline);
        for (int decade = 0; decade <= decades; decade++) {
            int y = baseline - plotHeight * decade / decades;
            g.setColor(new Color(0xdddddd));
            g.drawLine(MARGIN + 1, y, WIDTH - MARGIN, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", Math.pow(10, decade)), 10, y + 5);
        }
        int groupWidth = (WIDTH - 2 * MARGIN) / Math.max(1, groups.size());
        List<String> runtimes = new ArrayList<>();
        int group = 0;
        for (Map.Entry<String, List<Timing>> entry : groups.entrySet()) {
            List<Timing> timings = entry.getValue();
            int barWidth = (groupWidth - 12) / Math.max(1, timings.size());
            int x = MARGIN + group * groupWidth + 6;
            for (Timing timing : timings) {
                if (!runtimes.contains(timing.runtime())) {
                    runtimes.add(timing.runtime());
                }
                double scaled = Math.max(0, Math.log10(Math.max(1, timing.median())) / decades);
                int height = (int) Math.round(plotHeight * scaled);
                g.setColor(BAR_COLORS[runtimes.indexOf(timing.runtime()) % BAR_COLORS.length]);
                g.fillRect(x, baseline - height, barWidth - 3, height);
                g.setColor(Color.BLACK);
                g.drawString(String.format("%.0f", timing.median()), x, baseline - height - 4);
                x += barWidth;
            }
            String[] label = entry.getKey().split(" ", 2);
            int left = MARGIN + group * groupWidth + 6;
            g.drawString(label[1], left, baseline + 16);
            g.drawString(label[0], left, baseline + 32);
            group++;
        }
        for (int i = 0; i < runtimes.size(); i++) {
            g.setColor(BAR_COLORS[i % BAR_COLORS.length]);
            g.fillRect(WIDTH - MARGIN - 120, MARGIN + i * 20, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(runtimes.get(i), WIDTH - MARGIN - 100, MARGIN + i * 20 + 12);
        }
        g.dispose();
        return image;
    }
}

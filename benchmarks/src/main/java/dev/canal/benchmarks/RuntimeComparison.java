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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns benchmarks/compare.sh's hyperfine exports ({@code SCENARIO.json}, one per scenario,
 * each with a result per runtime) into {@code compare.md}, a markdown table, and
 * {@code compare.png}, a bar chart of the medians drawn with Java2D, so no plotting library is
 * needed. Usage: {@code RuntimeComparison OUTPUT-DIRECTORY SCENARIO...}
 */
public final class RuntimeComparison {

    private static final Color[] BAR_COLORS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x999999)
    };
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final int MARGIN = 70;

    private RuntimeComparison() {}

    /** One runtime's times for one scenario, in milliseconds. */
    record Timing(String runtime, double mean, double stddev, double median, double min, double max, int runs) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: RuntimeComparison OUTPUT-DIRECTORY SCENARIO...");
        }
        Path output = Path.of(args[0]);
        Map<String, List<Timing>> scenarios = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            scenarios.put(args[i], read(output.resolve(args[i] + ".json")));
        }
        Files.writeString(output.resolve("compare.md"), table(scenarios));
        ImageIO.write(chart(scenarios), "png", output.resolve("compare.png").toFile());
    }

    private static List<Timing> read(Path export) throws IOException {
        JsonNode results = new ObjectMapper().readTree(Files.readString(export)).get("results");
        if (results == null || !results.isArray()) {
            throw new IllegalArgumentException(export + ": not a hyperfine JSON export (no \"results\" array)");
        }
        List<Timing> timings = new ArrayList<>();
        for (JsonNode result : results) {
            timings.add(new Timing(
                    result.get("command").asString(),
                    ms(result, "mean"),
                    ms(result, "stddev"),
                    ms(result, "median"),
                    ms(result, "min"),
                    ms(result, "max"),
                    result.get("times").size()));
        }
        return timings;
    }

    private static double ms(JsonNode result, String field) {
        return result.get(field).asDouble() * 1000;
    }

    static String table(Map<String, List<Timing>> scenarios) {
        var text = new StringBuilder(
                "| scenario | runtime | median | mean ± σ | min | max | runs |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        scenarios.forEach((scenario, timings) -> {
            for (Timing t : timings) {
                text.append(String.format(
                        "| %s | %s | %.1f ms | %.1f ± %.1f ms | %.1f ms | %.1f ms | %d |%n",
                        scenario, t.runtime(), t.median(), t.mean(), t.stddev(), t.min(), t.max(), t.runs()));
            }
        });
        return text.toString();
    }

    /** Grouped bars: one group per scenario, one bar per runtime, height the median, labelled in ms. */
    static BufferedImage chart(Map<String, List<Timing>> scenarios) {
        var image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double top = scenarios.values().stream()
                        .flatMap(List::stream)
                        .mapToDouble(Timing::median)
                        .max()
                        .orElse(1)
                * 1.15;
        int plotHeight = HEIGHT - 2 * MARGIN;
        int baseline = HEIGHT - MARGIN;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("canal-oci, runc and crun: median wall time (ms, lower is better)", MARGIN, MARGIN / 2 + 6);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setStroke(new BasicStroke(1));
        g.drawLine(MARGIN, baseline, WIDTH - MARGIN, baseline);
        g.drawLine(MARGIN, MARGIN, MARGIN, baseline);
        for (int tick = 0; tick <= 4; tick++) {
            int y = baseline - plotHeight * tick / 4;
            g.setColor(new Color(0xdddddd));
            g.drawLine(MARGIN + 1, y, WIDTH - MARGIN, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", top * tick / 4), 10, y + 5);
        }
        int groupWidth = (WIDTH - 2 * MARGIN) / scenarios.size();
        List<String> runtimes = new ArrayList<>();
        int group = 0;
        for (Map.Entry<String, List<Timing>> scenario : scenarios.entrySet()) {
            List<Timing> timings = scenario.getValue();
            int barWidth = (groupWidth - 40) / Math.max(1, timings.size());
            int x = MARGIN + group * groupWidth + 20;
            for (Timing timing : timings) {
                if (!runtimes.contains(timing.runtime())) {
                    runtimes.add(timing.runtime());
                }
                int height = (int) Math.round(plotHeight * timing.median() / top);
                g.setColor(BAR_COLORS[runtimes.indexOf(timing.runtime()) % BAR_COLORS.length]);
                g.fillRect(x, baseline - height, barWidth - 6, height);
                g.setColor(Color.BLACK);
                g.drawString(String.format("%.1f", timing.median()), x, baseline - height - 4);
                x += barWidth;
            }
            g.drawString(scenario.getKey(), MARGIN + group * groupWidth + groupWidth / 2 - 25, baseline + 20);
            group++;
        }
        int legendX = WIDTH - MARGIN - 180;
        for (int i = 0; i < runtimes.size(); i++) {
            g.setColor(BAR_COLORS[i % BAR_COLORS.length]);
            g.fillRect(legendX, MARGIN + i * 20, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(runtimes.get(i), legendX + 20, MARGIN + i * 20 + 12);
        }
        g.dispose();
        return image;
    }
}

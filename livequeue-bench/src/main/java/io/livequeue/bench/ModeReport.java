package io.livequeue.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The report of a direct mode (queue-only, pickup), in the same two files as the end-to-end one ({@code bench.json},
 * {@code bench.md}) and named by its mode: a row of figures, a table of timing percentiles in milliseconds with
 * microsecond decimals (idle pickups take well under a millisecond), and notes on what the figures mean.
 */
final class ModeReport {

    private static final String[] NAMES = {"p50", "p90", "p99", "p99.9", "max"};
    private static final double[] AT = {0.50, 0.90, 0.99, 0.999, 1.0};

    private final StringBuilder json = new StringBuilder();
    private final List<String> headers = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private final StringBuilder timings = new StringBuilder();
    private final List<String> notes = new ArrayList<>();
    private final String title;
    private final String options;

    ModeReport(String mode, String options) {
        this.title = "livequeue bench: " + mode;
        this.options = options;
        json.append("{\"mode\":\"").append(mode).append("\",\"options\":\"").append(escape(options)).append('"');
    }

    ModeReport count(String key, String header, long value) {
        json.append(",\"").append(key).append("\":").append(value);
        headers.add(header);
        values.add(String.format(Locale.ROOT, "%,d", value));
        return this;
    }

    ModeReport number(String key, String header, double value, int decimals) {
        json.append(",\"").append(key).append("\":").append(String.format(Locale.ROOT, "%." + decimals + "f", value));
        headers.add(header);
        values.add(String.format(Locale.ROOT, "%,." + decimals + "f", value));
        return this;
    }

    /** Percentiles of {@code nanos} (unsorted, any length) as {@code "<key>Ms":{"p50":…,"count":n}} and a row. */
    ModeReport timing(String key, String label, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        json.append(",\"").append(key).append("Ms\":{\"count\":").append(sorted.length);
        timings.append("| ").append(label).append(" | ").append(sorted.length).append(" |");
        for (int i = 0; i < NAMES.length; i++) {
            double ms = sorted.length == 0 ? 0
                    : sorted[Math.min(sorted.length - 1, (int) Math.ceil(AT[i] * sorted.length) - 1)] / 1e6;
            json.append(String.format(Locale.ROOT, ",\"%s\":%.3f", NAMES[i], ms));
            timings.append(String.format(Locale.ROOT, " %.3f |", ms));
        }
        json.append('}');
        timings.append('\n');
        return this;
    }

    ModeReport note(String text) {
        notes.add(text);
        return this;
    }

    /** Writes both files and returns the Markdown, which is also the printed summary. */
    String write(Path out) throws IOException {
        StringBuilder md = new StringBuilder("## " + title + "\n\n" + options + "\n\n");
        md.append("| ").append(String.join(" | ", headers)).append(" |\n|");
        md.append(" --- |".repeat(headers.size())).append("\n| ").append(String.join(" | ", values)).append(" |\n");
        if (!timings.isEmpty()) {
            md.append("\n| timing | samples | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n")
                    .append("| --- | --- | --- | --- | --- | --- | --- |\n").append(timings);
        }
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(note -> md.append(note).append("\n\n"));
            md.setLength(md.length() - 1);
        }
        json.append(",\"notes\":[");
        for (int i = 0; i < notes.size(); i++) {
            json.append(i == 0 ? "\"" : ",\"").append(escape(notes.get(i))).append('"');
        }
        json.append("]}\n");
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench.json"), json);
        Files.writeString(out.resolve("bench.md"), md);
        return md.toString();
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

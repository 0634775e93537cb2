package io.livequeue.consumer.handler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * What a job's result, its error and the logs may show of the personal data in its payload. A payload is the
 * sender's data: it is never logged, and an error message stored with a job (and published with its events) is cleared
 * of it, since an exception's message often quotes its input. Handlers use {@link #phone} for the numbers they put in a
 * result or a log line.
 */
public final class Redact {

    /** Payload strings and numbers at least this long are cut out of error messages. */
    static final int MIN_LENGTH = 4;
    private static final String CUT = "…";
    private static final int MAX_VALUES = 1000;

    private Redact() {
    }

    /**
     * A phone number with most of its digits hidden, keeping only what lets a person recognise it: the plus, the first
     * two digits (the country code or its start) and the last four when it has 11 digits or more, as
     * {@code +44******1234}; only the last two when it has 7 to 10 ({@code +*******34}); none below that. At least five
     * digits are always hidden; non-digits (spaces, dashes) are dropped. Null stays null.
     */
    public static String phone(String number) {
        if (number == null) {
            return null;
        }
        String digits = number.replaceAll("[^0-9]", "");
        int n = digits.length();
        int head = n >= 11 ? 2 : 0;
        int tail = n >= 11 ? 4 : n >= 7 ? 2 : 0;
        return (number.startsWith("+") ? "+" : "") + digits.substring(0, head) + "*".repeat(n - head - tail)
                + digits.substring(n - tail);
    }

    /**
     * {@code text} (an error message) without the payload's content: every string and number of the payload of at
     * least {@value #MIN_LENGTH} characters that it quotes is replaced by "…".
     */
    public static String payloadFrom(String text, JsonNode payload) {
        if (text == null || payload == null || payload.isNull() || payload.isMissingNode()) {
            return text;
        }
        List<String> values = new ArrayList<>();
        collect(payload, values);
        values.sort(Comparator.comparingInt(String::length).reversed()); // "+4915…" before a part of it
        String redacted = text;
        for (String value : values) {
            redacted = redacted.replace(value, CUT);
        }
        return redacted;
    }

    private static void collect(JsonNode node, List<String> values) {
        if (values.size() >= MAX_VALUES) {
            return;
        }
        if (node.isTextual() || node.isNumber()) {
            String value = node.asText();
            if (value.length() >= MIN_LENGTH) {
                values.add(value);
            }
            return;
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) { // values, not field names
            collect(children.next(), values);
        }
    }
}

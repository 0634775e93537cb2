package io.livequeue.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads event envelopes exactly as {@code prelude.lua} (or {@link EventMessage#format}) writes them, field by field
 * in their fixed order, without a JSON parser. A gateway reads every status change of every job, and a general parser
 * was two fifths of its CPU; this scan costs a fraction of that. Anything shaped otherwise (escapes in a name, a
 * field out of order, a truncated message) gives {@code null}, and {@link EventMessage} then reads the text with
 * Jackson, which either accepts it or says what is wrong. The scan checks the envelope field by field but the event
 * only for balanced braces and quotes: the event is JSON the scripts wrote, which a gateway forwards as it is. A status
 * this version does not know (a newer release's) is read as {@link JobStatus#UNKNOWN}, so that its envelope is routed
 * like any other (see {@link EventMessage}); reading a status cuts nothing out of the text.
 */
final class EnvelopeScan {

    private final String text;
    private int at;

    private EnvelopeScan(String text) {
        this.text = text;
    }

    /** Every envelope of a message (one object, or an array of them), or null when the text is not shaped so. */
    static List<EventMessage> all(String text) {
        EnvelopeScan scan = new EnvelopeScan(text);
        if (!scan.skip("[")) {
            EventMessage one = scan.envelope();
            return one != null && scan.at == text.length() ? List.of(one) : null;
        }
        List<EventMessage> messages = new ArrayList<>();
        do {
            EventMessage next = scan.envelope();
            if (next == null) {
                return null;
            }
            messages.add(next);
        } while (scan.skip(","));
        return scan.skip("]") && scan.at == text.length() ? messages : null;
    }

    private EventMessage envelope() {
        if (!skip("{\"v\":")) {
            return null;
        }
        long version = number();
        String id = skip(",\"id\":\"") ? name() : null;
        JobStatus status = id != null && skip(",\"status\":\"") ? status() : null;
        if (version < 0 || status == null || !skip(",\"replyTo\":")) {
            return null;
        }
        String replyTo = null;
        if (skip("\"")) {
            replyTo = name();
            if (replyTo == null) {
                return null;
            }
        } else if (!skip("null")) {
            return null;
        }
        long createdAt = 0;
        long startedAt = 0;
        long finishedAt = 0;
        if (skip(",\"createdAt\":")) {
            createdAt = number();
            startedAt = skip(",\"startedAt\":") ? number() : -1;
            finishedAt = skip(",\"finishedAt\":") ? number() : -1;
            if (createdAt < 0 || startedAt < 0 || finishedAt < 0) {
                return null;
            }
        }
        if (!skip(",\"event\":")) {
            return null;
        }
        int start = at;
        if (!object() || !skip("}")) {
            return null;
        }
        // the event ends just before the envelope's closing brace
        return new EventMessage(version, id, status, replyTo, createdAt, startedAt, finishedAt,
                text.substring(start, at - 1));
    }

    private boolean skip(String expected) {
        if (text.startsWith(expected, at)) {
            at += expected.length();
            return true;
        }
        return false;
    }

    /** A non-negative integer, or -1. */
    private long number() {
        int start = at;
        long value = 0;
        while (at < text.length() && at - start < 18 && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            value = value * 10 + (text.charAt(at++) - '0');
        }
        return at == start ? -1 : value;
    }

    /**
     * The rest of a status string, after its closing quote: the status of that name, {@link JobStatus#UNKNOWN} for
     * any other name without escapes (a newer release's status, forwarded as it is), or null. Cuts nothing out.
     */
    private JobStatus status() {
        JobStatus known = JobStatus.atQuoted(text, at);
        if (known != null) {
            at += known.wireName().length() + 1;
            return known;
        }
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return JobStatus.UNKNOWN;
            }
            if (c == '\\') {
                return null;
            }
        }
        return null;
    }

    /** The rest of a string without escapes (ids, inboxes), after its closing quote; or null. */
    private String name() {
        int start = at;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return text.substring(start, at - 1);
            }
            if (c == '\\') {
                return null;
            }
        }
        return null;
    }

    /** Skips a JSON object, strings and nested values included; false if the text ends first. */
    private boolean object() {
        if (!skip("{")) {
            return false;
        }
        int depth = 1;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                while (at < text.length() && text.charAt(at) != '"') {
                    at += text.charAt(at) == '\\' ? 2 : 1;
                }
                at++;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return c == '}';
            }
        }
        return false;
    }
}

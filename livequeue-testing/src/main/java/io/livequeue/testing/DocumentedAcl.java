package io.livequeue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Redis ACL user that operators are told to create, read from {@code docs/redis-acl.conf} itself, so that tests
 * run livequeue as exactly that user and the documented line cannot drift from what the code needs.
 */
public final class DocumentedAcl {

    /** The user name the document defines. */
    public static final String USER = "livequeue";
    /** Where the document is, from the project root. */
    public static final String PATH = "docs/redis-acl.conf";

    private static final String DEFAULT_PREFIX = "livequeue";

    private DocumentedAcl() {
    }

    /** The rules of the user, as documented (key prefix {@code livequeue}, no password). */
    public static String rules() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file()).stream().filter(line -> line.startsWith("user " + USER + " ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lines.size() != 1) {
            throw new IllegalStateException(PATH + " must define user " + USER + " on exactly one line, has " + lines);
        }
        return lines.get(0).substring(("user " + USER + " ").length()).strip();
    }

    /**
     * The line of an ACL file that creates the user for an installation whose key prefix is {@code keyPrefix}, with
     * {@code password}: the documented rules with the key and channel patterns moved to the prefix, as the document
     * tells operators to do.
     */
    public static String line(String keyPrefix, String password) {
        String rules = rules();
        String keys = "~" + DEFAULT_PREFIX + ":*";
        String channels = "&" + DEFAULT_PREFIX + ":*";
        if (!rules.contains(keys + " ") || !rules.contains(channels + " ")) {
            throw new IllegalStateException(PATH + ": the rules must hold " + keys + " and " + channels + ": " + rules);
        }
        return "user " + USER + " " + rules.replace(keys, "~" + keyPrefix + ":*")
                .replace(channels, "&" + keyPrefix + ":*") + " >" + password;
    }

    /** The document: under {@code livequeue.root} (the project root) if set, else the nearest above the working dir. */
    public static Path file() {
        String root = System.getProperty("livequeue.root");
        if (root != null) {
            return Path.of(root).resolve(PATH);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(PATH))) {
                return dir.resolve(PATH);
            }
        }
        throw new IllegalStateException(PATH + " not found above " + Path.of("").toAbsolutePath());
    }
}

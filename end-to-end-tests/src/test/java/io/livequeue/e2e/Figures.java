package io.livequeue.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends measured figures to {@code target/reliability.md}, so a run leaves its numbers for the README. */
final class Figures {

    private static final Path FILE = Path.of("target/reliability.md");

    private Figures() {
    }

    static void record(String scenario, String figures) {
        String line = "| " + scenario + " | " + figures + " |\n";
        System.out.print("[figures] " + line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package com.aicredits.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's quick start, read from README.md itself: each block follows its marker comment
 * ({@code <!-- quick-start:commands -->}, {@code <!-- quick-start:examples -->}) as a fenced {@code sh} block. The
 * stack prints the examples from here, and a test runs both blocks as written, so neither can drift from the other.
 */
public final class QuickStart {
    public static final String COMMANDS = "quick-start:commands";
    public static final String EXAMPLES = "quick-start:examples";
    /** The port the README's examples are written for; the stack prints them for the port it listens on. */
    public static final int README_PORT = 3000;

    private QuickStart() {
    }

    /** The lines of the fenced block after {@code <!-- marker -->} in {@code readme}. */
    public static List<String> block(String readme, String marker) {
        List<String> lines = readme.lines().toList();
        int at = lines.indexOf("<!-- " + marker + " -->");
        if (at < 0 || at + 1 >= lines.size() || !lines.get(at + 1).startsWith("```")) {
            throw new IllegalStateException("README.md has no <!-- " + marker + " --> followed by a fenced block");
        }
        List<String> block = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
            block.add(lines.get(i));
        }
        return block;
    }

    /** The README's examples for a stack on {@code port}, or a pointer to them when the README cannot be read. */
    static String examples(Path repositoryRoot, int port) {
        try {
            String readme = Files.readString(repositoryRoot.resolve("README.md"));
            return String.join("\n", block(readme, EXAMPLES)).replace("127.0.0.1:" + README_PORT, "127.0.0.1:" + port) + "\n";
        } catch (IOException | IllegalStateException e) {
            return "(see README.md, \"Quick start\": " + e.getMessage() + ")\n";
        }
    }
}

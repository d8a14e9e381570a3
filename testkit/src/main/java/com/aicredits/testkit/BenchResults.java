package com.aicredits.testkit;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code make bench}. Every bench, whichever JVM runs it, appends its rows to one file under the
 * repository's {@code target/}; the last step writes them all to {@code target/bench.json} and prints the table.
 */
public final class BenchResults {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One measurement: {@code section} orders the table, {@code result} is what it prints, {@code target} is the
     * issue's target (null when there is none) and {@code met} whether the result meets it; {@code figures} are the
     * numbers behind the result, for the JSON.
     */
    public record Row(String section, String measurement, String result, String target, Boolean met, Map<String, Object> figures) {
        public Row {
            figures = figures == null ? Map.of() : new LinkedHashMap<>(figures);
        }

        public static Row of(String section, String measurement, String result) {
            return new Row(section, measurement, result, null, null, Map.of());
        }

        public Row withTarget(String target, boolean met) {
            return new Row(section, measurement, result, target, met, figures);
        }

        public Row withFigures(Map<String, Object> figures) {
            return new Row(section, measurement, result, target, met, figures);
        }
    }

    private BenchResults() {
    }

    /** {@code target/} of the repository (where template.yaml is). */
    public static Path directory() {
        return CloudFormationTemplate.find().getParent().resolve("target");
    }

    public static Path rowsFile() {
        return directory().resolve("bench-rows.jsonl");
    }

    public static synchronized void add(Row row) {
        try {
            Files.createDirectories(directory());
            Files.writeString(rowsFile(), JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(row) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Row> all() {
        Path file = rowsFile();
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(JSON.readValue(line, Row.class));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String json(List<Row> rows) {
        try {
            return JSON.writeValueAsString(Map.of("rows", rows));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The markdown table: measurement, result, target, met. */
    public static String table(List<Row> rows) {
        StringBuilder table = new StringBuilder("| measurement | result | target | met |\n|---|---|---|---|\n");
        for (Row row : rows) {
            table.append("| ").append(cell(row.measurement())).append(" | ").append(cell(row.result())).append(" | ")
                    .append(row.target() == null ? "–" : cell(row.target())).append(" | ")
                    .append(row.met() == null ? "–" : row.met() ? "yes" : "**no**").append(" |\n");
        }
        return table.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}

package com.aicredits.bench;

import com.aicredits.testkit.BenchResults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/** Each function's Lambda jar: its size, and that no Apache or Netty HTTP client went into it. */
final class JarSizes {
    private static final List<String> FORBIDDEN = List.of("software/amazon/awssdk/http/apache", "org/apache/hc/",
            "org/apache/http/", "io/netty/", "software/amazon/awssdk/http/nio/netty");

    private JarSizes() {
    }

    static void run() {
        Map<String, Object> sizes = new LinkedHashMap<>();
        Map<String, List<String>> clients = new LinkedHashMap<>();
        try (Stream<Path> modules = Files.list(DeployedFunction.repository().resolve("functions"))) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                String name = module.getFileName().toString();
                Path jar = DeployedFunction.lambdaJar(name);
                sizes.put(name, Math.round(Files.size(jar) / 1e5) / 10.0);
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    List<String> found = zip.stream().map(e -> e.getName())
                            .filter(entry -> FORBIDDEN.stream().anyMatch(entry::startsWith)).limit(3).toList();
                    if (!found.isEmpty()) {
                        clients.put(name, found);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String result = sizes.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " MB").reduce((a, b) -> a + ", " + b)
                .orElse("no jars") + (clients.isEmpty() ? "; no Apache or Netty HTTP client in any" : "; HTTP clients found: " + clients);
        BenchResults.add(BenchResults.Row.of("jar", "Lambda jar sizes (functions/*/target/*-lambda.jar)", result)
                .withTarget("URLConnection client only: no Apache or Netty", clients.isEmpty())
                .withFigures(Map.of("megabytes", sizes, "httpClientsFound", clients)));
    }
}

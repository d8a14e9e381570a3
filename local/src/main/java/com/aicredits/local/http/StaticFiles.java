package com.aicredits.local.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The overview page's folder served as it is, the way S3 and CloudFront would: {@code /} is {@code index.html}, any
 * other path names a file of the folder. Read from disk on each request, so an edit shows on the next reload.
 */
public final class StaticFiles {
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");
    /** Plain names in plain folders: no dot-files, no {@code ..}, nothing a decoder could turn into something else. */
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");

    public record File(String contentType, byte[] content) {
    }

    private final Path root;

    public StaticFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The file a GET of {@code rawPath} serves, if the folder has one (and it is of a type we serve). */
    public Optional<File> find(String rawPath) {
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        if (path.equals("/")) {
            path = "/index.html";
        }
        if (!SAFE_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        Path file = root.resolve(path.substring(1)).normalize();
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String contentType = CONTENT_TYPES.get(extension);
        if (contentType == null || !file.startsWith(root) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new File(contentType, Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

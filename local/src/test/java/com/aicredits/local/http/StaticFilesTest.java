package com.aicredits.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {
    @TempDir
    Path folder;

    @Test
    void theRootIsTheIndexAndFilesCarryTheirTypeInSubfoldersToo() throws Exception {
        Files.writeString(folder.resolve("index.html"), "<!doctype html>");
        Files.writeString(Files.createDirectories(folder.resolve("js")).resolve("main.js"), "export {};");
        StaticFiles files = new StaticFiles(folder);

        assertThat(files.find("/")).hasValueSatisfying(file -> {
            assertThat(file.contentType()).isEqualTo("text/html; charset=utf-8");
            assertThat(new String(file.content())).isEqualTo("<!doctype html>");
        });
        assertThat(files.find("/js/main.js")).hasValueSatisfying(file ->
                assertThat(file.contentType()).isEqualTo("text/javascript; charset=utf-8"));
        assertThat(files.find("/missing.css")).isEmpty();
    }

    @Test
    void nothingOutsideTheFolderNorHiddenNorOfAnUnknownType() throws Exception {
        Path inside = Files.createDirectories(folder.resolve("page"));
        Files.writeString(folder.resolve("secret.json"), "{}");
        Files.writeString(inside.resolve(".env"), "KEY=1");
        Files.writeString(inside.resolve("notes.sh"), "echo");
        StaticFiles files = new StaticFiles(inside);

        assertThat(files.find("/../secret.json")).isEmpty();
        assertThat(files.find("/%2e%2e/secret.json")).isEmpty();
        assertThat(files.find("/..%2fsecret.json")).isEmpty();
        assertThat(files.find("/.env")).isEmpty();
        assertThat(files.find("/notes.sh")).isEmpty();
        assertThat(files.find("//etc/passwd")).isEmpty();
    }
}

package com.aicredits.system.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.aicredits.local.OverviewVendor;
import com.aicredits.local.http.StaticFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The overview page stays static files a browser loads as they are: its scripts are native ES modules reached from
 * index.html's module script by relative imports, each one a file the folder serves as JavaScript (browsers refuse a
 * module of another type), short, and without cycles between them, so no build step is ever needed. The one
 * third-party module, the OIDC client {@link OverviewVendor} copies into {@code /vendor/} (git-ignored), is not ours to
 * shape: it is only checked to be the one the lockfile pins.
 */
class OverviewModulesTest {

    private static final Path OVERVIEW = CloudFormationTemplate.find().toAbsolutePath().getParent().resolve("overview");
    /** Long enough for the longest module today; a module that grows past it wants splitting. */
    private static final int MOST_LINES = 250;
    private static final Pattern MODULE_SCRIPT = Pattern.compile("<script type=\"module\" src=\"([^\"]+)\"></script>");
    private static final Pattern CLASSIC_SCRIPT = Pattern.compile("<script src=\"([^\"]+)\"></script>");
    /** {@code import … from "x"}, {@code export … from "x"} and {@code import "x"} at a line's start. */
    private static final Pattern IMPORT = Pattern.compile(
            "^(?:(?:import|export)\\s[^'\";]*?\\bfrom\\s*|import\\s*)[\"']([^\"']+)[\"']", Pattern.MULTILINE);

    /** Every module reached from the page's module scripts (path under overview/, with a leading slash) → its imports. */
    private static final Map<String, List<String>> IMPORTS = new LinkedHashMap<>();
    private static final String VENDOR_MODULE = "/vendor/" + OverviewVendor.MODULE;

    @BeforeAll
    static void readModules() throws IOException {
        List<String> pending = new ArrayList<>();
        Matcher entries = MODULE_SCRIPT.matcher(Files.readString(OVERVIEW.resolve("index.html")));
        while (entries.find()) {
            pending.add(resolve("/index.html", entries.group(1)));
        }
        assertThat(pending).as("index.html's module scripts").isNotEmpty();
        while (!pending.isEmpty()) {
            String module = pending.removeLast();
            if (IMPORTS.containsKey(module)) {
                continue;
            }
            if (module.startsWith("/vendor/")) {
                assertThat(module).as("the page's only third-party module").isEqualTo(VENDOR_MODULE);
                IMPORTS.put(module, List.of());
                continue;
            }
            Path file = OVERVIEW.resolve(module.substring(1));
            assertThat(file).as("module " + module).isRegularFile();
            List<String> imports = new ArrayList<>();
            Matcher found = IMPORT.matcher(Files.readString(file));
            while (found.find()) {
                assertThat(found.group(1)).as("an import of " + module + " (no bare names: there is no bundler)")
                        .startsWith(".");
                imports.add(resolve(module, found.group(1)));
            }
            IMPORTS.put(module, imports);
            pending.addAll(imports);
        }
    }

    @Test
    void everyScriptIsServedAsJavaScript() throws IOException {
        StaticFiles files = new StaticFiles(OVERVIEW);
        List<String> scripts = new ArrayList<>(IMPORTS.keySet());
        Matcher classic = CLASSIC_SCRIPT.matcher(Files.readString(OVERVIEW.resolve("index.html")));
        while (classic.find()) {
            scripts.add(resolve("/index.html", classic.group(1)));
        }
        assertThat(scripts).contains("/config.js", "/js/main.js", VENDOR_MODULE);
        scripts.remove(VENDOR_MODULE); // copied by the stack's first start: absent from a fresh clone
        for (String script : scripts) {
            assertThat(files.find(script)).as(script).hasValueSatisfying(file ->
                    assertThat(file.contentType()).startsWith("text/javascript"));
        }
    }

    @Test
    void everyModuleIsShortAndReachedFromThePage() throws IOException {
        for (String module : IMPORTS.keySet()) {
            if (module.equals(VENDOR_MODULE)) {
                continue;
            }
            assertThat(Files.readAllLines(OVERVIEW.resolve(module.substring(1)))).as(module).hasSizeLessThanOrEqualTo(MOST_LINES);
        }
        try (Stream<Path> files = Files.walk(OVERVIEW.resolve("js"))) {
            Set<String> modules = new TreeSet<>();
            files.filter(path -> path.toString().endsWith(".js"))
                    .forEach(path -> modules.add("/" + OVERVIEW.relativize(path).toString().replace('\\', '/')));
            assertThat(IMPORTS.keySet()).as("modules no page script imports").containsAll(modules);
        }
    }

    @Test
    void noModuleImportsItselfThroughOthers() {
        for (String module : IMPORTS.keySet()) {
            assertThat(reachedFrom(module)).as("modules " + module + " imports, directly or not").doesNotContain(module);
        }
    }

    private static Set<String> reachedFrom(String module) {
        Set<String> reached = new TreeSet<>();
        List<String> pending = new ArrayList<>(IMPORTS.get(module));
        while (!pending.isEmpty()) {
            String next = pending.removeLast();
            if (reached.add(next)) {
                pending.addAll(IMPORTS.get(next));
            }
        }
        return reached;
    }

    /** A relative URL of a file under overview/ as a path from the folder, as the browser resolves it. */
    private static String resolve(String from, String relative) {
        return "/" + OVERVIEW.relativize(OVERVIEW.resolve(from.substring(1)).resolveSibling(relative).normalize())
                .toString().replace('\\', '/');
    }
}

package com.aicredits.system.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.emulation.template.CloudFormationTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's Layout and package tables stay true to the checkout, so a newcomer's map cannot drift. */
class ReadmeLayoutTest {
    private static final CloudFormationTemplate TEMPLATE = CloudFormationTemplate.load(CloudFormationTemplate.find());
    private static final Path ROOT = TEMPLATE.path().orElseThrow().getParent();
    private static final Path PACKAGES = ROOT.resolve("shared/src/main/java/com/aicredits");
    /** Not part of the map: build output, local data, the CI's own folder. */
    private static final Set<String> UNLISTED = Set.of("target", "node_modules", "README.md");

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    /** The first column of the table after {@code <!-- layout:checked -->}: paths relative to the root. */
    private static List<String> layoutPaths() throws IOException {
        String readme = readme();
        int start = readme.indexOf("<!-- layout:checked -->");
        assertThat(start).as("README.md's Layout table marker").isNotNegative();
        List<String> paths = new ArrayList<>();
        for (String line : readme.substring(start).split("\n")) {
            Matcher row = Pattern.compile("^\\| `([^`]+)` \\|").matcher(line);
            if (row.find()) {
                paths.add(row.group(1));
            } else if (!paths.isEmpty() && !line.startsWith("|")) {
                break;
            }
        }
        return paths;
    }

    @Test
    void everyPathTheLayoutNamesExists() throws IOException {
        assertThat(layoutPaths()).isNotEmpty().allSatisfy(path -> assertThat(ROOT.resolve(path)).as(path).exists());
    }

    @Test
    void theLayoutNamesEveryTopLevelFolderAndFile() throws IOException {
        Set<String> listed = new TreeSet<>();
        for (String path : layoutPaths()) {
            listed.add(path.replaceAll("/.*", ""));
        }
        Set<String> present = new TreeSet<>();
        try (Stream<Path> entries = Files.list(ROOT)) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".") && !UNLISTED.contains(name))
                    .forEach(present::add);
        }
        assertThat(listed).containsAll(present);
    }

    @Test
    void theLayoutNamesEveryFunctionModule() throws IOException {
        String functionsRow = readme().lines().filter(line -> line.startsWith("| `functions/` |")).findFirst().orElseThrow();
        try (Stream<Path> modules = Files.list(ROOT.resolve("functions"))) {
            modules.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .forEach(module -> assertThat(functionsRow).as("functions/" + module).contains("`" + module + "`"));
        }
    }

    @Test
    void thePackageTableNamesEveryPackageOfShared() throws IOException {
        String readme = readme();
        try (Stream<Path> folders = Files.walk(PACKAGES)) {
            folders.filter(Files::isDirectory).filter(folder -> !folder.equals(PACKAGES))
                    .filter(ReadmeLayoutTest::holdsJava)
                    .map(folder -> PACKAGES.relativize(folder).toString().replace('/', '.'))
                    .forEach(name -> assertThat(readme).as("package " + name).contains("`" + name + "`"));
        }
    }

    /** The tooling's map: every package of local/ and system-tests/ and every module of emulation/ is named. */
    @Test
    void theToolingTableNamesEveryPackageOfTheLocalStackAndTheSystemTests() throws IOException {
        String readme = readme();
        for (String root : List.of("local/src/main/java/com/aicredits", "system-tests/src/test/java/com/aicredits")) {
            Path base = ROOT.resolve(root);
            try (Stream<Path> folders = Files.walk(base)) {
                folders.filter(Files::isDirectory).filter(folder -> !folder.equals(base)).filter(ReadmeLayoutTest::holdsJava)
                        .map(folder -> base.relativize(folder).toString().replace('/', '.'))
                        .forEach(name -> assertThat(readme).as("package " + name + " (" + root + ")").contains("`" + name + "`"));
            }
        }
        try (Stream<Path> modules = Files.list(ROOT.resolve("emulation"))) {
            modules.filter(module -> Files.exists(module.resolve("pom.xml")))
                    .map(module -> "emulation/" + module.getFileName())
                    .forEach(module -> assertThat(readme).as(module).contains("`" + module + "`"));
        }
    }

    @Test
    void theRouteTableNamesEveryFunctionsHandler() throws IOException {
        String readme = readme();
        for (String function : TEMPLATE.resourcesOfType("AWS::Serverless::Function").keySet()) {
            String handler = (String) TEMPLATE.effectiveProperties(function).get("Handler");
            String simpleName = handler.substring(handler.lastIndexOf('.') + 1, handler.indexOf("::"));
            assertThat(readme).as(function).contains("/" + simpleName + "`");
        }
    }

    private static boolean holdsJava(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package com.aicredits.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The overview page's one third-party module, oauth4webapi (its OpenID Connect client), pinned by
 * {@code local/overview-vendor/package-lock.json}: installed there with {@code npm ci} and copied to
 * {@code overview/vendor/} (git-ignored: the lockfile is the one record of what the page runs), so the page stays
 * static files served under {@code script-src 'self'}. The stack does it on its first start and again when the lockfile
 * changes; {@code make overview} does the same for a deployment. A file lock keeps two JVMs from installing at once.
 */
public final class OverviewVendor {
    static final String MODULE = "oauth4webapi.js";
    private static final String PACKAGE = "oauth4webapi";

    private OverviewVendor() {
    }

    /** {@code make overview}: the page's folder made complete, for a deployment to copy as it is. */
    public static void main(String[] args) {
        Path root = com.aicredits.testkit.CloudFormationTemplate.find().toAbsolutePath().getParent();
        install(root);
        System.out.println("overview/ is ready to deploy (its OIDC client is in overview/vendor/)");
    }

    /** Copies the pinned module into {@code <root>/overview/vendor/} unless the copy there is as new as the lockfile. */
    public static void install(Path repositoryRoot) {
        Path packageDirectory = repositoryRoot.resolve("local/overview-vendor");
        Path lockfile = packageDirectory.resolve("package-lock.json");
        Path vendor = repositoryRoot.resolve("overview/vendor");
        Path target = vendor.resolve(MODULE);
        try {
            Files.createDirectories(packageDirectory.resolve(".local"));
            try (FileChannel channel = FileChannel.open(packageDirectory.resolve(".local/npm-ci.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.isRegularFile(target)
                        && Files.getLastModifiedTime(lockfile).compareTo(Files.getLastModifiedTime(target)) <= 0) {
                    return;
                }
                npmCi(packageDirectory);
                Path installed = packageDirectory.resolve("node_modules").resolve(PACKAGE);
                Files.createDirectories(vendor);
                copy(installed.resolve("build/index.js"), target);
                copy(installed.resolve("LICENSE.md"), vendor.resolve("oauth4webapi.LICENSE.txt"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the overview page's OIDC client into " + vendor, e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Path partial = to.resolveSibling(to.getFileName() + ".partial");
        Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void npmCi(Path directory) throws IOException {
        Process npm;
        try {
            npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund")).directory(directory.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run npm (" + e.getMessage() + "): the overview page's OIDC client is "
                    + "installed with npm; install Node.js with npm", e);
        }
        npm.getOutputStream().close();
        String output = new String(npm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci in " + directory + " failed; its output:\n" + output);
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the overview page's OIDC client", e);
        }
    }
}

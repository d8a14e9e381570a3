package com.aicredits.local;

import com.aicredits.local.node.NodeProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The overview page's one third-party module, oauth4webapi (its OpenID Connect client), pinned by
 * {@code local/overview-vendor/package-lock.json}: installed there with {@code npm ci} and copied to
 * {@code overview/vendor/} (git-ignored: the lockfile is the one record of what the page runs), so the page stays
 * static files served under {@code script-src 'self'}. The stack does it on its first start and again when the lockfile
 * changes; {@code make overview} does the same for a deployment. {@link NodeProcesses} runs the install (and keeps two
 * JVMs from installing at once).
 */
public final class OverviewVendor {
    public static final String MODULE = "oauth4webapi.js";
    private static final String PACKAGE = "oauth4webapi";

    private OverviewVendor() {
    }

    /** {@code make overview}: the page's folder made complete, for a deployment to copy as it is. */
    public static void main(String[] args) {
        Path root = com.aicredits.emulation.template.CloudFormationTemplate.find().toAbsolutePath().getParent();
        install(root);
        System.out.println("overview/ is ready to deploy (its OIDC client is in overview/vendor/)");
    }

    /** Copies the pinned module into {@code <root>/overview/vendor/} unless the copy there is as new as the lockfile. */
    public static void install(Path repositoryRoot) {
        Path packageDirectory = repositoryRoot.resolve("local/overview-vendor");
        Path vendor = repositoryRoot.resolve("overview/vendor");
        Path target = vendor.resolve(MODULE);
        try {
            if (Files.isRegularFile(target) && Files.getLastModifiedTime(packageDirectory.resolve("package-lock.json"))
                    .compareTo(Files.getLastModifiedTime(target)) <= 0) {
                return;
            }
            NodeProcesses.installIfNeeded(packageDirectory, PACKAGE, "[overview-vendor] ", "the overview page's OIDC client");
            Path installed = packageDirectory.resolve("node_modules").resolve(PACKAGE);
            Files.createDirectories(vendor);
            copy(installed.resolve("build/index.js"), target);
            copy(installed.resolve("LICENSE.md"), vendor.resolve("oauth4webapi.LICENSE.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the overview page's OIDC client into " + vendor, e);
        }
    }

    /** Through a partial file and an atomic move: a JVM copying at the same time never serves half a module. */
    private static void copy(Path from, Path to) throws IOException {
        Path partial = to.resolveSibling(to.getFileName() + ".partial." + ProcessHandle.current().pid());
        Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

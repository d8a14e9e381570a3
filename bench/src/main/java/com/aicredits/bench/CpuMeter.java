package com.aicredits.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CPU of a time window went in this JVM, by thread name: the callers (our client library and the JDK's
 * HttpClient: {@code hot-caller-*}, {@code HttpClient-*}), the Lambda containers ({@code hot-lambda-*}: the handler,
 * our services, the AWS SDK, JSON; with the JDK HttpServer's dispatcher standing in for API Gateway), the DynamoDB
 * engine (its connections are virtual threads: the carriers, {@code ForkJoinPool-*}, carry nothing else here), and the
 * rest of the process (GC, the JIT compilers). Also how busy the whole machine was ({@code /proc/stat}), so a loaded
 * machine is visible. A thread that ended within the window is missed (the callers and containers live through it).
 */
final class CpuMeter {
    static final List<String> GROUPS = List.of("callers", "lambdas", "engine", "jvm");

    private final Map<Long, Long> threadStart;
    private final long processStart;
    private final long[] machineStart;
    private final long wallStart;

    private CpuMeter() {
        this.threadStart = threadCpu();
        this.processStart = processCpu();
        this.machineStart = machine();
        this.wallStart = System.nanoTime();
    }

    static CpuMeter start() {
        return new CpuMeter();
    }

    /**
     * CPU nanoseconds by group since the start ("jvm" is the process's total less the three others), and
     * {@code processCores} / {@code machineCores}: cores busy on average, this JVM and the whole machine.
     */
    record Usage(Map<String, Long> nanos, double processCores, double machineCores, int cores, Map<String, Long> ungrouped) {
    }

    Usage stop() {
        long wall = System.nanoTime() - wallStart;
        Map<Long, Long> threadEnd = threadCpu();
        Map<Long, String> names = names(threadEnd.keySet());
        Map<String, Long> byGroup = new LinkedHashMap<>();
        GROUPS.forEach(group -> byGroup.put(group, 0L));
        long grouped = 0;
        Map<String, Long> ungrouped = new HashMap<>();
        for (Map.Entry<Long, Long> thread : threadEnd.entrySet()) {
            String name = names.getOrDefault(thread.getKey(), "");
            String group = group(name);
            long delta = Math.max(0, thread.getValue() - threadStart.getOrDefault(thread.getKey(), 0L));
            if (group == null) {
                // By kind: GC and compiler threads are numbered.
                ungrouped.merge(name.replaceAll("[0-9]+", "#"), delta, Long::sum);
                continue;
            }
            byGroup.merge(group, delta, Long::sum);
            grouped += delta;
        }
        long process = processCpu() - processStart;
        byGroup.put("jvm", Math.max(0, process - grouped));
        long[] machineEnd = machine();
        double machineCores = Double.NaN;
        if (machineStart != null && machineEnd != null && machineEnd[1] > machineStart[1]) {
            int cores = Runtime.getRuntime().availableProcessors();
            double busyShare = (double) (machineEnd[0] - machineStart[0]) / (machineEnd[1] - machineStart[1]);
            machineCores = busyShare * cores;
        }
        Map<String, Long> top = new LinkedHashMap<>();
        ungrouped.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(entry -> top.put(entry.getKey(), entry.getValue()));
        return new Usage(byGroup, wall == 0 ? 0 : (double) process / wall, machineCores, Runtime.getRuntime().availableProcessors(), top);
    }

    private static String group(String name) {
        if (name.startsWith("hot-caller-") || name.startsWith("HttpClient-")) {
            return "callers";
        }
        if (name.startsWith("hot-lambda-") || name.startsWith("HTTP-Dispatcher")) {
            return "lambdas";
        }
        if (name.startsWith("ForkJoinPool-") || name.startsWith("dynamodb-engine")) {
            return "engine";
        }
        return null;
    }

    private static com.sun.management.ThreadMXBean threads() {
        return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    private static Map<Long, Long> threadCpu() {
        long[] ids = threads().getAllThreadIds();
        long[] cpu = threads().getThreadCpuTime(ids);
        Map<Long, Long> result = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0) {
                result.put(ids[i], cpu[i]);
            }
        }
        return result;
    }

    private static Map<Long, String> names(java.util.Set<Long> ids) {
        long[] array = ids.stream().mapToLong(Long::longValue).toArray();
        ThreadInfo[] infos = threads().getThreadInfo(array);
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : infos) {
            if (info != null) {
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        return names;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The machine's busy and total jiffies from /proc/stat's first line, or null off Linux. */
    private static long[] machine() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

package com.aicredits.bench;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * A fresh JVM that plays a SnapStart container after priming: {@code warm} debits on the recorded DynamoDB answers
 * (a snapshot taken then keeps what the JIT compiled), then {@code measured} more, each timed; prints their p50 and
 * p99. Runs on the function's Lambda jar (see {@link DebitCpu}), with the flags under test.
 */
public final class SteadyStateDriver {
    private SteadyStateDriver() {
    }

    public static void main(String[] args) {
        int warm = Integer.parseInt(args[0]);
        int measured = Integer.parseInt(args[1]);
        PrintStream out = System.out;
        DebitCpuBenchmark.Container container = new DebitCpuBenchmark.Container();
        container.setUp();
        for (int i = 0; i < warm; i++) {
            container.debit("warm-" + i);
        }
        long[] nanos = new long[measured];
        for (int i = 0; i < measured; i++) {
            long start = System.nanoTime();
            container.debit("steady-" + i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        out.printf("p50-micros=%.1f p99-micros=%.1f%n", nanos[measured / 2] / 1e3, nanos[measured * 99 / 100] / 1e3);
        out.flush();
    }
}

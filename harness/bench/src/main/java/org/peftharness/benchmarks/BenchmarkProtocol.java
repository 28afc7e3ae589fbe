package org.peftharness.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The protocol every benchmark here runs under, in one place (JMH annotations are inherited; JMH
 * sample 24): three forks show run-to-run variance (JMH sample 13), and warm-up covers
 * TensorFlow's first-run graph optimisation and oneDNN's kernel selection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(3)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 4)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class BenchmarkProtocol {}

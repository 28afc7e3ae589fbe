package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.ci.baseline.Baselines;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.RegistryMethodCatalog;
import org.peftharness.tasks.spec.TaskRegistry;

/**
 * A seeded mutation fuzzer of the three parsers users feed by hand: grids (read and validated as
 * {@code harness validate --no-files} does), baseline files and task specs. The corpus is the real
 * files of the checkout; each input is one of them with one to four mutations (byte flips, deletions,
 * duplicated and spliced ranges, duplicated or shifted lines, deep nesting, long strings, control
 * characters, YAML syntax, CRLF). Every input must parse or fail with {@link InvalidInputException},
 * within {@link #PER_INPUT}: any other exception or error, or a hang, fails the test, and the input is
 * kept under {@code target/fuzz-failures/} to reproduce it.
 *
 * <p>The budget is {@code -Dfuzz.seconds} (default {@value #DEFAULT_SECONDS}, shared by the three
 * parsers), the seed {@code -Dfuzz.seed} (default {@value #DEFAULT_SEED}): the same seed and budget
 * replay the same inputs, up to where the time runs out. Nightly runs use a larger budget and a fresh seed.
 */
class ParserFuzzTest {
  static final int DEFAULT_SECONDS = 20;
  static final long DEFAULT_SEED = 19;
  static final long PER_INPUT = TimeUnit.SECONDS.toMillis(10);
  static final Path ROOT = Path.of(System.getProperty("harness.root", "../.."));

  @TempDir Path tmp;

  interface Target {
    void parse(byte[] input) throws Exception;
  }

  record Outcome(int inputs, int parsed, List<String> failures) {}

  @Test
  void gridBaselineAndTaskSpecParsersFailOnlyWithInvalidInput() throws Exception {
    long seconds = Long.getLong("fuzz.seconds", DEFAULT_SECONDS);
    long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
    Path grids = Files.createDirectories(tmp.resolve("grids"));
    // the grids' relative paths (models/, ../ci/baselines/) resolve as from the checkout's grids/
    Files.createSymbolicLink(grids.resolve("models"), ROOT.resolve("grids/models").toAbsolutePath());
    Files.createSymbolicLink(tmp.resolve("ci"), ROOT.resolve("ci").toAbsolutePath());
    TaskRegistry tasks = TaskRegistry.builtin();
    RegistryMethodCatalog methods = new RegistryMethodCatalog();
    int[] n = {0};
    Target grid = input -> {
      Path f = grids.resolve("fuzz-" + n[0]++ + ".yaml");
      Files.write(f, input);
      try {
        GridPlan.load(f, null, null, tasks, methods, false);
      } finally {
        Files.delete(f);
      }
    };
    Target baseline = input -> {
      Path f = tmp.resolve("baseline.yaml");
      Files.write(f, input);
      Baselines.read(f);
    };
    Target spec = input -> TaskRegistry.parse(new String(input, StandardCharsets.UTF_8), "fuzz-spec.yaml");

    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<byte[]> gridCorpus = corpus(ROOT.resolve("grids"));
    List<byte[]> baselineCorpus = corpus(ROOT.resolve("ci/baselines"));
    List<byte[]> specCorpus = corpus(ROOT.resolve("tasks/src/main/resources/org/peftharness/tasks/specs"));
    assertThat(gridCorpus).hasSizeGreaterThan(5);
    assertThat(baselineCorpus).isNotEmpty();
    assertThat(specCorpus).hasSizeGreaterThan(10);

    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      // deep inputs need no more than the parsers' own depth caps; the default stack is what users have
      Thread t = new Thread(r, "fuzz");
      t.setDaemon(true);
      return t;
    });
    Random rng = new Random(seed);
    List<String> failures = new ArrayList<>();
    int[] inputs = new int[3];
    int[] parsed = new int[3];
    String[] names = {"grid", "baseline", "task spec"};
    List<List<byte[]>> corpora = List.of(gridCorpus, baselineCorpus, specCorpus);
    List<Target> targets = List.of(grid, baseline, spec);
    try {
      for (int i = 0; System.nanoTime() < end && failures.size() < 5; i++) {
        int t = i % 3;
        List<byte[]> corpus = corpora.get(t);
        byte[] input = mutate(corpus.get(rng.nextInt(corpus.size())), corpus, rng);
        inputs[t]++;
        Future<?> f = worker.submit(() -> {
          targets.get(t).parse(input);
          return null;
        });
        try {
          f.get(PER_INPUT, TimeUnit.MILLISECONDS);
          parsed[t]++;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof InvalidInputException)) {
            failures.add(keep(names[t], i, input, e.getCause()));
          }
        } catch (TimeoutException e) {
          f.cancel(true);
          failures.add(keep(names[t], i, input, new AssertionError("no answer within " + PER_INPUT + " ms")));
          // the hung parse keeps the worker; later inputs would only queue behind it
          break;
        }
      }
    } finally {
      worker.shutdownNow();
    }
    System.out.printf("fuzz: seed %d, %d s: grid %d inputs (%d valid), baseline %d (%d), task spec %d (%d)%n", seed,
        seconds, inputs[0], parsed[0], inputs[1], parsed[1], inputs[2], parsed[2]);
    assertThat(failures).as("inputs that did not end in parsed-or-InvalidInputException").isEmpty();
    assertThat(inputs[0] + inputs[1] + inputs[2]).isGreaterThan(30);
  }

  static List<byte[]> corpus(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<byte[]> out = new ArrayList<>();
      for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
      return out;
    }
  }

  /** The input saved for replay, and one line of what happened for the assertion message. */
  static String keep(String target, int i, byte[] input, Throwable t) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "fuzz-failures"));
    Path f = dir.resolve(target.replace(' ', '-') + "-" + i + ".yaml");
    Files.write(f, input);
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    String[] lines = trace.toString().split("\n");
    return target + " input " + f.toAbsolutePath() + ": " + String.join("\n  ", Arrays.copyOf(lines, Math.min(8, lines.length)));
  }

  static final String[] SYNTAX = {"&a ", "*a", "<<: *a\n", "!!binary ", "!!python/object ", "? ", "- ", ": ", "---\n", "...\n",
      "%YAML 1.1\n", "'", "\"", "#", "|\n", ">-\n", "{", "}", "[", "]", ",", "~", "null", "1e999", "-.inf", ".nan", "0x1F",
      "99999999999999999999", "-1", "0", "\t", "\\", "\uFEFF", "\u2028", "🙂", "a: b\na: c\n", "\n  nested:\n    deeper: [1, {x: 2}]\n"};

  static byte[] mutate(byte[] seed, List<byte[]> corpus, Random rng) {
    byte[] b = seed;
    int times = 1 + rng.nextInt(4);
    for (int k = 0; k < times; k++) {
      b = once(b, corpus, rng);
    }
    return b;
  }

  private static byte[] once(byte[] b, List<byte[]> corpus, Random rng) {
    int at = b.length == 0 ? 0 : rng.nextInt(b.length + 1);
    return switch (rng.nextInt(12)) {
      case 0 -> { // a byte flipped to any value
        byte[] c = b.clone();
        if (c.length > 0) {
          c[rng.nextInt(c.length)] = (byte) rng.nextInt(256);
        }
        yield c;
      }
      case 1 -> { // one bit flipped
        byte[] c = b.clone();
        if (c.length > 0) {
          c[rng.nextInt(c.length)] ^= (byte) (1 << rng.nextInt(8));
        }
        yield c;
      }
      case 2 -> { // a range deleted
        int len = Math.min(b.length - Math.min(at, b.length), 1 + rng.nextInt(64));
        yield cat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, Math.min(b.length, at + len), b.length));
      }
      case 3 -> insert(b, at, range(b, rng)); // a range duplicated
      case 4 -> insert(b, at, range(corpus.get(rng.nextInt(corpus.size())), rng)); // spliced from another file
      case 5 -> { // deep nesting, flow or block
        int depth = rng.nextBoolean() ? 1 + rng.nextInt(200) : 5_000 + rng.nextInt(20_000);
        String open = switch (rng.nextInt(3)) {
          case 0 -> "[";
          case 1 -> "{a: ";
          default -> "- ";
        };
        yield insert(b, at, open.repeat(depth).getBytes(StandardCharsets.UTF_8));
      }
      case 6 -> insert(b, at, "x".repeat(1 + rng.nextInt(rng.nextBoolean() ? 1_000 : 300_000)).getBytes(StandardCharsets.UTF_8));
      case 7 -> { // control characters
        byte[] c = new byte[1 + rng.nextInt(4)];
        for (int i = 0; i < c.length; i++) {
          c[i] = (byte) rng.nextInt(0x20);
        }
        yield insert(b, at, c);
      }
      case 8 -> insert(b, at, SYNTAX[rng.nextInt(SYNTAX.length)].getBytes(StandardCharsets.UTF_8));
      case 9 -> new String(b, StandardCharsets.ISO_8859_1).replace("\n", rng.nextBoolean() ? "\r\n" : "\r")
          .getBytes(StandardCharsets.ISO_8859_1);
      case 10 -> lines(b, rng);
      default -> { // a number replaced by an extreme one
        String s = new String(b, StandardCharsets.ISO_8859_1);
        String[] extremes = {"0", "-1", "2147483648", "9223372036854775808", "1e308", "-0.0", "NaN", "1e-400", "100000"};
        yield s.replaceFirst("\\b\\d+(\\.\\d+)?\\b", extremes[rng.nextInt(extremes.length)]).getBytes(StandardCharsets.ISO_8859_1);
      }
    };
  }

  /** A line duplicated (a key given twice), deleted, swapped with the next, or shifted in or out. */
  private static byte[] lines(byte[] b, Random rng) {
    List<String> lines = new ArrayList<>(List.of(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1)));
    int i = rng.nextInt(lines.size());
    switch (rng.nextInt(4)) {
      case 0 -> lines.add(i, lines.get(i));
      case 1 -> lines.remove(i);
      case 2 -> {
        if (i + 1 < lines.size()) {
          lines.set(i, lines.set(i + 1, lines.get(i)));
        }
      }
      default -> lines.set(i, rng.nextBoolean() ? "  " + lines.get(i) : lines.get(i).stripLeading());
    }
    return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] range(byte[] b, Random rng) {
    if (b.length == 0) {
      return b;
    }
    int from = rng.nextInt(b.length);
    return Arrays.copyOfRange(b, from, Math.min(b.length, from + 1 + rng.nextInt(256)));
  }

  private static byte[] insert(byte[] b, int at, byte[] x) {
    return cat(cat(Arrays.copyOfRange(b, 0, at), x), Arrays.copyOfRange(b, at, b.length));
  }

  private static byte[] cat(byte[] a, byte[] c) {
    byte[] out = Arrays.copyOf(a, a.length + c.length);
    System.arraycopy(c, 0, out, a.length, c.length);
    return out;
  }
}

package org.peftharness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Precision;
import org.peftharness.model.PretrainedModel;
import org.peftharness.train.memory.ByteSize;
import org.peftharness.train.memory.MemoryCheck;
import org.peftharness.train.memory.MemoryEstimate;
import org.peftharness.train.memory.MemoryEstimator;
import org.peftharness.train.memory.MemoryProbe;
import org.peftharness.train.memory.MemoryTerm;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code harness inspect memory}: the estimated peak of one training step, term by term, and with
 * {@code --measure} the peak TensorFlow's allocator reports for the same step run here; or with
 * {@code --check} the estimate against the measurement over the built-in combinations of MiniLM and
 * the tiny decoder fixtures (docs/memory-plan.md).
 */
@Command(name = "memory",
    description = "Estimate a training step's peak memory term by term (--measure: also run the step here and report "
        + "TensorFlow's allocator peak), or check the estimate against measurements on the built-in combinations (--check).")
final class InspectMemoryCommand extends BaseCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @ArgGroup(exclusive = false)
    One one;

    @Option(names = "--check", required = true,
        description = "Measure every built-in combination whose model is here and print estimate against measurement.")
    boolean check;
  }

  static final class One {
    @Option(names = "--model", required = true, paramLabel = "DIR|config.json|minilm", description = "The model.")
    String model;

    @Option(names = "--method", required = true, completionCandidates = InspectParamsCommand.MethodNames.class,
        description = "One of: ${COMPLETION-CANDIDATES}.")
    String method;

    @Option(names = "--rank", description = "Adapter rank (not for full).")
    Integer rank;

    @Option(names = "--batch", defaultValue = "8", description = "Micro-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--length", defaultValue = "128", description = "Tokens per example (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--grad-accum", defaultValue = "1", description = "Micro-batches per optimizer step (default: ${DEFAULT-VALUE}).")
    int gradAccum;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16", description = "Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--measure", description = "Also build the step here and measure its peak (needs the weights).")
    boolean measure;
  }

  @Option(names = "--fixtures", paramLabel = "DIR", defaultValue = "../shared/fixtures",
      description = "Where the tiny decoder fixtures are, for --check (default: ${DEFAULT-VALUE}).")
  Path fixtures;

  @Override
  protected ExitCode execute() {
    return mode.check ? check() : one(mode.one);
  }

  private ExitCode one(One o) {
    Precision p = switch (o.precision.toLowerCase(Locale.ROOT)) {
      case "fp32" -> Precision.FP32;
      case "bf16" -> Precision.BF16;
      default -> throw new InvalidInputException("argument --precision", 0, null, "'" + o.precision + "' is not fp32 or bf16");
    };
    if (o.batch < 1 || o.length < 2 || o.gradAccum < 1) {
      throw new InvalidInputException("arguments", 0, null, "--batch and --grad-accum must be at least 1, --length at least 2");
    }
    ModelConfig config = o.model.endsWith(".json") && Files.isRegularFile(Path.of(o.model))
        ? ModelConfig.read(Path.of(o.model)) : PretrainedModel.readConfig(o.model);
    Map<String, Object> m = new TreeMap<>();
    m.put(MethodConfig.METHOD_KEY, o.method);
    if (o.rank != null) {
      if (!MethodRegistry.builtin().get(o.method, "argument --method", 0, null).takesOption(AdapterOptions.RANK.key())) {
        throw new InvalidInputException("argument --rank", 0, null, o.method + " has no rank");
      }
      m.put(AdapterOptions.RANK.key(), o.rank);
    }
    MethodConfig<?> method = MethodConfig.fromMap(m, "arguments");
    MemoryEstimator estimator = MemoryEstimator.of(o.model, config, method, 2, !o.model.equals(PretrainedModel.MINILM));
    MemoryEstimate e = estimator.training(new MemoryEstimator.Training(o.batch, o.length, o.gradAccum, p));
    PrintWriter out = out();
    out.printf(Locale.ROOT, "%s, %s, %s, batch %d x %d tokens%s%n", o.model, method.name() + (method.rank() > 0 ? " r" + method.rank() : ""),
        p.label(), o.batch, o.length, o.gradAccum > 1 ? ", grad_accum " + o.gradAccum : "");
    for (MemoryTerm t : e.terms()) {
      out.printf(Locale.ROOT, "  %-28s %10s  %s%n", t.name(), ByteSize.format(t.bytes()), t.why());
    }
    out.printf(Locale.ROOT, "  %-28s %10s%n", "estimated peak", ByteSize.format(e.total()));
    if (o.measure) {
      long measured = MemoryProbe.trainingPeak(new MemoryProbe.Setup(o.model, method, p, o.batch, o.length, o.gradAccum));
      out.printf(Locale.ROOT, "  %-28s %10s  (TensorFlow's allocator, one traced step; estimate/measured %.2f)%n",
          "measured peak", ByteSize.format(measured), (double) e.total() / measured);
    }
    return ExitCode.OK;
  }

  private ExitCode check() {
    PrintWriter out = out();
    out.println("| model | method | precision | batch x length | grad_accum | estimated | measured | estimated / measured |");
    out.println("|---|---|---|---|---|---|---|---|");
    int outside = 0;
    List<MemoryCheck.Combination> skipped = MemoryCheck.COMBINATIONS.stream().filter(c -> !MemoryCheck.available(c, fixtures)).toList();
    for (MemoryCheck.Combination c : MemoryCheck.COMBINATIONS) {
      if (!MemoryCheck.available(c, fixtures)) {
        continue;
      }
      MemoryCheck.Row r = MemoryCheck.measure(c, fixtures);
      outside += Math.abs(r.ratio() - 1) > 0.25 ? 1 : 0;
      out.printf(Locale.ROOT, "| %s | %s | %s | %d x %d | %d | %.1f MiB | %.1f MiB | %.2f |%n", c.model(),
          c.method() + (c.rank() > 0 ? " r" + c.rank() : ""), c.precision().label(), c.batch(), c.length(), c.gradAccum(),
          r.estimated() / 1048576.0, r.measured() / 1048576.0, r.ratio());
      out.flush();
    }
    if (!skipped.isEmpty()) {
      out.printf(Locale.ROOT, "%d combinations skipped: no fixtures in %s%n", skipped.size(), fixtures);
    }
    out.printf(Locale.ROOT, "%d outside 25%%%n", outside);
    return outside == 0 ? ExitCode.OK : ExitCode.CHECK_FAILED;
  }
}

package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.files.OutputLocations;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.core.tensor.SafetensorsWriter;
import org.peftharness.methods.inspect.InspectInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code harness inspect init}: the tensors a method's initialisation creates for one weight matrix. */
@Command(name = "init",
    description = {"Write the tensors a method creates for one weight matrix (A, B, R, W_base: each only where "
        + "the method has it).",
        "LoRA-GA reads --gradient-name as the averaged gradient, LoRA-SB as the summed one."})
final class InspectInitCommand extends BaseCommand {

  @Option(names = "--method", required = true) String method;
  @Option(names = "--rank", required = true) int rank;
  @Option(names = "--alpha", required = true) double alpha;
  @Option(names = "--rslora", description = "Scale by alpha/sqrt(rank).") boolean rslora;
  @Option(names = "--option", paramLabel = "KEY=VALUE",
      description = "A further option of the method, as in a grid (repeatable), e.g. --option init=seed-svd for lora-fa.")
  Map<String, String> options = new LinkedHashMap<>();
  @Option(names = "--weights", required = true, paramLabel = "FILE.safetensors") Path weights;
  @Option(names = "--weight-name", required = true, paramLabel = "NAME") String weightName;
  @Option(names = "--gradient-name", paramLabel = "NAME") String gradientName;
  @Option(names = "--lr", description = "LoRA-SB: learning rate in eta_eff = lr / (warmup_ratio * estimation_steps).") Double lr;
  @Option(names = "--warmup-ratio") Double warmupRatio;
  @Option(names = "--estimation-steps") Long estimationSteps;
  @Option(names = "--seed", defaultValue = "0", description = "Root seed of the random parts (default: ${DEFAULT-VALUE}).") long seed;
  @Option(names = "--out", required = true, paramLabel = "OUT.safetensors") Path out;

  @Override
  protected ExitCode execute() throws IOException {
    OutputLocations.requireFile(out, "argument --out");
    FloatTensor w0;
    FloatTensor g = null;
    try (SafetensorsFile f = SafetensorsFile.open(weights)) {
      w0 = f.readFloat(weightName);
      if (gradientName != null) {
        g = f.readFloat(gradientName);
      }
    }
    if (w0.rank() != 2) {
      throw new InvalidInputException(weights, "tensor '" + weightName + "'", "is not a matrix");
    }
    if (g != null && !Arrays.equals(g.shape(), w0.shape())) {
      throw new InvalidInputException(weights, "tensor '" + gradientName + "'", "has another shape than " + weightName);
    }
    Map<String, FloatTensor> tensors = InspectInit.run(new InspectInit.Request(
        InspectInit.forMethod(method, rank, alpha, rslora, typed(options)), w0, g, lr, warmupRatio, estimationSteps, seed));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("method", method);
    meta.put("rank", Integer.toString(rank));
    meta.put("alpha", Double.toString(alpha));
    meta.put("use_rslora", Boolean.toString(rslora));
    meta.putAll(options);
    SafetensorsWriter.write(out, tensors, meta);
    for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
      out().printf(Locale.ROOT, "%-7s %s%n", e.getKey(), Arrays.toString(e.getValue().shape()));
    }
    out().println("written to " + out);
    return ExitCode.OK;
  }

  /** Command-line values as a grid's YAML scalars would read: true/false, an integer, a number, else text. */
  private static Map<String, Object> typed(Map<String, String> raw) {
    Map<String, Object> out = new LinkedHashMap<>();
    raw.forEach((k, v) -> out.put(k, scalar(v)));
    return out;
  }

  private static Object scalar(String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException notAnInteger) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException notANumber) {
        return v;
      }
    }
  }
}

package org.peftharness.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Facts about the machine a cell ran on, for provenance: OS, CPU model and cores, memory, GPU and
 * driver when {@code nvidia-smi} answers, and the environment switches that change TensorFlow's
 * bits (oneDNN). Everything is read locally; nothing leaves the machine.
 */
public final class SystemInfo {
  private SystemInfo() {}

  public static Map<String, Object> collect() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("arch", System.getProperty("os.arch"));
    m.put("cpu", cpuModel().orElse("unknown"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memory_bytes", totalMemory().orElse(-1L));
    m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
    m.put("gpu", gpu().orElse("none"));
    m.put("TF_ENABLE_ONEDNN_OPTS", Optional.ofNullable(System.getenv("TF_ENABLE_ONEDNN_OPTS")).orElse("unset (TensorFlow default: on for x86)"));
    m.put("CUDA_VISIBLE_DEVICES", Optional.ofNullable(System.getenv("CUDA_VISIBLE_DEVICES")).orElse("unset"));
    return m;
  }

  /**
   * The device a cell trained on: the name of the GPU TensorFlow calls GPU:0 (the first of {@code
   * CUDA_VISIBLE_DEVICES}) when it placed the graph on a GPU, else the CPU's model, else the
   * architecture.
   *
   * @param onGpu whether TensorFlow has a GPU device (only the caller, which links TensorFlow, can tell)
   */
  public static String device(boolean onGpu) {
    if (onGpu) {
      String visible = Optional.ofNullable(System.getenv("CUDA_VISIBLE_DEVICES")).orElse("0");
      String first = visible.split(",")[0].trim();
      return nvidiaSmi("--query-gpu=name", "--format=csv,noheader", "-i", first.isEmpty() ? "0" : first)
          .orElse("GPU (nvidia-smi gave no name)");
    }
    return cpuModel().orElse(System.getProperty("os.arch"));
  }

  static Optional<String> cpuModel() {
    return procField(Path.of("/proc/cpuinfo"), "model name");
  }

  static Optional<Long> totalMemory() {
    return procField(Path.of("/proc/meminfo"), "MemTotal").map(v -> Long.parseLong(v.replace("kB", "").trim()) * 1024);
  }

  /** Peak resident memory of this process (VmHWM), native allocations included; -1 where unknown. */
  public static long peakResidentBytes() {
    return procField(Path.of("/proc/self/status"), "VmHWM")
        .map(v -> Long.parseLong(v.replace("kB", "").trim()) * 1024).orElse(-1L);
  }

  private static Optional<String> procField(Path file, String key) {
    if (!Files.isReadable(file)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(file)) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
          return Optional.of(line.substring(colon + 1).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** GPU name(s) and driver from nvidia-smi, if it exists and answers within a few seconds. */
  static Optional<String> gpu() {
    return nvidiaSmi("--query-gpu=name,driver_version", "--format=csv,noheader");
  }

  private static Optional<String> nvidiaSmi(String... args) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path smi = Path.of(dir, "nvidia-smi");
      if (Files.isExecutable(smi)) {
        List<String> cmd = new ArrayList<>(List.of(smi.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      String out = new String(p.getInputStream().readAllBytes()).trim().replace('\n', ';');
      return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}

package org.peftharness.model.runtime;

import java.util.Collection;
import java.util.Locale;

/** Which TensorFlow native library the process loaded: the CPU build or the CUDA build ({@code mvn -Pgpu}). */
public enum NativeBuild {
  CPU,
  GPU;

  /** As provenance records it: {@code cpu} or {@code gpu}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The CUDA build is the one with GPU kernels registered, GPU or not. */
  static NativeBuild fromKernelDevices(Collection<String> deviceTypes) {
    return deviceTypes.contains("GPU") ? GPU : CPU;
  }
}

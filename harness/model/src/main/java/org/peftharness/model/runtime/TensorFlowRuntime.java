package org.peftharness.model.runtime;

import java.util.List;

/**
 * The TensorFlow this process runs: the native library's version and build, and the types of the
 * devices it found ({@code CPU}, {@code GPU}, one entry per device).
 */
public record TensorFlowRuntime(String version, NativeBuild build, List<String> deviceTypes) {
  public TensorFlowRuntime {
    deviceTypes = List.copyOf(deviceTypes);
  }

  /** The library and its devices do not change within a process, so it is asked once. */
  public static TensorFlowRuntime current() {
    return Once.CURRENT;
  }

  public boolean hasGpu() {
    return deviceTypes.contains("GPU");
  }

  /**
   * The device the graphs run on: TensorFlow places every op that has a GPU kernel on GPU:0 when
   * the runtime has a GPU (the GPU's device factory outranks the CPU's,
   * tensorflow/core/framework/device_factory.h), else all of them on CPU:0.
   */
  public String placement() {
    return hasGpu() ? "GPU:0" : "CPU:0";
  }

  private static final class Once {
    static final TensorFlowRuntime CURRENT = TensorFlowProbe.probe();
  }
}

package org.peftharness.model.runtime;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The one line the harness prints (on stderr, once per process, before its first graph) when the
 * CUDA build of TensorFlow found no GPU and runs on the CPU. The launcher hides CUDA's own start-up
 * errors that say the same at length; {@code HARNESS_NATIVE_LOG=1} shows them.
 */
public final class RuntimeNotice {
  private static final RuntimeNotice PROCESS = new RuntimeNotice(TensorFlowRuntime::current, System.err);

  private final Supplier<TensorFlowRuntime> runtime;
  private final PrintStream err;
  private final AtomicBoolean said = new AtomicBoolean();

  RuntimeNotice(Supplier<TensorFlowRuntime> runtime, PrintStream err) {
    this.runtime = runtime;
    this.err = err;
  }

  /** Says the line if this process has it to say and has not said it yet. */
  public static void sayOnce() {
    PROCESS.say();
  }

  void say() {
    if (!said.getAndSet(true)) {
      line(runtime.get()).ifPresent(err::println);
    }
  }

  static Optional<String> line(TensorFlowRuntime tf) {
    if (tf.build() == NativeBuild.GPU && !tf.hasGpu()) {
      return Optional.of("harness: the GPU build of TensorFlow " + tf.version() + " is running on the CPU: no CUDA device"
          + " found (HARNESS_NATIVE_LOG=1 shows CUDA's messages)");
    }
    return Optional.empty();
  }
}

package org.peftharness.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeNoticeTest {
  private static TensorFlowRuntime runtime(NativeBuild build, String... devices) {
    return new TensorFlowRuntime("2.18.0", build, List.of(devices));
  }

  @Test
  void theGpuBuildWithoutAGpuSaysSo_inOneLineNamingTheSwitch() {
    assertThat(RuntimeNotice.line(runtime(NativeBuild.GPU, "CPU"))).hasValue(
        "harness: the GPU build of TensorFlow 2.18.0 is running on the CPU: no CUDA device found"
            + " (HARNESS_NATIVE_LOG=1 shows CUDA's messages)");
  }

  @Test
  void theGpuBuildOnAGpu_andTheCpuBuild_sayNothing() {
    assertThat(RuntimeNotice.line(runtime(NativeBuild.GPU, "CPU", "GPU"))).isEmpty();
    assertThat(RuntimeNotice.line(runtime(NativeBuild.CPU, "CPU"))).isEmpty();
  }

  @Test
  void theLineIsSaidOncePerProcess_andTheRuntimeAskedOnlyThen() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int[] asked = {0};
    RuntimeNotice notice = new RuntimeNotice(() -> {
      asked[0]++;
      return runtime(NativeBuild.GPU, "CPU");
    }, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    notice.say();
    notice.say();
    notice.say();
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).hasSize(1).allMatch(l -> l.contains("running on the CPU"));
    assertThat(asked[0]).isEqualTo(1);
  }

  @Test
  void theBuildIsTheOneWithGpuKernels_andPlacementFollowsTheDevices() {
    assertThat(NativeBuild.fromKernelDevices(List.of("CPU", "GPU"))).isEqualTo(NativeBuild.GPU);
    assertThat(NativeBuild.fromKernelDevices(List.of("CPU"))).isEqualTo(NativeBuild.CPU);
    assertThat(runtime(NativeBuild.GPU, "CPU", "GPU").placement()).isEqualTo("GPU:0");
    assertThat(runtime(NativeBuild.GPU, "CPU").placement()).isEqualTo("CPU:0");
  }

  @Test
  void theKernelRegistryAgreesWithTheNativeJarOnTheClasspath() {
    // an independent witness: the CUDA build's jar keeps its libraries under the -gpu platform folder
    boolean gpuJar = TensorFlowRuntime.class.getResource("/org/tensorflow/internal/c_api/linux-x86_64-gpu/LICENSE") != null;
    TensorFlowRuntime tf = TensorFlowRuntime.current();
    assertThat(tf.build()).isEqualTo(gpuJar ? NativeBuild.GPU : NativeBuild.CPU);
    assertThat(tf.deviceTypes()).contains("CPU");
  }
}

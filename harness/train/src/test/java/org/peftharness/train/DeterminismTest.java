package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same 20-step MiniLM full fine-tuning run (float32, dropout 0.1 on, shuffled batches) in two
 * separate JVMs gives bit-identical parameters and losses; another root seed gives other ones.
 */
class DeterminismTest {

  static String child(String... seeds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx3g");
    for (String p : new String[] {"org.bytedeco.javacpp.cachedir", "DJL_CACHE_DIR", "ai.djl.offline", "jna.tmpdir", "user.home"}) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DeterminismMain.class.getName());
    cmd.addAll(List.of(seeds));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    StringBuilder results = new StringBuilder();
    out.lines().filter(l -> l.startsWith("RESULT ")).forEach(l -> results.append(l).append('\n'));
    return results.toString();
  }

  @Test
  void twoProcessesGiveTheSameBitsAndAnotherSeedDoesNot() throws Exception {
    String first = child("42");
    String second = child("42");
    String other = DeterminismMain.run(43, 20);
    String[] a = first.trim().split(" ");
    System.out.println("determinism: params sha256 " + a[2] + " (seed 42, two JVMs); seed 43: " + other.split(" ")[2]);
    assertThat(a).hasSize(3 + 20);
    assertThat(second).isEqualTo(first);
    String[] o = other.split(" ");
    assertThat(o[2]).isNotEqualTo(a[2]);
    assertThat(o[3]).isNotEqualTo(a[3]); // dropout differs from the first step on
  }
}

package org.peftharness.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashesAndSystemInfoTest {
  @TempDir Path dir;

  @Test
  void sha256OfKnownInputs() throws IOException {
    assertThat(Hashes.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    Path f = dir.resolve("f");
    Files.writeString(f, "abc");
    assertThat(Hashes.sha256(f)).isEqualTo(Hashes.sha256("abc"));
    assertThat(new Hashes.Running().add("ab").add("c").hex()).isNotEqualTo(new Hashes.Running().add("a").add("bc").hex());
  }

  @Test
  void systemFactsArePresent() {
    var info = SystemInfo.collect();
    assertThat(info).containsKeys("os", "arch", "cpu", "cores", "java", "gpu", "TF_ENABLE_ONEDNN_OPTS");
    assertThat((Integer) info.get("cores")).isPositive();
    assertThat(SystemInfo.peakResidentBytes()).isNotZero();
  }
}

package org.peftharness.train.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
  @Test
  void binaryAndDecimalUnits() {
    assertThat(ByteSize.parse("80GiB")).isEqualTo(80L << 30);
    assertThat(ByteSize.parse("24GB")).isEqualTo(24_000_000_000L);
    assertThat(ByteSize.parse("512MiB")).isEqualTo(512L << 20);
    assertThat(ByteSize.parse("1.5 TiB")).isEqualTo(3L << 39);
    assertThat(ByteSize.parse("80gib")).isEqualTo(80L << 30);
    assertThat(ByteSize.parse("4096")).isEqualTo(4096);
  }

  @Test
  void badSizesSayWhatIsAccepted() {
    for (String bad : new String[] {"lots", "80 GiBs", "-1GB", "0GB"}) {
      assertThatThrownBy(() -> ByteSize.parse(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
    }
  }

  @Test
  void formatsInBinaryUnits() {
    assertThat(ByteSize.format(80L << 30)).isEqualTo("80.0 GiB");
    assertThat(ByteSize.format(1536L << 10)).isEqualTo("1.5 MiB");
    assertThat(ByteSize.format(12)).isEqualTo("12 B");
  }
}

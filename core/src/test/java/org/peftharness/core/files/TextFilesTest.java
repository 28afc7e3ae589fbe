package org.peftharness.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;

class TextFilesTest {
  @TempDir Path dir;

  @Test
  void readsUtf8() throws IOException {
    Path f = dir.resolve("ok.csv");
    Files.writeString(f, "a,b\nné,ü\n");
    assertThat(TextFiles.readUtf8(f)).isEqualTo("a,b\nné,ü\n");
  }

  @Test
  void aFileThatIsNotUtf8IsReportedByLineAndByte() throws IOException {
    Path f = dir.resolve("latin1.csv");
    byte[] head = "grid,cell\nx,".getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = new byte[head.length + 2];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xe9; // é in Latin-1, a lone lead byte in UTF-8
    bytes[head.length + 1] = 'y';
    Files.write(f, bytes);
    assertThatThrownBy(() -> TextFiles.readUtf8(f)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
      assertThat(e.source()).isEqualTo(f.toString());
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.problem()).startsWith("not UTF-8 at byte " + head.length + " (0xe9)");
    });
  }

  @Test
  void aSequenceCutAtTheEndIsReportedWhereItStarts() throws IOException {
    Path f = dir.resolve("cut.txt");
    byte[] euro = "x€".getBytes(StandardCharsets.UTF_8);
    Files.write(f, java.util.Arrays.copyOf(euro, euro.length - 1));
    assertThatThrownBy(() -> TextFiles.readUtf8(f)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cut.txt:1: not UTF-8 at byte 1 (0xe2)");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> TextFiles.readUtf8(dir.resolve("none.csv"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("none.csv: file not found");
  }
}

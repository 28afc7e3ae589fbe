package org.peftharness.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;

/** A results.csv or rows.csv that is not UTF-8 is reported by file, line and byte, as every reader of them does. */
class MalformedResultsTest {
  @TempDir Path dir;

  @Test
  void aRowsCsvInLatin1NamesTheFileTheLineAndTheByte() throws IOException {
    String text = ResultsCsv.format(List.of(ResultsFolderTest.ok("a", 0, "accuracy", 0.5)));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    int at = b.size();
    b.writeBytes("g,caf".getBytes(StandardCharsets.US_ASCII));
    b.write(0xe9); // a spreadsheet saved it as Latin-1
    ResultsFolder folder = new ResultsFolder(dir);
    Path rows = Files.createDirectories(folder.cellDir("a")).resolve(ResultsFolder.ROWS_CSV);
    Files.write(rows, b.toByteArray());
    assertThatThrownBy(folder::readRows).isInstanceOfSatisfying(InvalidInputException.class, e -> {
      assertThat(e.source()).isEqualTo(rows.toString());
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.problem()).startsWith("not UTF-8 at byte " + (at + 5)).doesNotContain("MalformedInput");
    });
  }
}

package org.peftharness.tasks.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.core.InvalidInputException;
import org.peftharness.tasks.TaskData;

/** Every kind of bad record is an InvalidInputException naming file, line and field; none is skipped. */
class MalformedInputTest {
  @TempDir Path tmp;

  private static final TsvLayout SST2 = new TsvLayout(true, "sentence", null, "label", List.of("0", "1"), false);
  private static final TsvLayout STSB = new TsvLayout(true, "sentence1", "sentence2", "score", List.of(), false);
  private static final TsvLayout COLA = new TsvLayout(false, "3", null, "1", List.of("0", "1"), false);

  static Stream<Arguments> cases() {
    Supplier<ExampleReader> gsm8k = Gsm8kReader::new;
    Supplier<ExampleReader> sst2 = () -> new GlueTsvReader(SST2);
    return Stream.of(
        Arguments.of("bad JSON line", gsm8k, "data.jsonl",
            "{\"question\": \"q\", \"answer\": \"#### 1\"}\n{\"question\": \"q\", \"answer\": }\n", 2, "answer"),
        Arguments.of("JSONL line that is not an object", gsm8k, "data.jsonl", "[1, 2]\n", 1, null),
        Arguments.of("missing field", gsm8k, "data.jsonl",
            "{\"question\": \"q\", \"answer\": \"#### 1\"}\n\n{\"question\": \"q\"}\n", 3, "answer"),
        Arguments.of("wrong type", gsm8k, "data.jsonl", "{\"question\": 5, \"answer\": \"#### 1\"}\n", 1, "question"),
        Arguments.of("GSM8K answer without ####", gsm8k, "data.jsonl", "{\"question\": \"q\", \"answer\": \"it is 5\"}\n", 1, "answer"),
        Arguments.of("GSM8K answer that is not a number", gsm8k, "data.jsonl", "{\"question\": \"q\", \"answer\": \"#### five\"}\n", 1, "answer"),
        Arguments.of("MATH solution without a box", (Supplier<ExampleReader>) () -> new MathReader(MathReader.Layout.BOXED_SOLUTION),
            "math.jsonl", "{\"problem\": \"p\", \"solution\": \"so 3\"}\n", 1, "solution"),
        Arguments.of("MATH-500 record without answer", (Supplier<ExampleReader>) () -> new MathReader(MathReader.Layout.ANSWER_FIELD),
            "math.jsonl", "{\"problem\": \"p\", \"solution\": \"\\\\boxed{3}\"}\n", 1, "answer"),
        Arguments.of("LLM-Adapters record without answer (line of the record's start)",
            (Supplier<ExampleReader>) () -> new LlmAdaptersReader(Set.of()), "test.json",
            "[\n    {\n        \"instruction\": \"i\",\n        \"input\": \"\",\n        \"output\": \"o\",\n        \"answer\": \"true\"\n    },\n"
                + "    {\n        \"instruction\": \"i\",\n        \"input\": \"\",\n        \"output\": \"o\"\n    }\n]", 8, "answer"),
        Arguments.of("LLM-Adapters bad label", (Supplier<ExampleReader>) () -> new LlmAdaptersReader(Set.of("true", "false")), "test.json",
            "[{\"instruction\": \"i\", \"input\": \"\", \"output\": \"o\", \"answer\": \"maybe\"}]", 1, "answer"),
        Arguments.of("LLM-Adapters JSON not closed", (Supplier<ExampleReader>) () -> new LlmAdaptersReader(Set.of()), "test.json",
            "[\n  {\"instruction\": \"i\",\n   \"input\": ", 3, "input"),
        Arguments.of("TSV row with too few columns", sst2, "dev.tsv", "sentence\tlabel\ngood\t1\nbad\n", 3, "columns"),
        Arguments.of("TSV row with too many columns", sst2, "dev.tsv", "sentence\tlabel\ngood\t1\t0\n", 2, "columns"),
        Arguments.of("TSV bad label", sst2, "dev.tsv", "sentence\tlabel\ngood\t1\nfine\t2\n", 3, "label"),
        Arguments.of("TSV header without the column", sst2, "dev.tsv", "text\tlabel\ngood\t1\n", 1, "sentence"),
        Arguments.of("CoLA row with 3 columns", (Supplier<ExampleReader>) () -> new GlueTsvReader(COLA), "dev.tsv",
            "gj04\t1\t\tok\ngj04\t0\tbad\n", 2, "columns"),
        Arguments.of("STS-B score not a number", (Supplier<ExampleReader>) () -> new GlueTsvReader(STSB), "dev.tsv",
            "sentence1\tsentence2\tscore\na\tb\t4.2\na\tb\thigh\n", 3, "score"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputNamesFileLineAndField(String what, Supplier<ExampleReader> reader, String name, String content, int line, String field)
      throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    assertThatThrownBy(() -> reader.get().read(file))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.source()).isEqualTo(file.toString());
          assertThat(e.line()).as("line").isEqualTo(line);
          assertThat(e.field()).as("field").isEqualTo(field);
          assertThat(e.getMessage()).startsWith(file + ":" + line + ": ");
        });
  }

  /** A valid file of each format; its CRLF copy (saved on Windows, exported by a spreadsheet) must read the same. */
  static Stream<Arguments> validFiles() {
    Supplier<ExampleReader> mrpc = () -> new GlueTsvReader(new TsvLayout(true, "#1 String", "#2 String", "Quality", List.of("0", "1"), false));
    return Stream.of(
        Arguments.of("GLUE TSV with a header", (Supplier<ExampleReader>) () -> new GlueTsvReader(SST2), "dev.tsv",
            "sentence\tlabel\ngood film\t1\nbad\t0\n"),
        Arguments.of("GLUE TSV regression", (Supplier<ExampleReader>) () -> new GlueTsvReader(STSB), "dev.tsv",
            "sentence1\tsentence2\tscore\na\tb\t4.2\nc\td\t0.5\n"),
        Arguments.of("GLUE TSV without a header (CoLA)", (Supplier<ExampleReader>) () -> new GlueTsvReader(COLA), "dev.tsv",
            "gj04\t1\t\tok\ngj04\t0\t*\tbad\n"),
        Arguments.of("MRPC's txt", mrpc, "msr_paraphrase_test.txt",
            "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t11\t12\ta\tb\n0\t21\t22\tc\td\n"),
        Arguments.of("JSONL (GSM8K)", (Supplier<ExampleReader>) Gsm8kReader::new, "test.jsonl",
            "{\"question\": \"q\", \"answer\": \"so\\n#### 1\"}\n\n{\"question\": \"r\", \"answer\": \"#### 2\"}\n"),
        Arguments.of("JSONL (MATH)", (Supplier<ExampleReader>) () -> new MathReader(MathReader.Layout.BOXED_SOLUTION), "math.jsonl",
            "{\"problem\": \"p\", \"solution\": \"so \\\\boxed{3}\"}\n"),
        Arguments.of("JSON array (LLM-Adapters)", (Supplier<ExampleReader>) () -> new LlmAdaptersReader(Set.of("true", "false")),
            "test.json", "[\n  {\"instruction\": \"i\", \"input\": \"\", \"output\": \"o\", \"answer\": \"true\"},\n"
                + "  {\"instruction\": \"j\", \"input\": \"\", \"output\": \"o\", \"answer\": \"false\"}\n]\n"),
        Arguments.of("JSON array (MetaMathQA)", (Supplier<ExampleReader>) MetaMathReader::new, "MetaMathQA-395K.json",
            "[{\"query\": \"q1\", \"response\": \"3+4=7\\nThe answer is: 7\"},\n {\"query\": \"q2\", \"response\": \"x\"}]\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void crlfLineEndingsReadAsLf(String what, Supplier<ExampleReader> reader, String name, String content) throws IOException {
    Path lf = Files.createDirectories(tmp.resolve("lf")).resolve(name);
    Path crlf = Files.createDirectories(tmp.resolve("crlf")).resolve(name);
    Files.writeString(lf, content);
    Files.writeString(crlf, content.replace("\n", "\r\n"));
    List<Example> expected = reader.get().read(lf);
    assertThat(expected).isNotEmpty();
    assertThat(reader.get().read(crlf)).isEqualTo(expected);
  }

  @Test
  void mrpcTrainRebuildReadsCrlfOriginals() throws IOException {
    Files.writeString(tmp.resolve("msr_paraphrase_train.txt"),
        "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\r\n1\t11\t12\ta\tb\r\n0\t21\t22\tc\td\r\n");
    Files.writeString(tmp.resolve("dev_ids.tsv"), "21\t22\r\n");
    TsvLayout mrpc = new TsvLayout(true, "#1 String", "#2 String", "Quality", List.of("0", "1"), true);
    assertThat(new GlueTsvReader(mrpc).read(tmp.resolve("train.tsv"))).extracting(e -> e.input("text_pair")).containsExactly("b");
  }

  /** A data file with no records is named as the fault, whatever its format, before anything downstream blames another file. */
  static Stream<Arguments> filesWithoutRecords() {
    Supplier<ExampleReader> sst2 = () -> new GlueTsvReader(SST2);
    Supplier<ExampleReader> gsm8k = Gsm8kReader::new;
    return Stream.of(
        Arguments.of("empty TSV", sst2, "dev.tsv", ""),
        Arguments.of("TSV with only a header", sst2, "dev.tsv", "sentence\tlabel\n"),
        Arguments.of("TSV with only a CRLF header", sst2, "dev.tsv", "sentence\tlabel\r\n"),
        Arguments.of("empty JSONL", gsm8k, "test.jsonl", ""),
        Arguments.of("JSONL of blank lines", gsm8k, "test.jsonl", "\n\r\n  \n"),
        Arguments.of("empty JSON array", (Supplier<ExampleReader>) MetaMathReader::new, "MetaMathQA-395K.json", "[]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filesWithoutRecords")
  void aFileWithoutRecordsIsNamed(String what, Supplier<ExampleReader> reader, String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content);
    assertThatThrownBy(() -> TaskData.read(reader.get(), file)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(file + ": has no records");
  }

  @Test
  void notUtf8IsAnErrorOnItsLine() throws IOException {
    Path file = tmp.resolve("latin1.tsv");
    Files.write(file, "sentence\tlabel\ncaf\u00e9\t1\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> new GlueTsvReader(SST2).read(file))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.problem()).contains("UTF-8");
        });
  }

  @Test
  void overlongLineIsAnErrorNotAnOutOfMemory() throws IOException {
    Path file = tmp.resolve("long.jsonl");
    Files.writeString(file, "{\"question\": \"q\", \"answer\": \"#### 1\"}\n" + "x".repeat(5000) + "\n");
    try (LineReader r = new LineReader(file, 1000)) {
      assertThat(r.next()).startsWith("{");
      assertThatThrownBy(r::next)
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.line()).isEqualTo(2));
    }
  }

  @Test
  void missingFileIsAnInputError() {
    assertThatThrownBy(() -> new Gsm8kReader().read(tmp.resolve("nope.jsonl")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not found");
  }

  @Test
  void mrpcTrainRebuildNeedsBothOriginalFiles() {
    TsvLayout mrpc = new TsvLayout(true, "#1 String", "#2 String", "Quality", List.of("0", "1"), true);
    assertThatThrownBy(() -> new GlueTsvReader(mrpc).read(tmp.resolve("train.tsv")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("msr_paraphrase_train.txt");
  }

  @Test
  void mrpcTrainRebuildDropsDevPairsAndStripsTheBom() throws IOException {
    Files.writeString(tmp.resolve("msr_paraphrase_train.txt"),
        "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t11\t12\ta\tb\n0\t21\t22\tc\td\n1\t31\t32\te\tf\n");
    Files.writeString(tmp.resolve("dev_ids.tsv"), "21\t22\n");
    TsvLayout mrpc = new TsvLayout(true, "#1 String", "#2 String", "Quality", List.of("0", "1"), true);
    List<Example> train = new GlueTsvReader(mrpc).read(tmp.resolve("train.tsv"));
    assertThat(train).extracting(e -> e.input("text")).containsExactly("a", "e");
    assertThat(train).extracting(Example::line).containsExactly(2, 4);
    assertThat(train).extracting(Example::index).containsExactly(0, 1);
  }

  @Test
  void quotesAreNotSpecialInTsv() throws IOException {
    Path file = tmp.resolve("dev.tsv");
    Files.writeString(file, "sentence\tlabel\n\"it's \"great\tand\" not\n\"ok\"\t1\n".replace("\tand\" not\n", " and\" not\t0\n"));
    List<Example> ex = new GlueTsvReader(SST2).read(file);
    assertThat(ex).hasSize(2);
    assertThat(ex.get(0).input("text")).isEqualTo("\"it's \"great and\" not");
  }

  @Test
  void metaMathQaTakesTheAnswerAfterTheMarker() throws IOException {
    Path file = tmp.resolve("MetaMathQA-395K.json");
    Files.writeString(file, "[{\"query\": \"q1\", \"response\": \"3+4=7\\nThe answer is: 7\", \"type\": \"GSM_Rephrased\"},\n"
        + " {\"query\": \"q2\", \"response\": \"no marker\"}]");
    List<Example> ex = new MetaMathReader().read(file);
    assertThat(ex).hasSize(2);
    assertThat(ex.get(0).gold().answer()).isEqualTo("7");
    assertThat(ex.get(0).input("query")).isEqualTo("q1");
    assertThat(ex.get(1).gold().hasAnswer()).isFalse();
    assertThat(ex.get(1).line()).isEqualTo(2);
  }
}

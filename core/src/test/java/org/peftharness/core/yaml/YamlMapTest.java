package org.peftharness.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.core.InvalidInputException;

class YamlMapTest {
  @TempDir Path tmp;

  private static YamlMap map(String yaml) {
    return YamlMap.of((YNode.YMap) YamlFiles.parse(yaml, "f.yaml"));
  }

  private static InvalidInputException fault(Runnable r) {
    try {
      r.run();
    } catch (InvalidInputException e) {
      return e;
    }
    throw new AssertionError("no fault");
  }

  @Test
  void typedValuesWithDefaults() {
    YamlMap m = map("name: x\nn: 3\nbig: 5000000000\nx: 2.5\nflag: true\nkind: Beta\nnames: [a, b]\nnone:\n");
    assertThat(m.string("name")).isEqualTo("x");
    assertThat(m.integer("n")).isEqualTo(3);
    assertThat(m.longValue("big")).isEqualTo(5_000_000_000L);
    assertThat(m.number("x")).isEqualTo(2.5);
    assertThat(m.number("n")).isEqualTo(3.0);
    assertThat(m.bool("flag")).isTrue();
    assertThat(m.enumOf(Kind.class, "kind")).isEqualTo(Kind.BETA);
    assertThat(m.strings("names")).containsExactly("a", "b");
    assertThat(m.has("none")).isFalse();
    assertThat(m.string("none", "dflt")).isEqualTo("dflt");
    assertThat(m.integer("absent", 7)).isEqualTo(7);
    assertThat(m.bool("absent", true)).isTrue();
  }

  enum Kind { ALPHA, BETA }

  @Test
  void faultsNameFileLineAndDottedField() {
    YamlMap m = map("top: 1\ninner:\n  count: many\n  flag: yes\n");
    InvalidInputException count = fault(() -> m.map("inner").integer("count"));
    assertThat(count.getMessage()).isEqualTo("f.yaml:3: inner.count: expected an integer, got 'many'");
    assertThat(fault(() -> m.map("inner").bool("flag")).problem()).isEqualTo("expected true or false, got 'yes'");
    InvalidInputException missing = fault(() -> m.map("inner").string("name"));
    assertThat(missing.line()).isEqualTo(3);
    assertThat(missing.field()).isEqualTo("inner.name");
    assertThat(missing.problem()).isEqualTo("required key is missing");
    assertThat(fault(() -> m.map("top")).problem()).isEqualTo("expected a mapping (key: value), got '1'");
    assertThat(fault(() -> m.list("top")).problem()).isEqualTo("expected a list, got '1'");
  }

  @Test
  void unknownKeysSuggestTheClosest() {
    InvalidInputException top = fault(() -> map("nmae: x\n").allowOnly(List.of("name", "seed")));
    assertThat(top.getMessage()).isEqualTo("f.yaml:1: nmae: unknown key; did you mean 'name'?");
    InvalidInputException inner = fault(() -> map("a:\n  nmae: x\n").map("a").allowOnly(List.of("name")));
    assertThat(inner.getMessage()).isEqualTo("f.yaml:2: a.nmae: unknown key 'nmae'; did you mean 'name'?");
    InvalidInputException choice = fault(() -> map("k: gama\n").enumOf(Kind.class, "k"));
    assertThat(choice.problem()).isEqualTo("'gama' is not one of alpha, beta");
    assertThat(fault(() -> map("k: alpah\n").enumOf(Kind.class, "k")).problem()).endsWith("did you mean 'alpha'?");
  }

  @Test
  void collectingGoesOnAndKeepsEveryFault() {
    List<InvalidInputException> faults = new ArrayList<>();
    YamlMap m = YamlMap.collecting((YNode.YMap) YamlFiles.parse("a: x\nb: [1, 1]\nc: y\n", "f.yaml"), faults);
    assertThat(m.integer("a")).isZero();
    m.unique("b", List.of(1, 1));
    assertThat(m.bool("c")).isFalse();
    assertThat(m.string("d")).isEmpty();
    assertThat(m.enumOf(Kind.class, "e")).isEqualTo(Kind.ALPHA);
    assertThat(faults).extracting(InvalidInputException::getMessage).containsExactly(
        "f.yaml:1: a: expected an integer, got 'x'", "f.yaml:2: b: lists '1' twice",
        "f.yaml:3: c: expected true or false, got 'y'", "f.yaml:1: d: required key is missing",
        "f.yaml:1: e: required key is missing");
  }

  /** Legal YAML that would exhaust the stack, the heap or the patience; each one a located input error, at once. */
  static Stream<Arguments> hostileYaml() {
    return Stream.of(
        Arguments.of("20,000 nested flow lists", "a: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n",
            "f.yaml:1: nested more than 64 levels deep"),
        Arguments.of("100 nested block maps", blockNesting(100), "nested more than 64 levels deep"),
        Arguments.of("45 aliases expanding to 143 million nodes", aliasBomb(15, 3, ""),
            "more than 100000 values once aliases are expanded"),
        Arguments.of("the same bomb under an unknown key", "name: x\nfoo:\n" + aliasBomb(15, 3, "  "),
            "foo.a"),
        Arguments.of("more aliases than the parser takes", aliasBomb(9, 10, ""), "Number of aliases"),
        Arguments.of("a top-level key twice", "train: {lr: 1}\nseeds: [1]\ntrain: {lr: 2}\n",
            "f.yaml:3: train: given twice (first at line 1)"),
        Arguments.of("a key twice in a flow map in a list", "methods:\n  - full\n  - {name: lora, ranks: [8], ranks: [4]}\n",
            "f.yaml:3: methods[1].ranks: given twice (first at line 3)"),
        Arguments.of("a key twice in a baseline entry", "entries:\n  - metric: accuracy\n    value: 0.9\n    value: 0.8\n",
            "f.yaml:4: entries[0].value: given twice (first at line 3)"),
        Arguments.of("more code points than the cap", "a: '" + "x".repeat((1 << 20) + 1) + "'\n", "f.yaml: not valid YAML"));
  }

  private static String blockNesting(int depth) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      sb.append(" ".repeat(i)).append("k").append(i).append(":\n");
    }
    return sb.append(" ".repeat(depth)).append("leaf\n").toString();
  }

  /** {@code levels} anchored lists, each holding {@code width} aliases of the one before: 10·width^levels nodes. */
  private static String aliasBomb(int levels, int width, String indent) {
    StringBuilder bomb = new StringBuilder(indent + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= levels; i++) {
      bomb.append(indent).append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < width; j++) {
        bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      bomb.append("]\n");
    }
    return bomb.toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileYaml")
  void hostileYamlIsALocatedInputErrorAtOnce(String name, String yaml, String expected) {
    long start = System.nanoTime();
    assertThatThrownBy(() -> YamlFiles.parse(yaml, "f.yaml")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(expected);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void filesAreReadBoundedAsUtf8AndCrlfReadsAsLf() throws IOException {
    Path big = tmp.resolve("big.yaml");
    Files.writeString(big, "a: '" + "x".repeat(YamlFiles.MAX_BYTES) + "'\n");
    assertThatThrownBy(() -> YamlFiles.read(big, "grid file")).isInstanceOf(InvalidInputException.class)
        .hasMessage(big + ": a grid file is at most 1 MiB; this one is larger (is it the right file?)");
    Path latin1 = tmp.resolve("latin1.yaml");
    Files.write(latin1, "a: 1\nb: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> YamlFiles.read(latin1, "grid file")).isInstanceOf(InvalidInputException.class)
        .hasMessage(latin1 + ":2: not UTF-8 text (byte 11)");
    assertThatThrownBy(() -> YamlFiles.read(tmp.resolve("none.yaml"), "baseline file")).isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith("none.yaml: baseline file not found");
    String lf = "name: x\nmethods:\n  - {name: lora, ranks: [4, 8]}\ntrain:\n  lr: 1e-3\n";
    Path crlf = tmp.resolve("crlf.yaml");
    Files.writeString(crlf, lf.replace("\n", "\r\n"));
    assertThat(YamlFiles.parse(YamlFiles.read(crlf, "grid file"), "f.yaml")).isEqualTo(YamlFiles.parse(lf, "f.yaml"));
  }
}

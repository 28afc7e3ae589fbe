package org.peftharness.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.core.InvalidInputException;

class YamlMapTest {
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

  @Test
  void untrustedFilesAreBounded() {
    String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
    assertThatThrownBy(() -> YamlFiles.parse(deep, "deep.yaml")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("deep.yaml:1").hasMessageContaining("nested more than 64 levels");
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      bomb.append("]\n");
    }
    assertThatThrownBy(() -> YamlFiles.parse(bomb.toString(), "bomb.yaml")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("bomb.yaml");
    assertThatThrownBy(() -> YamlFiles.parse("a: 1\na: 2\n", "dup.yaml")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("dup.yaml:2: a: given twice (first at line 1)");
  }
}

package org.peftharness.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.ci.baseline.BaselineEntry;
import org.peftharness.ci.baseline.BaselineFile;
import org.peftharness.ci.baseline.Baselines;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.baseline.ReferencePoint;

class BaselinesTest {
  static final String GOOD = """
      baseline: tiny
      defaults:
        model: minilm
        task: synthetic-sentiment
        metric: accuracy
        source: reference run on the lead's laptop
        verified: true
        tolerance: {absolute: 0.01}
      entries:
        - {method: lora, rank: 8, value: 0.884}
        - method: full
          value: 0.912
          std: 0.004
          tolerance: {stds: 3}
          aggregate: median
          direction: higher
      """;

  @Test
  void good_file_withDefaults() {
    BaselineFile f = Baselines.parse(GOOD, "tiny.yaml");
    assertThat(f.name()).isEqualTo("tiny");
    assertThat(f.entries()).hasSize(2);
    BaselineEntry lora = f.entries().get(0);
    assertThat(lora.line()).isEqualTo(10);
    assertThat(lora.absolute()).isEqualTo(0.01);
    assertThat(lora.aggregate()).isEqualTo(BaselineEntry.Aggregate.MEAN);
    BaselineEntry full = f.entries().get(1);
    assertThat(full.rank()).isNull();
    assertThat(full.absolute()).isNull(); // an entry's tolerance replaces the default's
    assertThat(full.stds()).isEqualTo(3.0);
    assertThat(full.aggregate()).isEqualTo(BaselineEntry.Aggregate.MEDIAN);
    assertThat(full.higherIsBetter()).isTrue();
  }

  private static InvalidInputException fault(String yaml) {
    ThrowingCallable parse = () -> Baselines.parse(yaml, "bad.yaml");
    assertThatThrownBy(parse).isInstanceOf(InvalidInputException.class);
    try {
      Baselines.parse(yaml, "bad.yaml");
    } catch (InvalidInputException e) {
      return e;
    }
    throw new AssertionError("unreachable");
  }

  private static String entry(String extra) {
    return """
        baseline: b
        entries:
          - model: minilm
            task: t
            method: lora
            rank: 8
            metric: accuracy
            value: 0.9
            source: s
            verified: false
        """ + extra;
  }

  @Test
  void unknownKey_namesLineField_andSuggests() {
    InvalidInputException e = fault(entry("    tolerence: {absolute: 0.1}\n"));
    assertThat(e.source()).isEqualTo("bad.yaml");
    assertThat(e.line()).isEqualTo(11);
    assertThat(e.field()).isEqualTo("entries[0].tolerence");
    assertThat(e.problem()).contains("unknown key 'tolerence'").containsPattern("did you mean '?tolerance'?");
    assertThat(e.getMessage()).startsWith("bad.yaml:11: entries[0].tolerence: ");
  }

  @Test
  void wrongTypes() {
    InvalidInputException rank = fault(entry("    tolerance: {absolute: 0.1}\n").replace("rank: 8", "rank: eight"));
    assertThat(rank.line()).isEqualTo(6);
    assertThat(rank.field()).isEqualTo("entries[0].rank");
    assertThat(rank.problem()).contains("positive integer");

    InvalidInputException verified = fault(entry("    tolerance: {absolute: 0.1}\n").replace("verified: false", "verified: yes"));
    assertThat(verified.field()).isEqualTo("entries[0].verified");
    assertThat(verified.problem()).contains("true or false");

    InvalidInputException value = fault(entry("    tolerance: {absolute: 0.1}\n").replace("value: 0.9", "value: [0.9]"));
    assertThat(value.line()).isEqualTo(8);
    assertThat(value.problem()).contains("expected a number");

    InvalidInputException tol = fault(entry("    tolerance: 0.1\n"));
    assertThat(tol.field()).isEqualTo("entries[0].tolerance");
    assertThat(tol.problem()).contains("expected a mapping");

    InvalidInputException neg = fault(entry("    tolerance: {absolute: -0.1}\n"));
    assertThat(neg.field()).isEqualTo("entries[0].tolerance.absolute");

    InvalidInputException dir = fault(entry("    tolerance: {absolute: 0.1}\n    direction: hihger\n"));
    assertThat(dir.field()).isEqualTo("entries[0].direction");
    assertThat(dir.problem()).containsPattern("did you mean '?higher'?");
  }

  @Test
  void missingRequiredKeys() {
    InvalidInputException tol = fault(entry(""));
    assertThat(tol.line()).isEqualTo(3); // the entry's first line
    assertThat(tol.field()).isEqualTo("entries[0].tolerance");
    assertThat(tol.problem()).contains("required key is missing");

    InvalidInputException value = fault(entry("    tolerance: {absolute: 0.1}\n").replace("    value: 0.9\n", ""));
    assertThat(value.field()).isEqualTo("entries[0].value");

    InvalidInputException empty = fault(entry("    tolerance: {}\n"));
    assertThat(empty.problem()).contains("needs absolute").contains("stds");

    InvalidInputException name = fault("entries: []\n");
    assertThat(name.field()).isEqualTo("baseline");
  }

  @Test
  void duplicates_andBadYaml_andUnknownTopKey() {
    String one = entry("    tolerance: {absolute: 0.1}\n");
    String two = one + one.substring(one.indexOf("  - model"));
    InvalidInputException dup = fault(two);
    assertThat(dup.line()).isEqualTo(12);
    assertThat(dup.problem()).contains("duplicate of the entry at line 3");

    InvalidInputException yaml = fault("baseline: b\nentries:\n  - {model: [\n");
    assertThat(yaml.line()).isGreaterThan(0);
    assertThat(yaml.problem()).contains("not valid YAML");

    InvalidInputException key = fault(GOOD.replace("    value: 0.912\n", "    value: 0.912\n    value: 0.95\n"));
    assertThat(key.getMessage()).isEqualTo("bad.yaml:13: entries[1].value: given twice (first at line 12)");

    InvalidInputException top = fault("baselines: b\nentries: []\n");
    assertThat(top.field()).isEqualTo("baselines");
    assertThat(top.problem()).containsPattern("did you mean '?baseline'?");
  }

  @Test
  void paperFiles_parse_keepVerifiedStatusAndSource() {
    // surefire runs in the module folder: ci/
    BaselineFile sb = Baselines.read(Path.of("baselines", "paper-lora-sb.yaml"));
    assertThat(sb.entries()).hasSize(24);
    assertThat(sb.entries()).allSatisfy(e -> {
      assertThat(e.verified()).isFalse();
      assertThat(e.source()).startsWith("UNVERIFIED second-hand");
      assertThat(e.scale()).isEqualTo(100);
      assertThat(e.trainableParams()).isNotNull();
    });
    BaselineEntry gsm = sb.entries().get(0);
    assertThat(gsm.describe()).isEqualTo("mistral-7b-v0.1 / gsm8k / lora r32 / accuracy [lorasb-answer-is]");
    assertThat(gsm.trainableParams()).isEqualTo(83_880_000L);
    assertThat(sb.entries()).anyMatch(e -> e.task().equals("cola") && e.metric().equals("mcc") && e.value() == 68.28
        && e.method().equals("lora-sb") && e.trainableParams() == 55_200L);

    BaselineFile pissa = Baselines.read(Path.of("baselines", "paper-pissa.yaml"));
    assertThat(pissa.entries()).hasSize(2).allSatisfy(e -> assertThat(e.verified()).isTrue());

    List<ReferencePoint> pts = Baselines.referencePoints(List.of(sb));
    assertThat(pts.get(0).value()).isCloseTo(0.6194, within(1e-12));
    assertThat(pts.get(0).provenanceTag()).isEqualTo("paper-reported, UNVERIFIED");
  }

  @Test
  void crlfFile_readsAsLf(@TempDir Path dir) throws IOException {
    Path crlf = dir.resolve("tiny.yaml");
    Files.writeString(crlf, GOOD.replace("\n", "\r\n"));
    assertThat(Baselines.read(crlf).entries()).isEqualTo(Baselines.parse(GOOD, crlf.toString()).entries());
  }

  @Test
  void missingFile_isInvalidInput() {
    assertThatThrownBy(() -> Baselines.read(Path.of("baselines", "nope.yaml")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("nope.yaml").hasMessageContaining("not found");
  }
}

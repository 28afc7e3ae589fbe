package org.peftharness.tasks.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;

class GeneratorTest {
  @TempDir Path tmp;

  @Test
  void sameSeedSameBytesDifferentSeedDifferentBytes() {
    for (DataGenerator g : List.of(new SentimentGenerator(), new ContrastSentimentGenerator(), new ArithGenerator())) {
      GeneratedSplits a = g.generate(7, 300, 50);
      GeneratedSplits b = g.generate(7, 300, 50);
      GeneratedSplits c = g.generate(8, 300, 50);
      assertThat(a.train()).isEqualTo(b.train());
      assertThat(a.eval()).isEqualTo(b.eval());
      assertThat(a.train()).isNotEqualTo(c.train());
      assertThat(a.eval()).isNotEqualTo(c.eval());
    }
  }

  @Test
  void ensureGeneratedWritesByteIdenticalFilesInTheOriginalFormats() throws IOException {
    Path d1 = tmp.resolve("one");
    Path d2 = tmp.resolve("two");
    SyntheticData.ensureGenerated(d1);
    SyntheticData.ensureGenerated(d2);
    for (String f : List.of("synthetic/sentiment/train.tsv", "synthetic/sentiment/dev.tsv", "synthetic/arith/train.jsonl", "synthetic/arith/test.jsonl")) {
      assertThat(Files.readAllBytes(d1.resolve(f))).as(f).isEqualTo(Files.readAllBytes(d2.resolve(f)));
    }
    String sst = Files.readString(d1.resolve("synthetic/sentiment/dev.tsv"), StandardCharsets.UTF_8);
    assertThat(sst).startsWith("sentence\tlabel\n");
    String arith = Files.readAllLines(d1.resolve("synthetic/arith/test.jsonl")).get(0);
    assertThat(arith).matches("\\{\"question\":\"What is \\d+ [-+*] \\d+\\?\",\"answer\":\"\\d+ [-+*] \\d+ = \\d+\\\\n#### \\d+\"}");
    // a stale file (other seed, partial write) is replaced; a right one is left as it is
    Path dev = d1.resolve("synthetic/sentiment/dev.tsv");
    Files.writeString(dev, "sentence\tlabel\n");
    SyntheticData.ensureGenerated(d1);
    assertThat(Files.readAllBytes(dev)).isEqualTo(Files.readAllBytes(d2.resolve("synthetic/sentiment/dev.tsv")));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"synthetic-sentiment", "synthetic-contrast"})
  void sentimentIsBalancedAndTrainAndDevAreDisjoint(String task) {
    TaskSpec t = TaskRegistry.builtin().get(task);
    List<Example> train = TaskData.examples(t, tmp, Split.TRAIN);
    List<Example> dev = TaskData.examples(t, tmp, Split.EVAL);
    assertThat(train).hasSize(2000);
    assertThat(dev).hasSize(400);
    assertThat(train.stream().filter(e -> e.gold().label() == 1).count()).isEqualTo(1000);
    assertThat(dev.stream().filter(e -> e.gold().label() == 1).count()).isEqualTo(200);
    Set<String> seen = new HashSet<>();
    train.forEach(e -> seen.add(e.input("text")));
    assertThat(dev).noneMatch(e -> seen.contains(e.input("text")));
  }

  @Test
  void arithAnswersAreRight() {
    TaskSpec t = TaskRegistry.builtin().get("synthetic-arith");
    for (Example e : TaskData.examples(t, tmp, Split.TRAIN)) {
      String[] q = e.input("question").replace("What is ", "").replace("?", "").split(" ");
      long a = Long.parseLong(q[0]);
      long b = Long.parseLong(q[2]);
      long c = switch (q[1]) {
        case "+" -> a + b;
        case "-" -> a - b;
        default -> a * b;
      };
      assertThat(e.gold().answer()).isEqualTo(Long.toString(c));
      assertThat(c).isNotNegative();
    }
  }

  /** Positive minus negative cue words: what a bag of words knows of a sentence. */
  static int cueBalance(String sentence) {
    int score = 0;
    for (String w : sentence.split(" ")) {
      score += SentimentGenerator.POSITIVE.contains(w) || SentimentGenerator.POSITIVE_VERBS.contains(w) ? 1 : 0;
      score -= SentimentGenerator.NEGATIVE.contains(w) || SentimentGenerator.NEGATIVE_VERBS.contains(w) ? 1 : 0;
    }
    return score;
  }

  static double bagOfWordsAccuracy(String task, Path dir) {
    List<Example> dev = TaskData.examples(TaskRegistry.builtin().get(task), dir, Split.EVAL);
    double right = 0;
    for (Example e : dev) {
      int b = cueBalance(e.input("text"));
      right += b == 0 ? 0.5 : (b > 0 ? 1 : 0) == e.gold().label() ? 1 : 0; // a tie is a coin toss
    }
    return right / dev.size();
  }

  @Test
  void theContrastTaskDefeatsCueCountingWhichSolvesThePlainOne() {
    assertThat(bagOfWordsAccuracy("synthetic-sentiment", tmp)).isEqualTo(1.0);
    // a quarter plain (right), a quarter negated (wrong), half with one cue of each polarity (a coin toss)
    assertThat(bagOfWordsAccuracy("synthetic-contrast", tmp)).isBetween(0.40, 0.60);
  }

  @Test
  void everyContrastSentenceDecidesItsLabel() {
    for (Example e : TaskData.examples(TaskRegistry.builtin().get("synthetic-contrast"), tmp, Split.TRAIN)) {
      String s = e.input("text");
      int label = e.gold().label();
      String verdict;
      if (s.contains(" , but ")) {
        verdict = s.substring(s.indexOf(" , but ") + 7);
      } else if (s.startsWith("although ")) {
        verdict = s.substring(s.indexOf(" , ") + 3);
      } else if (s.contains(" even though ")) {
        verdict = s.substring(0, s.indexOf(" even though "));
      } else {
        verdict = s;
      }
      boolean negated = verdict.contains(" not ") || verdict.contains(" never ");
      int polarity = cueBalance(verdict) > 0 ? 1 : 0;
      assertThat(Math.abs(cueBalance(verdict))).as(s).isEqualTo(1);
      assertThat(negated ? 1 - polarity : polarity).as(s).isEqualTo(label);
    }
  }
}

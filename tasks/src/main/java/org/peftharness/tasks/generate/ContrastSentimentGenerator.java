package org.peftharness.tasks.generate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Reviews whose sentiment turns on negation and contrast, in the GLUE SST-2 layout: the same
 * vocabulary as {@link SentimentGenerator}, but in three of four sentences the bag of words does
 * not give the label. A quarter carry one plain cue; a quarter negate a cue of the other polarity
 * ("the plot was not boring" is positive); half join two clauses of opposite polarity, where the
 * verdict is the main clause's: after "but", after an "although" clause, or before "even though".
 * Every label is determined by the sentence (the ceiling is 100%), but reaching it needs word
 * order and scope, so methods with different capacity separate within a short training run,
 * which the plain task's cue-spotting does not show.
 */
public final class ContrastSentimentGenerator implements DataGenerator {
  public static final String NAME = "contrast-sentiment";

  static final List<String> NEGATED_FRAMES =
      List.of("%s was not %s .", "i did not think %s was %s .", "%s was never %s .", "honestly , %s is not %s .");

  record Item(String sentence, int label) {}

  @Override
  public GeneratedSplits generate(long seed, int trainSize, int evalSize) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Item> items = Unique.draw(trainSize + evalSize, rng, (r, n) -> sentence(r, n % 2), Item::sentence);
    List<Item> train = new ArrayList<>(items.subList(0, trainSize));
    List<Item> eval = new ArrayList<>(items.subList(trainSize, items.size()));
    Unique.shuffle(train, rng);
    Unique.shuffle(eval, rng);
    return new GeneratedSplits(tsv(train), tsv(eval));
  }

  static Item sentence(SplittableRandom r, int label) {
    boolean positive = label == 1;
    String s = switch (r.nextInt(4)) {
      case 0 -> clause(r, pick(r, SentimentGenerator.SUBJECTS), positive) + " .";
      case 1 -> String.format(Locale.ROOT, pick(r, NEGATED_FRAMES), pick(r, SentimentGenerator.SUBJECTS), adjective(r, !positive));
      default -> {
        List<String> two = twoSubjects(r);
        String verdict = clause(r, two.get(0), positive);
        String other = clause(r, two.get(1), !positive);
        yield switch (r.nextInt(3)) {
          case 0 -> other + " , but " + verdict + " .";
          case 1 -> "although " + other + " , " + verdict + " .";
          default -> verdict + " even though " + other + " .";
        };
      }
    };
    return new Item(s, label);
  }

  /** "the plot was really wonderful": a subject judged with one cue of the given polarity. */
  private static String clause(SplittableRandom r, String subject, boolean positive) {
    String verb = r.nextBoolean() ? "was" : "felt";
    return subject + " " + verb + " " + pick(r, SentimentGenerator.INTENSIFIERS) + adjective(r, positive);
  }

  private static String adjective(SplittableRandom r, boolean positive) {
    return pick(r, positive ? SentimentGenerator.POSITIVE : SentimentGenerator.NEGATIVE);
  }

  private static List<String> twoSubjects(SplittableRandom r) {
    String a = pick(r, SentimentGenerator.SUBJECTS);
    String b;
    do {
      b = pick(r, SentimentGenerator.SUBJECTS);
    } while (b.equals(a));
    return List.of(a, b);
  }

  private static String pick(SplittableRandom r, List<String> words) {
    return words.get(r.nextInt(words.size()));
  }

  private static byte[] tsv(List<Item> items) {
    StringBuilder sb = new StringBuilder("sentence\tlabel\n");
    for (Item it : items) {
      sb.append(it.sentence()).append('\t').append(it.label()).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}

package org.peftharness.tasks.generate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Short English reviews with an unmistakable sentiment cue, in the GLUE SST-2 layout (header
 * {@code sentence\tlabel}, label 1 = positive). The cue is always one adjective or verb from a
 * clearly positive or clearly negative list, so a small pretrained sentence encoder
 * (all-MiniLM-L6-v2) separates the classes within a few hundred steps; the rest of the sentence
 * (subject, intensifier, frame) is shared by both classes and carries no signal. Labels are
 * balanced exactly: items alternate positive/negative before the split.
 */
public final class SentimentGenerator implements DataGenerator {
  public static final String NAME = "sentiment";

  static final List<String> SUBJECTS =
      List.of(
          "the movie", "this film", "the plot", "the acting", "the soundtrack", "the ending", "the story", "the cast",
          "the dialogue", "the director's work", "the script", "the camera work", "the main character", "this sequel",
          "the opening scene", "the special effects", "the pacing", "the humor", "the performances", "the screenplay");
  static final List<String> INTENSIFIERS =
      List.of("", "really ", "truly ", "absolutely ", "simply ", "quite ", "very ", "remarkably ", "thoroughly ");
  static final List<String> POSITIVE =
      List.of(
          "wonderful", "delightful", "brilliant", "excellent", "charming", "moving", "superb", "beautiful", "fantastic",
          "heartwarming", "enjoyable", "gripping", "inspiring", "lovely", "masterful", "touching", "clever", "uplifting");
  static final List<String> NEGATIVE =
      List.of(
          "terrible", "awful", "boring", "dreadful", "tedious", "painful", "horrible", "dull", "disappointing",
          "lifeless", "clumsy", "annoying", "pointless", "miserable", "bland", "unbearable", "weak", "forgettable");
  static final List<String> POSITIVE_VERBS = List.of("loved", "enjoyed", "adored", "admired", "treasured", "relished");
  static final List<String> NEGATIVE_VERBS = List.of("hated", "disliked", "loathed", "regretted", "resented", "despised");
  static final List<String> FRAMES =
      List.of("%s was %s%s .", "i thought %s was %s%s .", "honestly , %s is %s%s .", "%s felt %s%s to me .", "overall %s was %s%s .");
  static final List<String> VERB_FRAMES = List.of("i %s %s .", "we %s %s from start to finish .", "everyone %s %s .");

  record Item(String sentence, int label) {}

  @Override
  public GeneratedSplits generate(long seed, int trainSize, int evalSize) {
    SplittableRandom rng = new SplittableRandom(seed);
    // labels alternate over accepted items, so each even-sized split is exactly balanced
    List<Item> items = Unique.draw(trainSize + evalSize, rng, (r, n) -> sentence(r, n % 2), Item::sentence);
    List<Item> train = new ArrayList<>(items.subList(0, trainSize));
    List<Item> eval = new ArrayList<>(items.subList(trainSize, items.size()));
    Unique.shuffle(train, rng);
    Unique.shuffle(eval, rng);
    return new GeneratedSplits(tsv(train), tsv(eval));
  }

  private static Item sentence(SplittableRandom r, int label) {
    boolean positive = label == 1;
    String subject = pick(r, SUBJECTS);
    if (r.nextInt(4) == 0) {
      String verb = pick(r, positive ? POSITIVE_VERBS : NEGATIVE_VERBS);
      return new Item(String.format(Locale.ROOT, pick(r, VERB_FRAMES), verb, subject), label);
    }
    String adj = pick(r, positive ? POSITIVE : NEGATIVE);
    String frame = pick(r, FRAMES);
    return new Item(String.format(Locale.ROOT, frame, subject, pick(r, INTENSIFIERS), adj), label);
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

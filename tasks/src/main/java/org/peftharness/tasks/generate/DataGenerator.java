package org.peftharness.tasks.generate;

/**
 * Writes a synthetic task in an original public format. Implementations draw every choice from
 * one {@link java.util.SplittableRandom} seeded with {@code seed}, in a fixed order, and format
 * numbers without locale, so the same seed gives the same bytes on every machine and JVM.
 */
public interface DataGenerator {
  GeneratedSplits generate(long seed, int trainSize, int evalSize);
}

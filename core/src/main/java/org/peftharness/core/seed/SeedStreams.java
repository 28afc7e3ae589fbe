package org.peftharness.core.seed;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One root seed split into named, independent streams ({@code init}, {@code data-order},
 * {@code dropout}, {@code gradient-estimate}, ...). A stream's seed depends only on the root and
 * its name, never on the order streams are asked for, so adding a stream changes no other one.
 * Every derived seed is remembered for the provenance record.
 */
public final class SeedStreams {
  public static final String INIT = "init";
  public static final String DATA_ORDER = "data-order";
  public static final String DROPOUT = "dropout";
  public static final String GRADIENT_ESTIMATE = "gradient-estimate";
  /** NEFTune's embedding noise (a train setting); asked for only by runs that add it. */
  public static final String NEFTUNE = "neftune";

  private final long root;
  private final Map<String, Long> derived = new TreeMap<>();

  public SeedStreams(long root) {
    this.root = root;
  }

  public long root() {
    return root;
  }

  /** The seed of a named stream: SplitMix64 of the root mixed with the name's SHA-256. */
  public synchronized long seed(String stream) {
    return derived.computeIfAbsent(stream, s -> mix(root ^ mix(nameHash(s))));
  }

  /** A fresh generator for a named stream (each call starts the stream from its beginning). */
  public SplittableRandom random(String stream) {
    return new SplittableRandom(seed(stream));
  }

  /** A sub-stream, e.g. {@code init/encoder.layer.0.attention.self.query}. */
  public SplittableRandom random(String stream, String part) {
    return random(stream + "/" + part);
  }

  /** Every seed handed out so far, by stream name. */
  public synchronized Map<String, Long> derivedSeeds() {
    return Collections.unmodifiableMap(new TreeMap<>(derived));
  }

  private static long nameHash(String name) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (d[i] & 0xff);
      }
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SplitMix64's finaliser: a bijection that spreads every input bit over the output. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}

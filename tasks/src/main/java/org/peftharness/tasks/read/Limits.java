package org.peftharness.tasks.read;

/**
 * Caps on input sizes. The largest real inputs (LLM-Adapters commonsense_170k.json, about 80 MB;
 * MATH solutions of a few KB) sit far below these, so a cap only trips on a wrong or hostile file,
 * and it trips with a message instead of an OutOfMemoryError.
 */
public final class Limits {
  private Limits() {}

  /** Longest line (in chars) in a JSONL or TSV file. */
  public static final int MAX_LINE_CHARS = 1 << 20;

  /** Longest single JSON string value. */
  public static final int MAX_STRING_CHARS = 1 << 20;

  /** Largest file any reader accepts. */
  public static final long MAX_FILE_BYTES = 2L << 30;
}

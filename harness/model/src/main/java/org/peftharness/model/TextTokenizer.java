package org.peftharness.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.peftharness.core.InvalidInputException;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's binding of the Rust tokenizers library.
 * Padding and truncation are switched off: the harness pads per batch and truncates itself, so a
 * file's own settings (MiniLM's asks for padding to 128) never change the ids silently.
 */
public final class TextTokenizer implements AutoCloseable {
  private static final Map<String, String> OPTIONS =
      Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true");

  private final HuggingFaceTokenizer tokenizer;
  private final String source;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, String source) {
    this.tokenizer = tokenizer;
    this.source = source;
  }

  public static TextTokenizer open(Path tokenizerJson) {
    Offline.enforce();
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new InvalidInputException(tokenizerJson, null, "file not found");
    }
    try {
      return new TextTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS), tokenizerJson.toString());
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(tokenizerJson, null, "not a usable tokenizer.json: " + e.getMessage());
    }
  }

  public static TextTokenizer open(String source, InputStream json) {
    Offline.enforce();
    try {
      return new TextTokenizer(HuggingFaceTokenizer.newInstance(json, OPTIONS), source);
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(source, 0, null, "not a usable tokenizer.json: " + e.getMessage());
    }
  }

  /** Token ids and segment (token type) ids of one text or text pair, with special tokens. */
  public record Encoded(int[] ids, int[] typeIds) {
    public int length() {
      return ids.length;
    }
  }

  public Encoded encode(String text) {
    return of(tokenizer.encode(text));
  }

  public Encoded encode(String text, String pair) {
    return pair == null ? encode(text) : of(tokenizer.encode(text, pair));
  }

  /** Ids of a text without any special tokens (for continuing a prompt with a target). */
  public int[] encodePlain(String text) {
    return toInt(tokenizer.encode(text, false, false).getIds());
  }

  public String decode(int[] ids, boolean skipSpecialTokens) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return tokenizer.decode(l, skipSpecialTokens);
  }

  public String source() {
    return source;
  }

  private static Encoded of(Encoding e) {
    return new Encoded(toInt(e.getIds()), toInt(e.getTypeIds()));
  }

  private static int[] toInt(long[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.toIntExact(v[i]);
    }
    return out;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}

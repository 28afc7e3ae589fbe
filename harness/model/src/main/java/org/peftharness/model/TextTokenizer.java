package org.peftharness.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.peftharness.core.InvalidInputException;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's binding of the Rust tokenizers library.
 * Padding and truncation are switched off: the harness pads per batch and truncates itself, so a
 * file's own settings (MiniLM's asks for padding to 128) never change the ids silently. Special
 * tokens come from the file's post-processor, except where {@code tokenizer_config.json} decides
 * them as transformers does ({@link SpecialTokenRule}: Llama and Gemma tokenizers).
 */
public final class TextTokenizer implements AutoCloseable {
  private static final Map<String, String> OPTIONS =
      Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true");

  private final HuggingFaceTokenizer tokenizer;
  private final String source;
  /** Ids framing a text when tokenizer_config.json decides them; null to use the post-processor. */
  private final Frame frame;

  private record Frame(int[] before, int[] after) {}

  private TextTokenizer(HuggingFaceTokenizer tokenizer, String source, SpecialTokenRule rule) {
    this.tokenizer = tokenizer;
    this.source = source;
    this.frame = rule == null ? null : new Frame(idsOf(rule.bos()), idsOf(rule.eos()));
  }

  /** A special token's id: its text must encode to exactly one id (an added token) that decodes back to it. */
  private int[] idsOf(String specialToken) {
    if (specialToken == null) {
      return new int[0];
    }
    long[] ids = tokenizer.encode(specialToken, false, false).getIds();
    if (ids.length != 1 || !specialToken.equals(tokenizer.decode(ids, false))) {
      throw new InvalidInputException(source, 0, "tokenizer_config.json", "special token '" + specialToken
          + "' is not one token of this tokenizer's vocabulary");
    }
    return new int[] {Math.toIntExact(ids[0])};
  }

  public static TextTokenizer open(Path tokenizerJson) {
    Offline.enforce();
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new InvalidInputException(tokenizerJson, null, "file not found");
    }
    try {
      SpecialTokenRule rule = SpecialTokenRule.beside(tokenizerJson).orElse(null);
      return new TextTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS), tokenizerJson.toString(), rule);
    } catch (InvalidInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(tokenizerJson, null, "not a usable tokenizer.json: " + e.getMessage());
    }
  }

  public static TextTokenizer open(String source, InputStream json) {
    Offline.enforce();
    try {
      return new TextTokenizer(HuggingFaceTokenizer.newInstance(json, OPTIONS), source, null);
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
    return frame == null ? of(tokenizer.encode(text)) : framed(text, null);
  }

  public Encoded encode(String text, String pair) {
    if (pair == null) {
      return encode(text);
    }
    return frame == null ? of(tokenizer.encode(text, pair)) : framed(text, pair);
  }

  /** transformers' rebuilt template: {@code [bos] A [eos]}, and for a pair {@code [bos] B [eos]} after it with type id 1. */
  private Encoded framed(String text, String pair) {
    int[] a = frame(encodePlain(text));
    int[] b = pair == null ? new int[0] : frame(encodePlain(pair));
    int[] ids = new int[a.length + b.length];
    System.arraycopy(a, 0, ids, 0, a.length);
    System.arraycopy(b, 0, ids, a.length, b.length);
    int[] types = new int[ids.length];
    Arrays.fill(types, a.length, ids.length, 1);
    return new Encoded(ids, types);
  }

  private int[] frame(int[] plain) {
    int[] out = new int[frame.before().length + plain.length + frame.after().length];
    System.arraycopy(frame.before(), 0, out, 0, frame.before().length);
    System.arraycopy(plain, 0, out, frame.before().length, plain.length);
    System.arraycopy(frame.after(), 0, out, frame.before().length + plain.length, frame.after().length);
    return out;
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

package org.peftharness.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Greedy decoding ({@code temperature 0}) for a batch of prompts, left-padded to the longest as
 * transformers' {@code generate()} expects, with a key/value cache: the prompt is run once
 * (prefill), then each step feeds only the new token and the cached keys/values of the earlier
 * ones, so the weight matmuls of a step cost the same at any length. Without the cache every
 * step runs the whole sequence again (the reference the cache is tested against).
 *
 * <p>A sequence ends at EOS (kept in the tokens, not in the text), when its decoded text contains
 * a stop string (vLLM's {@code stop}: the text is cut before the stop string), or after
 * {@code maxNewTokens}. Finished rows keep receiving the pad token until all are done, as HF does.
 */
public final class GreedyGenerator<T extends TNumber> {
  public enum FinishReason { EOS, STOP_STRING, LENGTH }

  /** The new tokens of one prompt (EOS included if it ended there), their text, and why it stopped. */
  public record Generation(int[] tokens, String text, FinishReason reason) {}

  /**
   * @param eosTokenId id that ends a sequence, or -1 for none
   * @param padTokenId id used for left padding and for finished rows
   */
  public record Options(int maxNewTokens, List<String> stopStrings, int eosTokenId, int padTokenId, boolean useCache) {
    public Options {
      stopStrings = List.copyOf(stopStrings);
      if (maxNewTokens < 1) {
        throw new IllegalArgumentException("maxNewTokens must be >= 1");
      }
    }
  }

  private final DecoderModel<T> model;
  private final Function<int[], String> decode;

  /** @param decode new token ids to text (e.g. {@code ids -> tokenizer.decode(ids, true)}) */
  public GreedyGenerator(DecoderModel<T> model, Function<int[], String> decode) {
    this.model = model;
    this.decode = decode;
  }

  /** Encodes the prompts with the tokenizer (its special tokens included, e.g. BOS), generates, decodes. */
  public static <T extends TNumber> List<Generation> generateText(DecoderModel<T> model, org.peftharness.model.TextTokenizer tokenizer,
      List<String> prompts, Options o) {
    List<int[]> ids = new ArrayList<>();
    prompts.forEach(p -> ids.add(tokenizer.encode(p).ids()));
    return new GreedyGenerator<>(model, t -> tokenizer.decode(t, true)).generate(ids, o);
  }

  public List<Generation> generate(List<int[]> prompts, Options o) {
    int b = prompts.size();
    Padding.Padded p = Padding.left(prompts, o.padTokenId());
    List<List<Integer>> out = new ArrayList<>();
    FinishReason[] reasons = new FinishReason[b];
    String[] texts = new String[b];
    for (int i = 0; i < b; i++) {
      out.add(new ArrayList<>());
    }
    int[][] mask = p.mask();
    int[][] ids = p.ids();
    Result cache = null;
    try {
      double[] logits;
      if (o.useCache()) {
        cache = step(ids, mask, null);
        logits = HostTensors.toDoubles(cache.get(0));
      } else {
        logits = logitsOnly(ids, mask);
      }
      for (int n = 0; ; n++) {
        int vocab = logits.length / b;
        int[] next = new int[b];
        for (int i = 0; i < b; i++) {
          if (reasons[i] != null) {
            next[i] = o.padTokenId();
            continue;
          }
          next[i] = argmax(logits, i * vocab, vocab);
          out.get(i).add(next[i]);
          if (next[i] == o.eosTokenId()) {
            reasons[i] = FinishReason.EOS;
            continue;
          }
          if (!o.stopStrings().isEmpty()) {
            String text = decode.apply(toArray(out.get(i)));
            int cut = firstStop(text, o.stopStrings());
            if (cut >= 0) {
              reasons[i] = FinishReason.STOP_STRING;
              texts[i] = text.substring(0, cut);
            }
          }
        }
        if (n + 1 >= o.maxNewTokens() || Arrays.stream(reasons).allMatch(r -> r != null)) {
          break;
        }
        int len = mask[0].length;
        int[][] grown = new int[b][len + 1];
        for (int i = 0; i < b; i++) {
          System.arraycopy(mask[i], 0, grown[i], 0, len);
          grown[i][len] = 1;
        }
        mask = grown;
        if (o.useCache()) {
          int[][] step = new int[b][1];
          for (int i = 0; i < b; i++) {
            step[i][0] = next[i];
          }
          Result r = step(step, mask, cache);
          cache.close();
          cache = r;
          logits = HostTensors.toDoubles(cache.get(0));
        } else {
          int[][] longer = new int[b][len + 1];
          for (int i = 0; i < b; i++) {
            System.arraycopy(ids[i], 0, longer[i], 0, len);
            longer[i][len] = next[i];
          }
          ids = longer;
          logits = logitsOnly(ids, mask);
        }
      }
    } finally {
      if (cache != null) {
        cache.close();
      }
    }
    List<Generation> gens = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      int[] toks = toArray(out.get(i));
      FinishReason r = reasons[i] == null ? FinishReason.LENGTH : reasons[i];
      String text = texts[i];
      if (text == null) {
        int[] body = r == FinishReason.EOS ? Arrays.copyOf(toks, toks.length - 1) : toks;
        text = decode.apply(body);
      }
      gens.add(new Generation(toks, text, r));
    }
    return gens;
  }

  /** Runs new tokens against the cache in {@code past} (null: none); result 0 is the last logits, then keys, then values. */
  private Result step(int[][] ids, int[][] mask, Result past) {
    int layers = model.config().numLayers();
    List<Tensor> owned = new ArrayList<>();
    try {
      TInt32 i = HostTensors.ints(ids);
      TInt32 m = HostTensors.ints(mask);
      owned.add(i);
      owned.add(m);
      Session.Runner r = model.session().runner().feed(model.inputIds(), i).feed(model.attentionMask(), m);
      if (past != null) {
        for (int l = 0; l < layers; l++) {
          r.feed(model.pastKeys().get(l), past.get(1 + l));
          r.feed(model.pastValues().get(l), past.get(1 + layers + l));
        }
      }
      r.fetch(model.lastLogits());
      for (Operand<T> k : model.presentKeys()) {
        r.fetch(k);
      }
      for (Operand<T> v : model.presentValues()) {
        r.fetch(v);
      }
      return r.run();
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  private double[] logitsOnly(int[][] ids, int[][] mask) {
    try (TInt32 i = HostTensors.ints(ids);
        TInt32 m = HostTensors.ints(mask);
        Result r = model.session().runner().feed(model.inputIds(), i).feed(model.attentionMask(), m)
            .fetch(model.lastLogits()).run()) {
      return HostTensors.toDoubles(r.get(0));
    }
  }

  /** First index of the largest value (ties go to the lowest id, as torch.argmax). */
  static int argmax(double[] v, int off, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (v[off + j] > v[off + best]) {
        best = j;
      }
    }
    return best;
  }

  private static int firstStop(String text, List<String> stops) {
    int cut = -1;
    for (String s : stops) {
      int at = text.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    return cut;
  }

  private static int[] toArray(List<Integer> xs) {
    return xs.stream().mapToInt(Integer::intValue).toArray();
  }
}

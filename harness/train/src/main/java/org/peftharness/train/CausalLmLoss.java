package org.peftharness.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Causal language-model cross-entropy as transformers' {@code ForCausalLMLoss}: logits at position
 * t predict the label at t+1, labels of -100 are ignored, and the loss is the mean over the
 * remaining tokens of the micro-batch ({@code -sum(onehot * logSoftmax) / count}; one-hot of -100
 * is a zero row). Prompt tokens get label -100 unless {@code trainOnInputs}; padding always does.
 */
public final class CausalLmLoss<T extends TNumber> {
  public static final int IGNORE = -100;

  private final DecoderModel<T> model;
  private final Placeholder<TInt32> labels;
  private final Operand<T> loss;
  private final Operand<T> labelledTokens;
  private final Operand<T> normalizer;

  public CausalLmLoss(DecoderModel<T> model) {
    this.model = model;
    Ops tf = model.ops().withSubScope("causal_lm_loss");
    Nn<T> nn = new Nn<>(tf, model.nn().type);
    int vocab = model.config().vocabSize();
    labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    Operand<TInt32> t = tf.slice(tf.shape(labels), nn.ints(1), nn.ints(1));
    Operand<TInt32> tMinus1 = tf.math.sub(t, tf.constant(1));
    Operand<T> logits = tf.slice(model.logits(), nn.ints(0, 0, 0), nn.shape(nn.ints(-1), tMinus1, nn.ints(-1)));
    Operand<T> logProbs = tf.nn.logSoftmax(tf.reshape(logits, nn.ints(-1, vocab)));
    Operand<TInt32> shifted = tf.reshape(tf.slice(labels, nn.ints(0, 1), nn.ints(-1, -1)), nn.ints(-1));
    Operand<T> onehot = tf.oneHot(shifted, tf.constant(vocab), nn.scalar(1.0), nn.scalar(0.0));
    Operand<T> nll = tf.math.neg(tf.reduceSum(tf.math.mul(onehot, logProbs), nn.ints(0, 1)));
    labelledTokens = nn.cast(tf.reduceSum(tf.dtypes.cast(tf.math.greaterEqual(shifted, tf.constant(0)), TInt32.class), nn.ints(0)));
    normalizer = tf.withName("normalizer").placeholderWithDefault(tf.math.maximum(labelledTokens, nn.scalar(1.0)), Shape.scalar());
    loss = tf.withName("loss").math.div(nll, normalizer);
  }

  /**
   * The divisor of the summed token losses: by default the micro-batch's own labelled tokens
   * (mean per micro-batch); feed the count of a whole accumulation group to get transformers'
   * {@code num_items_in_batch} behaviour (see {@link Trainer#averageTokensAcrossMicroBatches}).
   */
  public Operand<T> normalizer() {
    return normalizer;
  }

  static long labelled(int[][] labelRows) {
    long n = 0;
    for (int[] row : labelRows) {
      for (int t = 1; t < row.length; t++) {
        if (row[t] >= 0) {
          n++;
        }
      }
    }
    return n;
  }

  public Operand<T> loss() {
    return loss;
  }

  /** How many tokens count in the loss of the fed batch. */
  public Operand<T> labelledTokens() {
    return labelledTokens;
  }

  public Placeholder<TInt32> labels() {
    return labels;
  }

  /**
   * A micro-batch of prompt + response pairs, right-padded to the batch's longest sequence.
   * Append EOS to the responses before calling if the model should learn to stop.
   */
  public Batch batch(List<int[]> prompts, List<int[]> responses, boolean trainOnInputs) {
    if (prompts.size() != responses.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + responses.size() + " responses");
    }
    List<int[]> seqs = new ArrayList<>();
    List<int[]> labelRows = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      int[] p = prompts.get(i);
      int[] r = responses.get(i);
      int[] seq = Arrays.copyOf(p, p.length + r.length);
      System.arraycopy(r, 0, seq, p.length, r.length);
      int[] lab = seq.clone();
      if (!trainOnInputs) {
        Arrays.fill(lab, 0, p.length, IGNORE);
      }
      seqs.add(seq);
      labelRows.add(lab);
    }
    int pad = Math.max(model.config().padTokenId(), 0);
    Padding.Padded padded = Padding.right(seqs, pad);
    return batch(padded.ids(), padded.mask(), Padding.rightFill(labelRows, IGNORE));
  }

  /** A micro-batch given explicitly: labels of -100 are ignored (set them at padding). */
  public Batch batch(int[][] ids, int[][] mask, int[][] labelRows) {
    long tokens = new Padding.Padded(ids, mask).tokens();
    long labelled = labelled(labelRows);
    return new Batch() {
      @Override
      public long labelledTokens() {
        return labelled;
      }

      @Override
      public void feed(Session.Runner runner, List<Tensor> owned) {
        TInt32 i = HostTensors.ints(ids);
        TInt32 m = HostTensors.ints(mask);
        TInt32 l = HostTensors.ints(labelRows);
        owned.add(i);
        owned.add(m);
        owned.add(l);
        runner.feed(model.inputIds(), i).feed(model.attentionMask(), m).feed(labels, l);
      }

      @Override
      public long tokens() {
        return tokens;
      }

      @Override
      public int size() {
        return ids.length;
      }
    };
  }

}

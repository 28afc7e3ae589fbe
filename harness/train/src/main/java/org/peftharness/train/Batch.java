package org.peftharness.train;

import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/** One micro-batch: the tensors it feeds into a training or evaluation run. */
public interface Batch {
  /** Adds this batch's feeds to the runner; every tensor created goes to {@code owned}, which the caller closes after the run. */
  void feed(Session.Runner runner, List<Tensor> owned);

  /** Real (non-padding) tokens in the batch, for throughput. */
  long tokens();

  /** Targets that count in a token-averaged loss (causal LM: labels other than -100 after the shift); by default {@link #tokens()}. */
  default long labelledTokens() {
    return tokens();
  }

  /** Examples in the batch. */
  int size();
}

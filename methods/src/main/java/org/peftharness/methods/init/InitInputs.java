package org.peftharness.methods.init;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.linalg.Matrix;

/**
 * What the initialisation of one site reads.
 *
 * @param module the site's module path (for messages)
 * @param w0 the pretrained weight, m×n
 * @param gradient the estimated gradient of W0 from the method's pre-pass; null for a method without one
 * @param plan the cell's training plan; null where there is none (inspect init without a schedule)
 * @param random the site's stream for random parameters (LoRA/LoRA-FA A, LoRA-XS R, LoRA-GA's
 *     "random" direction)
 * @param svdRandom the site's stream for a randomized SVD's test matrix
 */
public record InitInputs(String module, FloatTensor w0, FloatTensor gradient, TrainingPlan plan,
    SplittableRandom random, SplittableRandom svdRandom) {

  /** The estimated gradient as a matrix; an input error when it is missing or has W0's shape wrong. */
  public Matrix requireGradient() {
    if (gradient == null) {
      throw new InvalidInputException((String) null, 0, "gradient", "the method needs an estimated gradient of " + module
          + " and none was given");
    }
    if (!Arrays.equals(gradient.shape(), w0.shape())) {
      throw new InvalidInputException((String) null, 0, "gradient", "the gradient of " + module + " has shape "
          + Arrays.toString(gradient.shape()) + " but the weight has " + Arrays.toString(w0.shape()));
    }
    return Matrix.of(gradient);
  }
}

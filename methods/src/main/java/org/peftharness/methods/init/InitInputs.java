package org.peftharness.methods.init;

import java.util.SplittableRandom;
import org.peftharness.core.tensor.FloatTensor;

/**
 * What the initialisation of one site reads.
 *
 * @param module the site's module path (for messages)
 * @param w0 the pretrained weight, m×n
 * @param gradient the estimated gradient of W0 for LoRA-GA (the averaged one) and LoRA-SB (the
 *     summed one); null for the other methods
 * @param etaEff LoRA-SB's effective first-step learning rate (see
 *     {@link org.peftharness.methods.estimate.GradientEstimation#loraSbEtaEff}); NaN otherwise
 * @param random the site's stream for random parameters (LoRA/LoRA-FA A, LoRA-XS R, LoRA-GA's
 *     "random" direction)
 * @param svdRandom the site's stream for a randomized SVD's test matrix
 */
public record InitInputs(String module, FloatTensor w0, FloatTensor gradient, double etaEff,
    SplittableRandom random, SplittableRandom svdRandom) {}

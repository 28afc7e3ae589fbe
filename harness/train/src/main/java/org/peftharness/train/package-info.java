/**
 * The training engine: deterministic graph training with PyTorch/Hugging Face semantics.
 *
 * <ul>
 *   <li>{@link org.peftharness.train.Trainer}: gradients of exactly the chosen variables,
 *       gradient accumulation, global-norm clipping, {@link org.peftharness.train.AdamW},
 *       a {@link org.peftharness.train.Schedule}, seeded data order and dropout, a
 *       {@link org.peftharness.train.TrainListener}, a {@link org.peftharness.train.TrainResult}
 *       (a diverged run is a result, not an exception), and save/restore of the trainable state
 *       (variables, moments, step) as a TensorFlow checkpoint.</li>
 *   <li>{@link org.peftharness.train.TrainConfig}: learning rate, weight decay, betas, eps,
 *       schedule and warmup (steps or ratio), max grad norm, accumulation, epochs or steps, seed.</li>
 *   <li>Objectives: {@link org.peftharness.train.CausalLmLoss} (shifted, -100 ignored, prompt
 *       masking) and {@link org.peftharness.train.SequenceClassifier} (BERT pooler + classifier or
 *       RoBERTa classification head; cross-entropy or MSE).</li>
 *   <li>Evaluation: {@link org.peftharness.train.SequenceClassifier#predict} and
 *       {@link org.peftharness.train.GreedyGenerator} (key/value cache, left padding, stop strings).</li>
 * </ul>
 */
package org.peftharness.train;

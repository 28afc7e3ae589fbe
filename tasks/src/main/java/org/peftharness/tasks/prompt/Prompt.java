package org.peftharness.tasks.prompt;

/**
 * A decoder's input for one example.
 *
 * @param prompt the text the model is conditioned on (masked out of the loss when the run masks
 *     prompt tokens)
 * @param target the text it is trained to produce after the prompt (no EOS: the tokenizer adds
 *     its own); null when the example has no reference output
 */
public record Prompt(String prompt, String target) {}

package org.peftharness.tasks.spec;

import org.peftharness.tasks.prompt.PromptTemplate;

/**
 * Which templates a task uses. Training and evaluation may differ on purpose: LoRA-SB trains
 * commonsense with indented prompts and evaluates without (docs/METHODS.md §8.3); PiSSA evaluates
 * arithmetic with "Let's think step by step." after "### Response:".
 */
public record PromptSpec(PromptTemplate train, PromptTemplate eval) {}

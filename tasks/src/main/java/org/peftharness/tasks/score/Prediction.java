package org.peftharness.tasks.score;

/**
 * One line of a predictions file: the generated {@code output}, or a class {@code label} index,
 * or a regression {@code score}; exactly one is set.
 */
record Prediction(int index, int line, String output, int label, double score) {}

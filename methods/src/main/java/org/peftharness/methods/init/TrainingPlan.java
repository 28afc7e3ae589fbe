package org.peftharness.methods.init;

/**
 * What a cell knows of its training before the initialisation runs: an initialisation that reads
 * the schedule (LoRA-SB's first-step learning rate) takes it from here.
 *
 * @param lr the peak learning rate
 * @param warmupRatio the fraction of steps warmed up linearly
 * @param epochs passes over the training set
 * @param trainExamples examples in the training set
 */
public record TrainingPlan(double lr, double warmupRatio, int epochs, long trainExamples) {}

package org.peftharness.tasks.prompt;

/** An encoder's input: one sentence, or a sentence pair ({@code textPair} null for single sentences). */
public record EncoderInput(String text, String textPair) {}

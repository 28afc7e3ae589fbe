package org.peftharness.tasks.generate;

/** The bytes of a generated task's two files, exactly as they are written. */
public record GeneratedSplits(byte[] train, byte[] eval) {}

package org.peftharness.train.memory;

/**
 * One part of an estimated peak: what it is, its bytes, and why it is there (the graph code that
 * holds it).
 */
public record MemoryTerm(String name, long bytes, String why) {}

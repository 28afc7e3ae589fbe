package org.peftharness.grid;

import java.nio.file.Path;
import java.util.List;
import org.peftharness.core.yaml.YNode;

/** A grid file as written: the axes, the default settings and the overrides, each with its location. */
public record GridSpec(
    String name,
    String description,
    Path file,
    List<String> models,
    List<MethodEntry> methods,
    List<String> tasks,
    List<Long> seeds,
    YNode train,
    YNode eval,
    List<GridOverride> overrides,
    String dataDir,
    String modelsDir) {}

package org.peftharness.methods.adapter;

import org.peftharness.methods.Role;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * One variable of an adapted site.
 *
 * @param name {@code <module>.lora_A} etc. (for WEIGHT/BIAS the model's own name)
 * @param role what it is
 * @param shape its shape
 * @param variable the graph variable (for WEIGHT/BIAS: the model's variable)
 * @param feed a float32 placeholder its value is fed through; null where the method never assigns
 *     it (the model's weights under full FT / non-residual methods are loaded by the model)
 * @param assign the op that assigns {@code feed} to it; null with {@code feed}
 * @param trainable whether the optimizer updates it
 */
public record AdapterVariable(String name, Role role, long[] shape, Operand<? extends TNumber> variable,
    Placeholder<TFloat32> feed, Op assign, boolean trainable) {}

package org.peftharness.methods.adapter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.peftharness.core.tensor.FloatTensor;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Many tensors between the host and a session in few runs. Every distinct set of feeds, fetches
 * and targets makes TensorFlow prune and optimise a copy of the whole graph once
 * ({@code DirectSession::GetOrCreateExecutors}, tensorflow/core/common_runtime/direct_session.cc),
 * about 0.1 s on a training graph: one run per variable cost a MiniLM cell seconds to store its
 * training and to load, initialise and zero its variables. Here a run carries as many tensors as
 * fit in {@link #RUN_BYTES}, so a 7B model's load still holds at most that much of it on the host
 * at once. The values moved are the same either way.
 */
public final class SessionTransfers {
  /** Host bytes one run carries at most (a single larger tensor goes alone). */
  static final long RUN_BYTES = 256L << 20;

  private SessionTransfers() {}

  /**
   * One tensor to assign from the host: the float32 placeholder its assignment reads, the op that
   * assigns it, and its value, read only when its run comes (a checkpoint tensor loads lazily).
   */
  public record Assignment(Operand<TFloat32> feed, Op assign, Supplier<FloatTensor> value) {}

  /** Runs the assignments, as many to a run as {@link #RUN_BYTES} allows, in the given order. */
  public static void assign(Session session, List<Assignment> assignments) {
    assign(session, assignments, RUN_BYTES);
  }

  static void assign(Session session, List<Assignment> assignments, long runBytes) {
    for (List<Assignment> run : runs(assignments, a -> hostBytes(a.feed()), runBytes)) {
      List<TFloat32> fed = new ArrayList<>();
      try {
        Session.Runner r = session.runner();
        for (Assignment a : run) {
          TFloat32 t = TensorIO.toTensor(a.value().get());
          fed.add(t);
          r.feed(a.feed(), t).addTarget(a.assign());
        }
        r.run().close();
      } finally {
        fed.forEach(TFloat32::close);
      }
    }
  }

  /** The operands' values on the host, in order, as many to a run as {@link #RUN_BYTES} allows. */
  public static List<FloatTensor> fetch(Session session, List<? extends Operand<?>> operands) {
    List<FloatTensor> out = new ArrayList<>(operands.size());
    for (List<? extends Operand<?>> run : runs(operands, SessionTransfers::hostBytes)) {
      Session.Runner r = session.runner();
      run.forEach(r::fetch);
      try (Result result = r.run()) {
        for (int i = 0; i < run.size(); i++) {
          out.add(TensorIO.toHost(result.get(i)));
        }
      }
    }
    return out;
  }

  /** Consecutive items grouped so that each group's bytes stay within {@link #RUN_BYTES}. */
  public static <E> List<List<E>> runs(List<E> items, ToLongFunction<E> size) {
    return runs(items, size, RUN_BYTES);
  }

  static <E> List<List<E>> runs(List<E> items, ToLongFunction<E> size, long runBytes) {
    List<List<E>> out = new ArrayList<>();
    List<E> current = new ArrayList<>();
    long bytes = 0;
    for (E e : items) {
      long b = size.applyAsLong(e);
      if (!current.isEmpty() && bytes + b > runBytes) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(e);
      bytes += b;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** Host float32 bytes of an operand of static shape; an unknown shape counts as a full run. */
  public static long hostBytes(Operand<?> op) {
    long n = op.shape().size();
    return n < 0 ? RUN_BYTES : 4 * n;
  }
}

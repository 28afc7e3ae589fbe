package org.peftharness.model.runtime;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetRegisteredKernelsForOp;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;

/**
 * Asks the loaded TensorFlow library what it is and what it runs on. TF Java 1.1.0 has neither a
 * public device listing nor build information, so this uses the C API (tensorflow/c/c_api.h):
 * {@code TF_SessionListDevices} through an empty session (GPU memory is reserved per process, not
 * per session, so the extra session costs none), and {@code TF_GetRegisteredKernelsForOp} for the
 * build: a CUDA build registers its GPU kernels when the library loads, whether or not a GPU is
 * there (MatMul's by REGISTER_BATCH_MATMUL_GPU in tensorflow/core/kernels/matmul_op_impl.h, compiled only
 * under GOOGLE_CUDA), and a CPU build has none.
 */
final class TensorFlowProbe {
  /** An op every build has, with GPU kernels in every CUDA build. */
  private static final String OP_WITH_GPU_KERNELS = "MatMul";

  private TensorFlowProbe() {}

  static TensorFlowRuntime probe() {
    try (PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      NativeBuild build = NativeBuild.fromKernelDevices(kernelDevices(status));
      TF_Session session = TF_Session.newSession(TF_Graph.newGraph(), TF_SessionOptions.newSessionOptions(), status);
      status.throwExceptionIfNotOK();
      TF_DeviceList devices = TF_SessionListDevices(session, status);
      status.throwExceptionIfNotOK();
      try {
        List<String> types = new ArrayList<>();
        for (int i = 0; i < TF_DeviceListCount(devices); i++) {
          types.add(TF_DeviceListType(devices, i, status).getString());
        }
        return new TensorFlowRuntime(TensorFlow.version(), build, types);
      } finally {
        TF_DeleteDeviceList(devices);
      }
    }
  }

  /** The device types ("CPU", "GPU") that have a kernel of {@link #OP_WITH_GPU_KERNELS} in the loaded library. */
  private static List<String> kernelDevices(TF_Status status) {
    TF_Buffer kernels = TF_GetRegisteredKernelsForOp(OP_WITH_GPU_KERNELS, status);
    status.throwExceptionIfNotOK();
    try {
      return KernelList.parseFrom(kernels.dataAsByteBuffer()).getKernelList().stream().map(KernelDef::getDeviceType).toList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("TensorFlow's kernel registry answered with an unreadable KernelList", e);
    } finally {
      TF_DeleteBuffer(kernels);
    }
  }
}

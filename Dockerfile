# The harness on an NVIDIA GPU, for clusters (harness submit --k8s --image ...) or plain docker run.
#
#   docker build -t REGISTRY/harness:TAG --build-arg GIT_COMMIT=$(git rev-parse HEAD) .
#   docker run --rm --gpus all -v "$PWD:/workspace" REGISTRY/harness:TAG --version
#
# The image's command is the harness launcher; its working directory /workspace is where a cluster
# mounts the folder holding grids, data, models and results.

# --- build: the GPU variant of TensorFlow's native library (-Pgpu) -------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The poms alone first: building them with no sources fetches every dependency and plugin into a
# layer that source edits do not invalidate.
COPY pom.xml ./
COPY core/pom.xml core/
COPY methods/pom.xml methods/
COPY tasks/pom.xml tasks/
COPY results/pom.xml results/
COPY reports/pom.xml reports/
COPY ci/pom.xml ci/
COPY harness/pom.xml harness/
COPY harness/model/pom.xml harness/model/
COPY harness/train/pom.xml harness/train/
COPY harness/grid/pom.xml harness/grid/
COPY harness/cli/pom.xml harness/cli/
COPY harness/bench/pom.xml harness/bench/
RUN mvn -B -ntp -q -Pgpu -DskipTests package
COPY . .
# .git is not sent to the builder, so the commit every cell's provenance records comes from here
ARG GIT_COMMIT=unknown
RUN mvn -B -ntp -Pgpu -DskipTests -Dgit.commit.id=${GIT_COMMIT} package

# --- runtime -----------------------------------------------------------------------------------
# TensorFlow Java 1.1.0's linux-x86_64-gpu library is TensorFlow 2.18.0's own build, which needs
# CUDA 12.5 and cuDNN 9 (TensorFlow 2.18's tested configuration: CUDA 12.5, cuDNN 9.3, the versions
# tensorflow[and-cuda]==2.18.0 pins). The node needs an NVIDIA driver for CUDA 12.5 (>= 555) or the
# CUDA forward-compatibility package.
FROM nvidia/cuda:12.5.1-cudnn-runtime-ubuntu22.04
# fontconfig and a font: reports draw their plots with Java 2D, which needs them even headless
RUN apt-get update \
    && apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY --from=eclipse-temurin:17-jre /opt/java/openjdk /opt/java/openjdk
# The launcher finds the jar from its own place (bin/../harness/cli/target/harness.jar, with lib/),
# so the checkout's layout is kept under /opt/harness; its bin/ is on PATH, which makes "harness"
# the command.
COPY --from=build /src/bin/harness /opt/harness/bin/harness
COPY --from=build /src/harness/cli/target/harness.jar /opt/harness/harness/cli/target/harness.jar
COPY --from=build /src/harness/cli/target/lib/ /opt/harness/harness/cli/target/lib/
COPY grids/ /opt/harness/grids/
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/harness/bin:/opt/java/openjdk/bin:$PATH \
    LANG=C.UTF-8 \
    HARNESS_NO_BUILD=1 \
    HARNESS_CACHE=/opt/harness/cache \
    OPT_OUT_TRACKING=true
# --version loads TensorFlow, extracting its native library into the cache once, here, instead of
# in every pod. The cache stays writable for pods that run as another user (DJL extracts there later).
RUN harness --version && chmod -R a+rwX /opt/harness/cache
WORKDIR /workspace
ENTRYPOINT ["harness"]
CMD ["--help"]

# syntax=docker/dockerfile:1
# Stratus GPU worker: the worker of worker.Dockerfile on an NVIDIA CUDA runtime base, with
# @tensorflow/tfjs-node-gpu installed so STRATUS_TFJS_BACKEND=auto (or =tensorflow) trains on the GPU.
#
# tfjs-node-gpu 4.22.0 loads libtensorflow 2.9.1 (scripts/deps-constants.js), which TensorFlow
# built against CUDA 11.2 and cuDNN 8.1: hence nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04. The
# host needs an NVIDIA driver >= 460 and the NVIDIA Container Toolkit. Building needs internet:
# tfjs-node-gpu's install script downloads libtensorflow and its addon from storage.googleapis.com.
# Build from the repository root:
#   docker build -f infra/docker/worker-gpu.Dockerfile -t stratus/worker-gpu:0.1.0 .
ARG NODE_IMAGE=node:20-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04
ARG TFJS_NODE_GPU_VERSION=4.22.0

# Node itself, copied onto the CUDA image below (same major as the other images).
FROM ${NODE_IMAGE} AS node

# Only the package manifests, so the npm ci layers stay cached until dependencies change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete \
  && find . -type d -empty -delete

# Compile every workspace (tsc -b) with the dev dependencies.
# --ignore-scripts: the root package.json allows no install scripts, and nothing here needs one.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=manifests /src ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsc -b tsconfig.build.json \
  && mkdir -p /out \
  && for dir in packages/* services/*; do \
       [ -f "$dir/package.json" ] || continue; \
       mkdir -p "/out/$dir" && cp "$dir/package.json" "/out/$dir/"; \
       for part in dist runtime lua; do \
         if [ -d "$dir/$part" ]; then cp -R "$dir/$part" "/out/$dir/"; fi; \
       done; \
     done

# The CUDA base with Node, npm, tini and bubblewrap (the custom-trainer sandbox, as in
# worker.Dockerfile); user node (uid 1000, as in the node images, so a shared volume has one owner).
FROM ${CUDA_IMAGE} AS cuda-node
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini ca-certificates \
    bubblewrap \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node \
  && mkdir -p /var/lib/stratus && chown node:node /var/lib/stratus

# Production dependencies of @stratus/worker plus tfjs-node-gpu, installed on the CUDA image so its
# native addon matches this glibc. Only tfjs-node-gpu's install script runs (npm rebuild): it
# downloads libtensorflow-gpu 2.9.1 and the prebuilt addon, building it if none matches.
FROM cuda-node AS prod-deps
ARG TFJS_NODE_GPU_VERSION
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=manifests /src ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @stratus/worker \
  && npm install --no-save --omit=dev --ignore-scripts --no-audit --no-fund \
       --workspace @stratus/worker "@tensorflow/tfjs-node-gpu@${TFJS_NODE_GPU_VERSION}" \
  && npm rebuild @tensorflow/tfjs-node-gpu \
  && node -e "require.resolve('@tensorflow/tfjs-node-gpu')"

FROM cuda-node AS runtime
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /out ./
ENV STRATUS_HOME=/var/lib/stratus
USER node
# tini passes SIGTERM to the worker only (no -g): the worker pauses its trial processes itself,
# hands their trials back to the queue and exits 0 (give it ~15 s; compose and k8s give 90 s).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "services/worker/dist/main.js"]

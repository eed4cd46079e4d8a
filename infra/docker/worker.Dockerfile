# syntax=docker/dockerfile:1
# Stratus CPU worker (`services/worker`, bin stratus-worker): pulls trials from the `cpu` queue and
# trains them on the TensorFlow.js wasm backend (STRATUS_TFJS_BACKEND=auto finds no native package here).
# Build from the repository root:
#   docker build -f infra/docker/worker.Dockerfile -t stratus/worker:0.1.0 .
ARG NODE_IMAGE=node:20-bookworm-slim

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

# Production dependencies of @stratus/worker and the workspaces it uses; no dev tools.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /src ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @stratus/worker

FROM ${NODE_IMAGE} AS runtime
# bubblewrap: the sandbox custom trainers run in (unprivileged user namespaces; the pod needs the
# security context in infra/k8s/base/worker.yaml, docs/operations.md "Worker pods and the sandbox").
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini ca-certificates bubblewrap \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/stratus && chown node:node /var/lib/stratus
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /out ./
ENV STRATUS_HOME=/var/lib/stratus
USER node
# tini passes SIGTERM to the worker only (no -g): the worker pauses its trial processes itself,
# hands their trials back to the queue and exits 0 (give it ~15 s; compose and k8s give 90 s).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "services/worker/dist/main.js"]

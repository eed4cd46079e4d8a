# syntax=docker/dockerfile:1
# Stratus predictor (`services/predictor`, bin stratus-predictor): online prediction (Cloud ML,
# TF Serving and KServe v2 routes) with /healthz and /readyz; run as many replicas as load needs.
# Build from the repository root:
#   docker build -f infra/docker/predictor.Dockerfile -t stratus/predictor:0.1.0 .
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

# Production dependencies of @stratus/predictor and the workspaces it uses; no dev tools.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /src ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @stratus/predictor

FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/stratus && chown node:node /var/lib/stratus
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /out ./
ENV STRATUS_HOST=0.0.0.0 \
    STRATUS_PORT=8080 \
    STRATUS_HOME=/var/lib/stratus
USER node
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "services/predictor/dist/main.js"]

# syntax=docker/dockerfile:1
# Stratus API: the REST API (`services/api`, bin stratus-api) and the web dashboard it serves at /.
# Build from the repository root:
#   docker build -f infra/docker/api.Dockerfile -t stratus/api:0.1.0 .
ARG NODE_IMAGE=node:20-bookworm-slim

# Only the package manifests, so the npm ci layers stay cached until dependencies change.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete \
  && find . -type d -empty -delete

# Compile every workspace (tsc -b) and build the dashboard (vite) with the dev dependencies.
# --ignore-scripts: the root package.json allows no install scripts, and nothing here needs one.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=manifests /src ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsc -b tsconfig.build.json \
  && npm run build --workspace @stratus/dashboard \
  && mkdir -p /out \
  && for dir in packages/* services/*; do \
       [ -f "$dir/package.json" ] || continue; \
       mkdir -p "/out/$dir" && cp "$dir/package.json" "/out/$dir/"; \
       for part in dist runtime lua; do \
         if [ -d "$dir/$part" ]; then cp -R "$dir/$part" "/out/$dir/"; fi; \
       done; \
     done

# Production dependencies of the API's workspaces only (no tfjs, no dev tools).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /src ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @stratus/api

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
CMD ["node", "services/api/dist/main.js"]

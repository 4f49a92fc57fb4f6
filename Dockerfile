# No "# syntax=" line on purpose: the builder's bundled Dockerfile frontend already
# supports RUN --mount, and fetching a frontend image would need registry access.
ARG NODE_IMAGE=node:22-bookworm-slim

# Files come in through bind mounts, not COPY: after any edit of the build context, Dagger's builder reruns every
# COPY from it and hashes the whole filesystem each one produces (the base image included), while a mount is keyed
# by what it mounts, so the install steps stay cached and the build reads the edited source without a copy.

# Dependencies first, from the manifest and lockfile only, so code changes reuse this layer.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN --mount=type=bind,source=package.json,target=package.json \
    --mount=type=bind,source=package-lock.json,target=package-lock.json \
    --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

# Production dependencies: the full install with the dev ones pruned, rather than a second install from the registry
# (--no-save: prune would rewrite the lockfile, a read-only mount). The runtime stage copies them with COPY --from,
# which an edit does not rerun: its input is this stage, not the build context.
FROM deps AS production-deps
RUN --mount=type=bind,source=package.json,target=package.json \
    --mount=type=bind,source=package-lock.json,target=package-lock.json \
    npm prune --omit=dev --no-save --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN --mount=type=bind,source=package.json,target=package.json \
    --mount=type=bind,source=tsconfig.json,target=tsconfig.json \
    --mount=type=bind,source=tsconfig.build.json,target=tsconfig.build.json \
    --mount=type=bind,source=src,target=src \
    --mount=type=bind,from=deps,source=/app/node_modules,target=node_modules \
    npm run build

FROM ${NODE_IMAGE} AS runtime
ARG APP_VERSION=""
ARG GIT_SHA="unknown"
ENV NODE_ENV=production \
    APP_VERSION=${APP_VERSION} \
    GIT_SHA=${GIT_SHA} \
    PORT=3000
WORKDIR /app
COPY --from=production-deps /app/node_modules node_modules
# One copying step for what changes with the code (a COPY each would hash the filesystem once each).
RUN --mount=type=bind,target=/context --mount=type=bind,from=build,source=/app/dist,target=/built \
    cp -R /context/package.json /context/package-lock.json /context/migrations . && cp -R /built dist
# Files stay root-owned (read-only to the app); only the process runs unprivileged.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives docker stop's SIGTERM directly.
CMD ["node", "dist/server.js"]

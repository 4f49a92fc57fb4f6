# No "# syntax=" line on purpose: the builder's bundled Dockerfile frontend already
# supports RUN --mount, and fetching a frontend image would need registry access.
ARG NODE_IMAGE=node:22-bookworm-slim

# Dependencies first, from the manifest and lockfile only, so code changes reuse this layer.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# Dependencies mounted, not copied: a COPY onto a filesystem holding node_modules makes Dagger's builder hash all of
# it again after every source edit; the mount is hashed once, with the unchanged install.
RUN --mount=type=bind,from=deps,source=/app/node_modules,target=/app/node_modules npm run build

FROM ${NODE_IMAGE} AS runtime
ARG APP_VERSION=""
ARG GIT_SHA="unknown"
ENV NODE_ENV=production \
    APP_VERSION=${APP_VERSION} \
    GIT_SHA=${GIT_SHA} \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
# Files stay root-owned (read-only to the app); only the process runs unprivileged.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives docker stop's SIGTERM directly.
CMD ["node", "dist/server.js"]

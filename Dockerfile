# syntax=docker/dockerfile:1
# release-pilot: build the TypeScript once, ship only lib/ and production dependencies.

# ---- build: all dependencies, compile src/ to lib/ ----
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and compiled code, run as the unprivileged "node" user ----
FROM node:24-slim AS runtime
# tini as PID 1: forwards SIGTERM to node (src/main.ts drains in-flight webhooks on it) and
# reaps the git child processes the app may spawn.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Code stays owned by root, so the running app cannot rewrite itself.
COPY --from=build /app/lib ./lib
COPY app.yml ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# What `npm start` runs, minus npm: no extra process between tini and node, no npm cache writes
# on a read-only root. lib/main.js serves the webhooks and /healthz and shuts down gracefully.
CMD ["node", "lib/main.js"]

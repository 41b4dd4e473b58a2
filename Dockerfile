# syntax=docker/dockerfile:1
# The ferry server's image: `docker build -t ferry-server .` at the repository root.
# deploy/ferry/ deploys it with ferry itself (docs/server.md, "Running the server in a cluster").

ARG NODE_IMAGE=node:20-bookworm-slim

# better-sqlite3 compiles against Node's headers when no prebuilt binary is at hand
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV npm_config_nodedir=/usr/local

# production dependencies only: what the runtime stage copies
FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# every dependency, the TypeScript sources and the dashboard's, the compiled dist/ (dist/web: the dashboard)
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
COPY scripts/build.mjs ./scripts/build.mjs
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# git: the server reads a git project's ferry files with the git CLI
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    XDG_CACHE_HOME=/home/node/.cache
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY schema ./schema
# the node image's unprivileged user (uid 1000)
USER node
EXPOSE 7070
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7070/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/ferry", "server"]
CMD ["--listen", "0.0.0.0:7070"]

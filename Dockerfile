# vethmap: live map of network namespaces, veth pairs and bridges.
#
#   docker build -t vethmap:local .
#   docker compose up -d        # the way to run it: docker-compose.yml sets the
#                               # namespaces, capabilities and mounts it needs
#
# See docs/deploy.md for what each setting is for.

ARG NODE_IMAGE=node:20-bookworm

# ---- build: compile the native netlink addon, the server, shared and the client ----
FROM ${NODE_IMAGE} AS build
# node-gyp builds server/binding.gyp during `npm ci`. The full bookworm image already
# has these; naming them keeps the build working if the base image changes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Node's headers ship in the image (/usr/local/include/node): no header download.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/binding.gyp server/
COPY server/testkit/package.json server/testkit/
COPY server/native server/native
COPY client/package.json client/
COPY e2e/package.json e2e/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && test -f server/build/Release/vethmap_netlink.node \
 && test -f server/dist/cli.js \
 && test -f client/dist/index.html

# ---- deps: production dependencies of the server only ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY server/testkit/package.json server/testkit/
COPY client/package.json client/
COPY e2e/package.json e2e/
# --ignore-scripts: the addon was built in the build stage and is copied from there.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace=server

# ---- runtime ----
FROM node:20-bookworm-slim AS runtime
# iproute2: `vethmap lab` drives `ip`; unshare/nsenter come with util-linux (essential).
# fonts-dejavu-core: the labels of `vethmap export --format png` (server/src/render/outlines.ts).
RUN apt-get update \
 && apt-get install -y --no-install-recommends iproute2 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/shared/package.json ./shared/
COPY --from=build /app/shared/dist ./shared/dist
COPY --from=build /app/server/package.json ./server/
COPY --from=build /app/server/dist ./server/dist
COPY --from=build /app/server/build/Release/vethmap_netlink.node ./server/build/Release/
COPY --from=build /app/client/dist ./client/dist

# Runs as root, on purpose: reading another namespace means setns(2) into it, which needs
# CAP_SYS_ADMIN, and opening /proc/PID/ns/net of other users' (and root's) processes needs
# CAP_SYS_PTRACE. A non-root user cannot hold them usefully. docker-compose.yml drops every
# other capability, makes the root file system read-only and forbids privilege gain;
# vethmap itself only reads (the lab, which writes, is a separate command).
USER root

EXPOSE 7878
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7878/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/server/dist/cli.js"]
# 127.0.0.1: with network_mode host this is the host's loopback, not the world.
CMD ["serve", "--host", "127.0.0.1", "--port", "7878"]

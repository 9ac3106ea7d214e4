# hotfix-bot — the GitHub App's webhook server (`probot run`), on Node 22.
# Build: docker build -t hotfix-bot .     Run: see README.md "Deploy" → Docker.
# Secrets come from the environment at run time; none is copied into the image.

# 1. Compile TypeScript (needs the dev dependencies).
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# 2. Production dependencies only. --ignore-scripts: `prepare` would try to build without tsc.
FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. The runtime: compiled code and production dependencies, owned by root and read-only to
#    the unprivileged `node` user the app runs as.
FROM node:22-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY package.json ./
COPY bin ./bin
USER node
EXPOSE 3000
# Liveness only: /healthz answers from memory and never calls GitHub.
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM lets work that outlived its webhook answer finish (up to 8 s) before exiting.
STOPSIGNAL SIGTERM
CMD ["node", "node_modules/probot/bin/probot.js", "run", "./lib/index.js"]

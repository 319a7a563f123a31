# The ledger service image. Debian-based on purpose: the KurrentDB client reads through a native
# addon (@kurrent/bridge) that ships glibc builds; on Alpine (musl) it fails to load on arm64.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so that a source change does not reinstall them. Runtime dependencies only:
# tsx (a dependency) runs the TypeScript sources as they are, there is no build step.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .

# Listen on every interface inside the container; the data directory serves PGlite when
# DATABASE_URL is unset and holds generated secrets.
ENV HOST=0.0.0.0 \
    PORT=3000 \
    LEDGER_DATA_DIR=/var/lib/ledger
RUN mkdir -p /var/lib/ledger && chown node:node /var/lib/ledger
USER node

EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "bin/ledger.mjs", "serve"]

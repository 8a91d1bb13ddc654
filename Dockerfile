# syntax=docker/dockerfile:1
# Builds the dossier builder and, by default, renders the NSO Group dossier into /app/out.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY templates ./templates
COPY seeds ./seeds
COPY evidence ./evidence
RUN mkdir -p /app/out && chown node:node /app/out
USER node
VOLUME ["/app/out"]
ENTRYPOINT ["node", "--import", "tsx", "src/cli/dossier.ts"]
CMD ["--case", "nso-group", "--out", "/app/out/nso-group.pdf"]

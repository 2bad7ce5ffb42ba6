FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production PORT=8000
EXPOSE 8000
CMD ["node", "--import", "tsx", "api/main.ts"]

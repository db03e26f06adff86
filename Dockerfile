# syntax=docker/dockerfile:1
# Multi-stage build: npm assets, then a static Go binary, then a minimal non-root image.

FROM node:20-bookworm-slim AS assets
WORKDIR /src/static
COPY static/package.json static/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
 && mkdir -p vendor \
 && cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx-ext-sse/dist/sse.js vendor/

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/static/vendor/ static/vendor/
ARG VERSION=docker
RUN go tool templ generate -log-level error \
 && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X liftplan/internal/app.version=${VERSION}" -o /out/liftplan .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/liftplan /usr/local/bin/liftplan
ENV LISTEN_ADDR=:8080 APP_ENV=production LOG_FORMAT=json
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/liftplan"]
CMD ["serve"]

# syntax=docker/dockerfile:1
#
# callsim in a container: one static binary (pure-Go SQLite, no cgo) on a
# distroless base with no shell and no package manager, run as an
# unprivileged user, its database on a volume.
#
#   docker build -t callsim .
#   docker run -d --name callsim -p 127.0.0.1:8080:8080 -v callsim-data:/data callsim
#   docker logs callsim        # the first start prints the admin password once
#
# Settings come from CALLSIM_* variables or a config file mounted at
# /etc/callsim/config.yaml (the working directory, where callsim looks for
# config.yaml). See README.md, "Docker and systemd".
#
# No HEALTHCHECK: the runtime image has no shell, curl or wget, and callsim
# has no command that probes its own HTTP server (adding one is a change to
# the binary, left out on purpose). Probe GET /healthz (up) and GET /readyz
# (store and personas ready) from outside: a Kubernetes httpGet probe, a
# load balancer's health check, or a compose healthcheck run from another
# container.

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags="-s -w" -o /rootfs/usr/local/bin/callsim ./cmd/callsim
RUN mkdir -p /rootfs/data

FROM gcr.io/distroless/static-debian12:nonroot
# The binary stays root's: the user callsim runs as cannot replace it.
COPY --from=build /rootfs/usr/local/bin/callsim /usr/local/bin/callsim
# The data directory belongs to distroless's nonroot user (65532), so that
# a new named volume mounted there starts out writable by callsim only.
COPY --from=build --chown=65532:65532 --chmod=0700 /rootfs/data /data
ENV CALLSIM_SERVER_ADDR=0.0.0.0:8080 \
    CALLSIM_SERVER_DATA_DIR=/data
WORKDIR /etc/callsim
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
# SIGTERM (docker stop) lets live calls finish and persist within
# server.shutdown_timeout (default 10 s); give docker stop longer than that
# (docker run --stop-timeout 20, compose stop_grace_period: 20s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/callsim"]
CMD ["serve"]

"""The demo's file contents and SBOM components, kept apart from the layout
writer (scripts/make-demo-layout) so each stays readable."""

BASE_FILES = {
    "etc/os-release": b"""NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.19.1
PRETTY_NAME="Alpine Linux v3.19"
HOME_URL="https://alpinelinux.org/"
""",
    "etc/passwd": b"root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n",
    "etc/group": b"root:x:0:root\nnonroot:x:65532:\n",
    "etc/net-monitor/config.yaml": b"""# net-monitor configuration (demo)
listen: 0.0.0.0:9100
interfaces:
  - eth0
probes:
  - name: gateway
    target: 10.0.0.1
    interval: 15s
  - name: dns
    target: 1.1.1.1:53
    protocol: udp
    interval: 30s
""",
}

APP_FILES = {
    "usr/local/bin/net-monitor": b"""#!/bin/sh
# A stand-in for the real binary: the demo image only has to look real.
echo "net-monitor v1 (demo): watching ${NET_MONITOR_INTERFACES:-eth0}"
exec sleep infinity
""",
    "usr/share/doc/net-monitor/README": b"net-monitor exports interface counters and probe latencies as Prometheus metrics.\n",
    "usr/share/doc/net-monitor/LICENSE": b"Apache License, Version 2.0 - see https://www.apache.org/licenses/LICENSE-2.0\n",
}

README_MD = b"""# net-monitor

A small network monitor: it watches interfaces and probes targets, and
exports what it sees as Prometheus metrics on `:9100/metrics`.

```
docker run --net=host demo/net-monitor:v1 --config /etc/net-monitor/config.yaml
```

See `details/` for the architecture, the metrics and the ports it uses.
"""

DETAILS_FILES = {
    "details/architecture.md": b"""# Architecture

- a netlink watcher reads interface counters every second;
- probers send ICMP, TCP and UDP probes to the configured targets;
- an HTTP server exposes `/metrics` and `/healthz`.
""",
    "details/metrics.md": b"""# Metrics

| name | type | labels |
|------|------|--------|
| net_monitor_rx_bytes_total | counter | interface |
| net_monitor_tx_bytes_total | counter | interface |
| net_monitor_probe_seconds | histogram | probe, target |
| net_monitor_probe_failures_total | counter | probe, target |
""",
    "details/ports.csv": b"port,protocol,purpose\n9100,tcp,metrics and health\n",
}

# (ecosystem, name, version, licence expression)
_PACKAGES = [
    ("apk", "alpine-baselayout", "3.4.3-r2", "GPL-2.0-only"),
    ("apk", "alpine-baselayout-data", "3.4.3-r2", "GPL-2.0-only"),
    ("apk", "alpine-keys", "2.4-r1", "MIT"),
    ("apk", "apk-tools", "2.14.0-r5", "GPL-2.0-only"),
    ("apk", "busybox", "1.36.1-r15", "GPL-2.0-only"),
    ("apk", "busybox-binsh", "1.36.1-r15", "GPL-2.0-only"),
    ("apk", "ca-certificates-bundle", "20230506-r0", "MPL-2.0 AND MIT"),
    ("apk", "libc-utils", "0.7.2-r5", "BSD-2-Clause AND BSD-3-Clause"),
    ("apk", "libcrypto3", "3.1.4-r5", "Apache-2.0"),
    ("apk", "libssl3", "3.1.4-r5", "Apache-2.0"),
    ("apk", "musl", "1.2.4_git20230717-r4", "MIT"),
    ("apk", "musl-utils", "1.2.4_git20230717-r4", "MIT AND BSD-2-Clause AND GPL-2.0-or-later"),
    ("golang", "stdlib", "go1.22.1", "BSD-3-Clause"),
    ("golang", "github.com/prometheus/client_golang", "v1.19.0", "Apache-2.0"),
    ("golang", "github.com/spf13/cobra", "v1.8.0", "Apache-2.0"),
    ("golang", "github.com/vishvananda/netlink", "v1.1.0", "Apache-2.0"),
    ("golang", "golang.org/x/sys", "v0.18.0", "BSD-3-Clause"),
    ("golang", "gopkg.in/yaml.v3", "v3.0.1", "MIT AND Apache-2.0"),
    ("apk", "scanelf", "1.3.7-r2", "GPL-2.0-only"),
    ("apk", "ssl_client", "1.36.1-r15", "GPL-2.0-only"),
    ("apk", "zlib", "1.3.1-r0", "Zlib"),
    ("apk", "libcap2", "2.69-r1", "BSD-3-Clause OR GPL-2.0-only"),
    ("apk", "iproute2-minimal", "6.6.0-r0", "GPL-2.0-or-later"),
    ("golang", "github.com/prometheus/client_model", "v0.6.0", "Apache-2.0"),
    ("golang", "github.com/prometheus/common", "v0.50.0", "Apache-2.0"),
    ("golang", "github.com/prometheus/procfs", "v0.13.0", "Apache-2.0"),
    ("golang", "github.com/beorn7/perks", "v1.0.1", "MIT"),
    ("golang", "github.com/cespare/xxhash/v2", "v2.2.0", "MIT"),
    ("golang", "github.com/vishvananda/netns", "v0.0.4", "Apache-2.0"),
    ("golang", "github.com/spf13/pflag", "v1.0.5", "BSD-3-Clause"),
    ("golang", "github.com/inconshreveable/mousetrap", "v1.1.0", "Apache-2.0"),
    ("golang", "golang.org/x/net", "v0.22.0", "BSD-3-Clause"),
    ("golang", "golang.org/x/text", "v0.14.0", "BSD-3-Clause"),
    ("golang", "golang.org/x/sync", "v0.6.0", "BSD-3-Clause"),
    ("golang", "google.golang.org/protobuf", "v1.33.0", "BSD-3-Clause"),
    ("golang", "github.com/google/gopacket", "v1.1.19", "BSD-3-Clause"),
    ("golang", "github.com/miekg/dns", "v1.1.58", "BSD-3-Clause"),
    ("golang", "github.com/rs/zerolog", "v1.32.0", "MIT"),
    ("golang", "github.com/mattn/go-isatty", "v0.0.20", "MIT"),
    ("golang", "go.uber.org/atomic", "v1.11.0", "MIT"),
]

_ARCH = {"amd64": "x86_64", "arm64": "aarch64"}


def _licenses(expression):
    if " AND " in expression or " OR " in expression:
        return [{"expression": expression}]
    return [{"license": {"id": expression}}]


def _purl(ecosystem, name, version, architecture):
    if ecosystem == "apk":
        return f"pkg:apk/alpine/{name}@{version}?arch={_ARCH[architecture]}&distro=alpine-3.19.1"
    if name == "stdlib":
        return f"pkg:golang/stdlib@{version.removeprefix('go')}"
    return f"pkg:golang/{name}@{version}"


def sbom_components(architecture, count):
    """The first `count` packages as CycloneDX 1.5 components."""
    components = []
    for ecosystem, name, version, licence in _PACKAGES[:count]:
        purl = _purl(ecosystem, name, version, architecture)
        components.append({
            "bom-ref": purl,
            "type": "library",
            "name": name,
            "version": version,
            "licenses": _licenses(licence),
            "purl": purl,
            "properties": [{"name": "syft:package:type",
                            "value": "apk" if ecosystem == "apk" else "go-module"}],
        })
    return components

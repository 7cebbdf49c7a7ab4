#!/usr/bin/env bash
# A private Sigstore instance, run by tests/it/transparency_v2.rs inside a
# fresh network namespace (`unshare --net`): rekor-tiles (the Rekor v2
# server, on a POSIX tile log) and Sigstore's timestamp-server, with
# cosign v3 signing two blobs through them (`sign-blob --signing-config`)
# and cosign v2 signing an image on olareg with `--timestamp-server-url`
# (the legacy `.sig` annotation). The namespace keeps every listener,
# including the timestamp server's fixed metrics port (:2112), off the
# machine's network. Writes the bundles, the trusted root, the key and the
# `.sig` manifest and payload into OUT.
#
#   sigstore-instance.sh OUT BIN
set -euo pipefail
out=$1 bin=$2
cd "$out"
ip link set lo up
export HOME=$out/home TUF_ROOT=$out/tuf COSIGN_PASSWORD= COSIGN_YES=true
export DOCKER_CONFIG=$out/home/.docker NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
mkdir -p home tuf log
openssl genpkey -algorithm ed25519 -out rekor.key 2>/dev/null
openssl pkey -in rekor.key -pubout -out rekor.pub
tsa=http://127.0.0.1:3004/api/v1/timestamp
rekor=http://127.0.0.1:3003
"$bin/timestamp-server" serve --host 127.0.0.1 --port 3004 --timestamp-signer memory \
	--disable-ntp-monitoring >tsa.log 2>&1 &
pids=$!
# The checkpoint's origin is the host of the log's URL, as verifiers expect.
"$bin/rekor-tiles" serve --http-address 127.0.0.1 --http-port 3003 --grpc-address 127.0.0.1 \
	--grpc-port 3001 --http-metrics-port 2114 --hostname 127.0.0.1 --checkpoint-interval 500ms \
	--storage-dir "$out/log" --signer-filepath "$out/rekor.key" >rekor.log 2>&1 &
pids="$pids $!"
"$bin/olareg" serve --store-type mem --addr 127.0.0.1 --port 3005 >olareg.log 2>&1 &
pids="$pids $!"
trap 'kill $pids 2>/dev/null || true' EXIT
wait_for() { # URL FILE
	for _ in $(seq 1 600); do
		curl -fsS "$1" -o "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "sigstore-instance.sh: $1 is not up" >&2
	cat tsa.log rekor.log olareg.log >&2
	exit 1
}
wait_for "$tsa/certchain" tsa.pem
wait_for "$rekor/healthz" /dev/null
wait_for http://127.0.0.1:3005/v2/ /dev/null

cat >signing_config.json <<JSON
{"mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
 "rekorTlogUrls": [{"url": "$rekor", "majorApiVersion": 2, "validFor": {"start": "2020-01-01T00:00:00Z"}, "operator": "regscope tests"}],
 "tsaUrls": [{"url": "$tsa", "majorApiVersion": 1, "validFor": {"start": "2020-01-01T00:00:00Z"}, "operator": "regscope tests"}],
 "rekorTlogConfig": {"selector": "ANY"}, "tsaConfig": {"selector": "ANY"}}
JSON
"$bin/cosign3" generate-key-pair >/dev/null 2>&1
for name in first second; do
	printf '%s artifact\n' "$name" >"$name.txt"
	"$bin/cosign3" sign-blob --key cosign.key --signing-config signing_config.json \
		--bundle "$name.sigstore.json" "$name.txt" >/dev/null 2>&1
done
"$bin/cosign3" trusted-root create --no-default-fulcio --no-default-ctfe --no-default-rekor \
	--no-default-tsa --rekor="url=$rekor,public-key=rekor.pub,start-time=2020-01-01T00:00:00Z,origin=127.0.0.1" \
	--tsa="url=$tsa,certificate-chain=tsa.pem" --out trusted_root.json

# cosign v2's legacy form: a `.sig` tag whose layer carries the token.
"$bin/oras" push --plain-http 127.0.0.1:3005/stamped:v1 first.txt >/dev/null
digest=$("$bin/oras" resolve --plain-http 127.0.0.1:3005/stamped:v1)
"$bin/cosign" sign --key cosign.key --allow-http-registry --yes --tlog-upload=false \
	--timestamp-server-url "$tsa" "127.0.0.1:3005/stamped@$digest" >/dev/null 2>&1
curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
	"http://127.0.0.1:3005/v2/stamped/manifests/sha256-${digest#sha256:}.sig" -o stamped.sig.json
layer=$(sed 's/.*"layers":\[//' stamped.sig.json | grep -o '"digest":"sha256:[0-9a-f]*"' | head -n 1 | cut -d '"' -f 4)
curl -fsS "http://127.0.0.1:3005/v2/stamped/blobs/$layer" -o stamped.payload
echo ready >done

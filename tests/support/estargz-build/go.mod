module github.com/regscope/regscope/tests/support/estargz-build

go 1.24.0

require github.com/containerd/stargz-snapshotter/estargz v0.18.1

require (
	github.com/klauspost/compress v1.18.1 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/vbatts/tar-split v0.12.2 // indirect
	golang.org/x/sync v0.17.0 // indirect
)

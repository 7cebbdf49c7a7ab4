// zstd-chunked-build turns a plain tar into a zstd:chunked layer with the
// writer containers/storage (podman, buildah) uses, so the tests read what
// real tools write: per-file zstd frames, the TOC and the tar-split in
// skippable frames, and the 64-byte footer.
//
// Usage: zstd-chunked-build IN.tar OUT.tar.zst
// Prints the layer annotations the writer produced as one JSON object on
// stdout (manifest-checksum, manifest-position, tarsplit-position).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/containers/storage/pkg/chunked/compressor"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: zstd-chunked-build IN.tar OUT.tar.zst")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "zstd-chunked-build:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	src, err := os.Open(in)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(out)
	if err != nil {
		return err
	}
	annotations := map[string]string{}
	w, err := compressor.ZstdCompressor(dst, annotations, nil)
	if err != nil {
		dst.Close()
		return err
	}
	if _, err := io.Copy(w, src); err != nil {
		w.Close()
		dst.Close()
		return err
	}
	// Close waits for the writer's goroutine, which fills annotations.
	if err := w.Close(); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(annotations)
}

// estargz-build turns a plain tar into an eStargz layer with the reference
// implementation (github.com/containerd/stargz-snapshotter/estargz), so the
// tests read what real tools (nerdctl, ctr-remote, BuildKit) write.
//
// Usage: estargz-build [-chunk N] IN.tar OUT.tar.gz
// Prints the TOC digest (the value of the layer annotation
// containerd.io/snapshot/stargz/toc.digest) on stdout.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/containerd/stargz-snapshotter/estargz"
)

func main() {
	chunk := flag.Int("chunk", 0, "chunk size in bytes (0: the library's default)")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: estargz-build [-chunk N] IN.tar OUT.tar.gz")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Arg(1), *chunk); err != nil {
		fmt.Fprintln(os.Stderr, "estargz-build:", err)
		os.Exit(1)
	}
}

func run(in, out string, chunk int) error {
	src, err := os.Open(in)
	if err != nil {
		return err
	}
	defer src.Close()
	info, err := src.Stat()
	if err != nil {
		return err
	}
	var opts []estargz.Option
	if chunk > 0 {
		opts = append(opts, estargz.WithChunkSize(chunk))
	}
	blob, err := estargz.Build(io.NewSectionReader(src, 0, info.Size()), opts...)
	if err != nil {
		return err
	}
	defer blob.Close()
	dst, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, blob); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	fmt.Println(blob.TOCDigest().String())
	return nil
}

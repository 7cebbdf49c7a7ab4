// Command ggcr-registry serves go-containerregistry's in-memory registry with
// the OCI 1.1 referrers API turned on, for regscope's tests. Neither
// `crane registry serve` nor ggcr's cmd/registry enable referrers.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	flag.Parse()
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		log.Fatalf("bad -addr %q: %v", *addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		log.Fatalf("refusing to listen on %q: loopback only", *addr)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("listening on %s", ln.Addr())
	handler := registry.New(registry.WithReferrersSupport(true))
	log.Fatal(http.Serve(ln, handler))
}

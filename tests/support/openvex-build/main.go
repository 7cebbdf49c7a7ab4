// openvex-build writes OpenVEX documents with go-vex, the library vexctl
// is built on (vexctl itself is not served by the module proxy here), for
// regscope's VEX tests: a document, or an in-toto attestation of it
// (predicate type https://openvex.dev/ns/v0.2.0, as `vexctl attest`
// makes).
//
//	openvex-build [-attest SUBJECT_NAME@sha256:HEX] -author A -timestamp RFC3339 \
//	    -statement 'VULN|PRODUCT|SUBCOMPONENT|STATUS|JUSTIFICATION|TIMESTAMP' ...
//
// SUBCOMPONENT, JUSTIFICATION and TIMESTAMP may be empty. The document goes
// to stdout.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	intoto "github.com/in-toto/attestation/go/v1"
	"github.com/openvex/go-vex/pkg/attestation"
	"github.com/openvex/go-vex/pkg/vex"
)

type statements []string

func (s *statements) String() string     { return strings.Join(*s, ";") }
func (s *statements) Set(v string) error { *s = append(*s, v); return nil }

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "openvex-build: "+format+"\n", args...)
	os.Exit(1)
}

func parseTime(text string) *time.Time {
	if text == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, text)
	if err != nil {
		fail("bad time %q: %v", text, err)
	}
	return &t
}

func main() {
	var list statements
	author := flag.String("author", "regscope tests", "the document's author")
	stamp := flag.String("timestamp", "", "the document's time (RFC 3339)")
	attest := flag.String("attest", "", "write an in-toto attestation for this subject (NAME@sha256:HEX)")
	flag.Var(&list, "statement", "VULN|PRODUCT|SUBCOMPONENT|STATUS|JUSTIFICATION|TIMESTAMP (repeatable)")
	flag.Parse()

	doc := vex.New()
	doc.Author = *author
	doc.Timestamp = parseTime(*stamp)
	for _, text := range list {
		parts := strings.Split(text, "|")
		if len(parts) != 6 {
			fail("a statement has 6 fields separated by |: %q", text)
		}
		product := vex.Product{Component: vex.Component{ID: parts[1]}}
		if parts[2] != "" {
			product.Subcomponents = []vex.Subcomponent{{Component: vex.Component{ID: parts[2]}}}
		}
		doc.Statements = append(doc.Statements, vex.Statement{
			Vulnerability: vex.Vulnerability{Name: vex.VulnerabilityID(parts[0])},
			Products:      []vex.Product{product},
			Status:        vex.Status(parts[3]),
			Justification: vex.Justification(parts[4]),
			Timestamp:     parseTime(parts[5]),
		})
	}
	id, err := doc.GenerateCanonicalID()
	if err != nil {
		fail("canonical id: %v", err)
	}
	doc.ID = id

	if *attest == "" {
		if err := doc.ToJSON(os.Stdout); err != nil {
			fail("%v", err)
		}
		return
	}
	name, digest, ok := strings.Cut(*attest, "@sha256:")
	if !ok {
		fail("-attest wants NAME@sha256:HEX, got %q", *attest)
	}
	att := attestation.New(
		attestation.WithPredicate(&doc),
		attestation.WithImportProducts(false),
		attestation.WithSubjects(&intoto.ResourceDescriptor{
			Name:   name,
			Digest: map[string]string{"sha256": digest},
		}),
	)
	if err := att.ToJSON(os.Stdout); err != nil {
		fail("%v", err)
	}
}

package index

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineImportsNoServer keeps the engine a library: nothing it
// depends on, directly or not, is the server or the RESP layer.
func TestEngineImportsNoServer(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	const mod = "github.com/miniredis-search/miniredis-search/"
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed only %v", deps)
	}
	for _, d := range deps {
		rel, ok := strings.CutPrefix(d, mod)
		if !ok {
			continue
		}
		top, _, _ := strings.Cut(rel, "/")
		if rel == "module" || top == "server" || top == "resp" || top == "coord" {
			t.Errorf("the engine depends on %s", d)
		}
	}
}

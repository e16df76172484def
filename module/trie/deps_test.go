package trie

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTrieImportsNothingOfTheRepository keeps the trie a leaf package.
func TestTrieImportsNothingOfTheRepository(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list -deps listed only %v", deps)
	}
	for _, d := range deps {
		if rel, ok := strings.CutPrefix(d, "github.com/miniredis-search/miniredis-search/"); ok && rel != "module/trie" {
			t.Errorf("module/trie depends on %s", d)
		}
	}
}

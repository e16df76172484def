package testutil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// The golden corpora (replies recorded from the real module) live outside
// the repository, in ../shared/golden from its root, one directory per
// corpus: redisearch-2.10.25 (seed 1), redisearch-2.10.25-seed3,
// redisearch-2.10.25-vectors. GOLDEN_DIR names another directory holding
// them.
const (
	GoldenSeed1   = "redisearch-2.10.25"
	GoldenSeed3   = "redisearch-2.10.25-seed3"
	GoldenVectors = "redisearch-2.10.25-vectors"
)

// InCI reports whether the tests run in CI, where a missing tool, client or
// corpus is a failure, never a skip.
func InCI() bool { return os.Getenv("CI") == "true" }

// GoldenDir returns the directory of the named corpus. When it is missing
// the test fails in CI and is skipped elsewhere, saying where it looked.
func GoldenDir(t testing.TB, corpus string) string {
	t.Helper()
	dir, err := goldenDir(corpus)
	if err == nil {
		return dir
	}
	if InCI() {
		t.Fatalf("golden corpus %s is required in CI: %v", corpus, err)
	}
	t.Skipf("golden corpus %s not available: %v", corpus, err)
	return ""
}

// GoldenFile is GoldenDir's file name of the named corpus.
func GoldenFile(t testing.TB, corpus, name string) string {
	t.Helper()
	return filepath.Join(GoldenDir(t, corpus), name)
}

func goldenDir(corpus string) (string, error) {
	root := os.Getenv("GOLDEN_DIR")
	if root == "" {
		repo, err := repoRoot()
		if err != nil {
			return "", err
		}
		root = filepath.Join(filepath.Dir(repo), "shared", "golden")
	}
	dir := filepath.Join(root, corpus)
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		return "", fmt.Errorf("%w (set GOLDEN_DIR to the directory holding %s)", err, corpus)
	}
	return dir, nil
}

// repoRoot is the nearest directory above the working directory (a test's
// package directory) holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

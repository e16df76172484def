package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// The ledger of a corpus lists the golden lines the emulation does not
// reproduce yet. It is an assertion like any other: each entry records what
// is expected to differ, and the replay fails when
//   - a line differs and is not listed;
//   - a listed line differs in another way than recorded (its category, or
//     the digest of the difference: the recorded reply and ours);
//   - a listed line matches (remove it);
//   - an entry names no command line of the corpus, or names a line twice;
//   - the number of entries is not the corpus's committed maximum
//     (goldenCorpus.maxGaps): fixing a line lowers it, and only a reviewed
//     change to that constant can let the ledger grow.
//
// An entry is one line:
//
//	file:line digest category | cause
//
// where category is what classify() says of the difference, digest is
// gapDigest of the recorded reply and ours, and cause says why the module
// answers otherwise — a mechanism, never just the category again.

// goldenGap is one ledger entry.
type goldenGap struct {
	key      string // file:line
	digest   string
	category string
	cause    string
	seen     bool // the line was replayed and differed as recorded
}

// gapDigest identifies a difference: the recorded (or 8.2-expected) reply
// and ours, each in the compact notation of formatValue.
func gapDigest(want, got any) string {
	sum := sha256.Sum256([]byte(formatValue(want) + "\n" + formatValue(got)))
	return hex.EncodeToString(sum[:8])
}

// gapLine is the ledger line that records a difference, for the failure
// messages: the cause is left for a person to write.
func gapLine(key, digest, category string) string {
	return fmt.Sprintf("%s %s %s | <cause>", key, digest, category)
}

// loadLedger parses a ledger file; keys are checked against the corpus
// later (checkLedgerKeys), when its files are loaded.
func loadLedger(path string) (map[string]*goldenGap, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	gaps := map[string]*goldenGap{}
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(why string) error {
			return fmt.Errorf("%s:%d: %s: %q; want `file:line digest category | cause`", path, n+1, why, line)
		}
		key, rest, ok1 := strings.Cut(line, " ")
		digest, rest, ok2 := strings.Cut(rest, " ")
		category, cause, ok3 := strings.Cut(rest, " | ")
		switch {
		case !ok1 || !ok2 || !ok3:
			return nil, bad("malformed entry")
		case len(digest) != 16 || strings.Trim(digest, "0123456789abcdef") != "":
			return nil, bad("digest is not 16 hex digits")
		case strings.TrimSpace(cause) == "":
			return nil, bad("no cause")
		case gaps[key] != nil:
			return nil, bad("line listed twice")
		}
		gaps[key] = &goldenGap{key: key, digest: digest, category: strings.TrimSpace(category), cause: strings.TrimSpace(cause)}
	}
	return gaps, nil
}

// checkLedgerKeys fails on entries that name no command line of the corpus
// (files: base name → its lines) and on a ledger whose size is not the
// committed maximum.
func checkLedgerKeys(t *testing.T, c *goldenCorpus, gaps map[string]*goldenGap, files map[string][]goldenLine) {
	t.Helper()
	commands := map[string]bool{}
	for _, lines := range files {
		for i := range lines {
			if lines[i].Cmd != nil {
				commands[gapKey(&lines[i])] = true
			}
		}
	}
	var unknown []string
	for key := range gaps {
		if !commands[key] {
			unknown = append(unknown, key)
		}
	}
	sort.Strings(unknown)
	for _, key := range unknown {
		t.Errorf("%s: %s names no command line of %s", c.gapsFile, key, c.name)
	}
	switch n := len(gaps); {
	case n > c.maxGaps:
		t.Errorf("%s has %d entries, more than its committed maximum of %d: the ledger only shrinks; fix the new differences instead", c.gapsFile, n, c.maxGaps)
	case n < c.maxGaps:
		t.Errorf("%s has %d entries: lower maxGaps of %s from %d to %d, so that the ledger cannot grow back", c.gapsFile, n, c.name, c.maxGaps, n)
	}
}

// checkGap decides a line's fate against the ledger: "" when it matched and
// is not listed, or differed exactly as listed; else what is wrong.
func checkGap(gap *goldenGap, key, diff, category, digest string) string {
	switch {
	case diff == "" && gap == nil:
		return ""
	case diff == "":
		return fmt.Sprintf("%s now matches: remove it from the ledger (listed as %q: %s)", key, gap.category, gap.cause)
	case gap == nil:
		return fmt.Sprintf("not in the ledger; if it cannot be fixed now, its entry would be:\n  %s", gapLine(key, digest, category))
	case gap.category != category || gap.digest != digest:
		return fmt.Sprintf("differs in another way than the ledger records (%s %s, cause: %s); the difference is now:\n  %s",
			gap.digest, gap.category, gap.cause, gapLine(key, digest, category))
	}
	gap.seen = true
	return ""
}

func gapKey(l *goldenLine) string { return fmt.Sprintf("%s:%d", l.File, l.Line) }

package integration

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The repository's documents describe the repository: a reader of a fresh
// clone must find every file they link or name. TestDocsLinkOnlyRepositoryFiles
// reads README.md and ARCHITECTURE.md and fails on
//
//   - a link ([text](target), ![image](target), [ref]: target, <url>, a bare
//     URL) to anything but a file or directory of the repository: another
//     site, a path that leaves the repository, or one that does not exist
//     (a #fragment must name a heading of its file);
//   - a path named in code (`inline` or a fenced block) that leaves the
//     repository (./… or ../…) or that starts with one of the repository's
//     top-level entries (module/query/, integration/golden_test.go, globs
//     such as integration/search_acceptance_*_test.go) and does not exist.
//
// One exception, documented where it applies: a document may name a path in
// its section about what is not built yet ("… not built yet", "… not there
// yet"), and elsewhere name that same path, which does not exist yet.
func TestDocsLinkOnlyRepositoryFiles(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{"README.md", "ARCHITECTURE.md"} {
		for _, p := range docProblems(t, root, doc) {
			t.Errorf("%s: %s", doc, p)
		}
	}
}

var (
	fenceRe      = regexp.MustCompile("^\\s*(```|~~~)")
	codeSpanRe   = regexp.MustCompile("`+([^`]+)`+")
	inlineLinkRe = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)`)
	refDefRe     = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)`)
	autoLinkRe   = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>`)
	bareURLRe    = regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s)>\]]+|\bwww\.[a-z0-9-]+\.[a-z]`)
	schemeRe     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
	headingRe    = regexp.MustCompile(`^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$`)
	notBuiltRe   = regexp.MustCompile(`(?i)not (built|there) yet`)
)

// docLine is a line of a document, with whether it sits in a fenced code
// block and in the document's "not built yet" section.
type docLine struct {
	no       int
	text     string
	fenced   bool
	notBuilt bool
}

func readDoc(t *testing.T, path string) []docLine {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []docLine
	fenced, notBuilt := false, false
	for i, text := range strings.Split(string(data), "\n") {
		if fenceRe.MatchString(text) {
			fenced = !fenced
			continue
		}
		if !fenced {
			if m := headingRe.FindStringSubmatch(text); m != nil {
				notBuilt = notBuiltRe.MatchString(m[2])
			}
		}
		out = append(out, docLine{no: i + 1, text: text, fenced: fenced, notBuilt: notBuilt})
	}
	return out
}

// headingSlugs are the fragments GitHub gives a document's headings.
func headingSlugs(lines []docLine) map[string]bool {
	slugs := map[string]bool{}
	for _, l := range lines {
		if l.fenced {
			continue
		}
		m := headingRe.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(m[2]) {
			switch {
			case r == ' ' || r == '-':
				b.WriteRune('-')
			case r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127 && !strings.ContainsRune("→—–…’“”", r):
				b.WriteRune(r)
			}
		}
		slug := b.String()
		for n := 0; slugs[slug]; n++ {
			slug = b.String() + "-" + string(rune('1'+n))
		}
		slugs[slug] = true
	}
	return slugs
}

// codePaths are the words of a line's code that look like paths of the
// repository: ./… and ../…, or starting with a top-level entry.
func codePaths(code string, topLevel map[string]bool) []string {
	var out []string
	for _, w := range strings.FieldsFunc(code, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '"' || r == '\'' || r == '(' || r == ')' || r == ',' || r == ';' || r == '='
	}) {
		switch {
		case strings.HasPrefix(w, "./") || strings.HasPrefix(w, "../") || w == "..":
			out = append(out, w)
		case strings.Contains(w, "/") && topLevel[strings.SplitN(w, "/", 2)[0]]:
			out = append(out, w)
		}
	}
	return out
}

func docProblems(t *testing.T, root, doc string) []string {
	t.Helper()
	lines := readDoc(t, filepath.Join(root, doc))
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	topLevel := map[string]bool{}
	for _, e := range entries {
		if e.Name() != ".git" {
			topLevel[e.Name()] = true
		}
	}
	// The paths the document says are not built yet.
	notBuilt := map[string]bool{}
	for _, l := range lines {
		if !l.notBuilt {
			continue
		}
		for _, m := range codeSpanRe.FindAllStringSubmatch(l.text, -1) {
			for _, p := range codePaths(m[1], topLevel) {
				notBuilt[strings.TrimSuffix(p, "/")] = true
			}
		}
	}
	var problems []string
	// inRepo resolves a path (relative to the repository's root) and says
	// what is wrong with it, if anything.
	inRepo := func(p string) string {
		if q, ok := strings.CutSuffix(p, "/..."); ok {
			p = q // a Go package pattern: the directory
		}
		abs := filepath.Join(root, filepath.FromSlash(p))
		rel, err := filepath.Rel(root, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "outside the repository"
		}
		if notBuilt[strings.TrimSuffix(filepath.ToSlash(rel), "/")] {
			return ""
		}
		matches, err := filepath.Glob(abs)
		if err != nil || len(matches) == 0 {
			return "no such file in the repository"
		}
		return ""
	}
	slugsOf := map[string]map[string]bool{doc: headingSlugs(lines)}
	for _, l := range lines {
		if l.fenced {
			for _, p := range codePaths(stripShellComment(l.text), topLevel) {
				if why := inRepo(p); why != "" {
					problems = append(problems, lineRef(l.no)+": "+p+" (in a code block): "+why)
				}
			}
			continue
		}
		text := l.text
		for _, m := range codeSpanRe.FindAllStringSubmatch(text, -1) {
			if l.notBuilt {
				continue
			}
			for _, p := range codePaths(m[1], topLevel) {
				if why := inRepo(p); why != "" {
					problems = append(problems, lineRef(l.no)+": `"+m[1]+"` names "+p+": "+why)
				}
			}
		}
		prose := codeSpanRe.ReplaceAllString(text, "")
		var targets []string
		for _, m := range inlineLinkRe.FindAllStringSubmatch(prose, -1) {
			targets = append(targets, m[1])
		}
		if m := refDefRe.FindStringSubmatch(prose); m != nil {
			targets = append(targets, m[1])
		}
		for _, m := range autoLinkRe.FindAllStringSubmatch(prose, -1) {
			targets = append(targets, m[1])
		}
		for _, u := range bareURLRe.FindAllString(autoLinkRe.ReplaceAllString(inlineLinkRe.ReplaceAllString(prose, ""), ""), -1) {
			problems = append(problems, lineRef(l.no)+": "+u+": a link outside the repository")
		}
		for _, target := range targets {
			if target == "" {
				problems = append(problems, lineRef(l.no)+": an empty link")
				continue
			}
			if schemeRe.MatchString(target) || strings.HasPrefix(target, "//") {
				problems = append(problems, lineRef(l.no)+": "+target+": a link outside the repository")
				continue
			}
			file, frag, _ := strings.Cut(target, "#")
			if strings.HasPrefix(file, "/") {
				problems = append(problems, lineRef(l.no)+": "+target+": an absolute path (GitHub resolves it against the site, not the repository)")
				continue
			}
			linked := doc
			if file != "" {
				rel := filepath.ToSlash(filepath.Join(filepath.Dir(doc), file))
				if why := inRepo(rel); why != "" {
					problems = append(problems, lineRef(l.no)+": link to "+target+": "+why)
					continue
				}
				linked = rel
			}
			if frag == "" {
				continue
			}
			if slugsOf[linked] == nil {
				if !strings.HasSuffix(linked, ".md") {
					problems = append(problems, lineRef(l.no)+": link to "+target+": a fragment of a file that is not markdown")
					continue
				}
				slugsOf[linked] = headingSlugs(readDoc(t, filepath.Join(root, linked)))
			}
			if !slugsOf[linked][frag] {
				problems = append(problems, lineRef(l.no)+": link to "+target+": no heading #"+frag+" in "+linked)
			}
		}
	}
	return problems
}

func lineRef(n int) string { return "line " + strconv.Itoa(n) }

// stripShellComment drops a # comment from a line of a shell example.
func stripShellComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}

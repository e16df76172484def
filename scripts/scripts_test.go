// Package scripts holds the shell scripts of the Makefile; its tests check
// that `make test` leaves the machine's services alone.
package scripts

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// `make test` runs on developers' machines: whatever it installs or starts,
// it must never stop, disable, restart or kill a service or a process it did
// not start (a developer's own Redis on 6379, say). Two checks:
//
//   - TestNoServiceControl reads every command that `make test` can run (the
//     recipes of the Makefile targets reachable from `test`, the scripts they
//     call, every scripts/*.sh and .ci/run) and fails on any that controls a
//     service or kills by name;
//   - TestInstallDepsLeavesServicesAlone runs scripts/install-deps.sh with
//     every tool it may call replaced by a recorder, on a machine where
//     nothing is installed, and checks what it called.

// serviceCommands control services or kill processes by name: make test has
// no business with any of them.
var serviceCommands = map[string]string{
	"systemctl":          "controls systemd services",
	"service":            "controls system services",
	"invoke-rc.d":        "controls system services",
	"update-rc.d":        "enables or disables system services",
	"deb-systemd-invoke": "controls system services",
	"deb-systemd-helper": "enables or disables system services",
	"rc-service":         "controls OpenRC services",
	"rc-update":          "enables or disables OpenRC services",
	"start-stop-daemon":  "starts and stops daemons",
	"initctl":            "controls upstart services",
	"launchctl":          "controls launchd services",
	"pkill":              "kills processes by name",
	"killall":            "kills processes by name",
	"killall5":           "kills every process",
	"fuser":              "kills the processes holding a port or file",
}

// daemonPackages are Debian packages whose installation starts (and enables
// at boot) a system service.
var daemonPackages = []string{"redis-server", "redis-sentinel", "redis", "valkey-server", "keydb-server"}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "Makefile")); err != nil {
		t.Fatalf("no Makefile at the repository's root %s: %v", root, err)
	}
	return root
}

// makeRule is a Makefile rule: its prerequisites and recipe lines.
type makeRule struct {
	prereqs []string
	recipe  []string
}

var ruleRe = regexp.MustCompile(`^([A-Za-z0-9_./-]+(?:[ \t]+[A-Za-z0-9_./-]+)*)[ \t]*:([^=].*)?$`)

// parseMakefile reads the rules of a Makefile (enough of make's syntax for
// ours: explicit rules, tab-indented recipes, backslash continuations).
func parseMakefile(t *testing.T, path string) map[string]*makeRule {
	t.Helper()
	lines := readLines(t, path)
	rules := map[string]*makeRule{}
	var current []*makeRule
	for _, line := range lines {
		if strings.HasPrefix(line, "\t") {
			for _, r := range current {
				r.recipe = append(r.recipe, strings.TrimSpace(line))
			}
			continue
		}
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		m := ruleRe.FindStringSubmatch(line)
		if m == nil {
			current = nil // a variable assignment or a directive
			continue
		}
		current = nil
		for _, target := range strings.Fields(m[1]) {
			r := rules[target]
			if r == nil {
				r = &makeRule{}
				rules[target] = r
			}
			r.prereqs = append(r.prereqs, strings.Fields(m[2])...)
			current = append(current, r)
		}
	}
	return rules
}

// readLines reads a file, joining backslash-continued lines.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	var cont strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasSuffix(line, "\\") {
			cont.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cont.WriteString(line)
		lines = append(lines, cont.String())
		cont.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

var (
	scriptRefRe = regexp.MustCompile(`(?:^|[\s;&|(])(?:\./)?((?:scripts|\.ci)/[A-Za-z0-9_.-]+)`)
	subMakeRe   = regexp.MustCompile(`\$[({]MAKE[)}]\s+([A-Za-z0-9_. -]+)`)
)

// testCommands is every command line `make test` may run, by where it is
// written ("Makefile:gotest", "scripts/install-deps.sh:12").
func testCommands(t *testing.T, root string) map[string]string {
	t.Helper()
	rules := parseMakefile(t, filepath.Join(root, "Makefile"))
	if rules["test"] == nil {
		t.Fatal("the Makefile has no test target")
	}
	commands := map[string]string{}
	scripts := map[string]bool{".ci/run": true}
	matches, err := filepath.Glob(filepath.Join(root, "scripts", "*.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matches {
		scripts[filepath.ToSlash(strings.TrimPrefix(m, root+string(filepath.Separator)))] = true
	}
	seen := map[string]bool{}
	queue := []string{"test"}
	for len(queue) > 0 {
		target := queue[0]
		queue = queue[1:]
		if seen[target] {
			continue
		}
		seen[target] = true
		r := rules[target]
		if r == nil {
			continue // a file prerequisite
		}
		queue = append(queue, r.prereqs...)
		for i, line := range r.recipe {
			commands["Makefile:"+target+":"+strconv.Itoa(i+1)] = strings.TrimLeft(line, "@-+")
			for _, m := range scriptRefRe.FindAllStringSubmatch(line, -1) {
				scripts[m[1]] = true
			}
			for _, m := range subMakeRe.FindAllStringSubmatch(line, -1) {
				queue = append(queue, strings.Fields(m[1])...)
			}
		}
	}
	for _, want := range []string{"deps", "vet", "gotest"} {
		if !seen[want] {
			t.Errorf("the Makefile's test target does not reach %s: the parser lost track", want)
		}
	}
	for script := range scripts {
		for i, line := range readLines(t, filepath.Join(root, script)) {
			commands[script+":"+strconv.Itoa(i+1)] = line
		}
	}
	if !scripts["scripts/install-deps.sh"] {
		t.Error("scripts/install-deps.sh is not among the scripts read")
	}
	return commands
}

// stripComment removes a shell comment: a # that starts a word, outside
// quotes.
func stripComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\\':
			i++
		case c == '\'' || c == '"':
			quote = c
		case c == '#' && (i == 0 || strings.ContainsRune(" \t;&|(", rune(line[i-1]))):
			return line[:i]
		}
	}
	return line
}

// simpleCommands splits a shell line into its simple commands' words: at
// ; & | ( ) { } ` and $( , and after the keywords that introduce a command.
func simpleCommands(line string) [][]string {
	line = stripComment(line)
	// A command substitution ends the command it is an argument of (which
	// keeps a word for it: `kill $(pidof x)` kills what it did not start)
	// and starts its own.
	line = strings.ReplaceAll(line, "$(", " $SUBST\n")
	line = strings.ReplaceAll(line, "`", " $SUBST\n")
	for _, sep := range []string{"&&", "||", ";", "&", "|", "(", ")", "{", "}"} {
		line = strings.ReplaceAll(line, sep, "\n")
	}
	var out [][]string
	for _, part := range strings.Split(line, "\n") {
		words := strings.Fields(part)
		for len(words) > 0 {
			switch words[0] {
			case "if", "then", "else", "elif", "do", "while", "until", "!", "time", "exec", "nohup", "env", "sudo", "$SUDO", "\"$SUDO\"", "${SUDO}", "nice", "xargs":
				words = words[1:]
				continue
			}
			if strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "=") && !strings.HasPrefix(words[0], "-") {
				words = words[1:] // an assignment
				continue
			}
			break
		}
		if len(words) > 0 {
			out = append(out, words)
		}
	}
	return out
}

var redirRe = regexp.MustCompile(`^[0-9]*(?:[<>]|&>)`)

var pidVarRe = regexp.MustCompile(`^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$`)

// forbidden says why a simple command stops or kills something make test
// did not start, or "" when it does not. pidVars are the variables a script
// assigns from $! (the pids of what it started itself).
func forbidden(words []string, pidVars map[string]bool) string {
	name := strings.Trim(words[0], `"'`)
	base := filepath.Base(name)
	if name == "command" && len(words) > 1 && (words[1] == "-v" || words[1] == "-V") {
		return "" // a lookup, not a run
	}
	if name == "command" && len(words) > 1 {
		return forbidden(words[1:], pidVars)
	}
	if why, ok := serviceCommands[base]; ok {
		return base + " " + why
	}
	switch base {
	case "kill":
		args := words[1:]
		for i := 0; i < len(args); i++ {
			w := args[i]
			if redirRe.MatchString(w) {
				if strings.TrimLeft(w, "0123456789<>&") == "" {
					i++ // "2> file": the file is the next word
				}
				continue
			}
			if strings.HasPrefix(w, "-") {
				continue // a signal
			}
			if m := pidVarRe.FindStringSubmatch(w); m != nil && pidVars[m[1]] {
				continue
			}
			return "kill " + w + ": a script kills only the processes it started (a variable assigned from $!)"
		}
	case "redis-cli":
		for _, w := range words[1:] {
			if strings.EqualFold(strings.Trim(w, `"'`), "shutdown") {
				return "redis-cli SHUTDOWN stops a Redis server"
			}
		}
	}
	return ""
}

var pidAssignRe = regexp.MustCompile(`(?:^|[\s;&])([A-Za-z_][A-Za-z0-9_]*)=\$!`)

func TestNoServiceControl(t *testing.T) {
	root := repoRoot(t)
	commands := testCommands(t, root)
	// The variables each file assigns from $!.
	pidVars := map[string]map[string]bool{}
	for where, line := range commands {
		file := where[:strings.LastIndex(where, ":")]
		if pidVars[file] == nil {
			pidVars[file] = map[string]bool{}
		}
		for _, m := range pidAssignRe.FindAllStringSubmatch(stripComment(line), -1) {
			pidVars[file][m[1]] = true
		}
	}
	wheres := make([]string, 0, len(commands))
	for where := range commands {
		wheres = append(wheres, where)
	}
	sort.Strings(wheres)
	for _, where := range wheres {
		file := where[:strings.LastIndex(where, ":")]
		for _, words := range simpleCommands(commands[where]) {
			if why := forbidden(words, pidVars[file]); why != "" {
				t.Errorf("%s: %q: %s; make test must leave the machine's services and processes alone", where, strings.TrimSpace(commands[where]), why)
			}
		}
	}
}

// TestForbiddenCommands checks the checker on lines it must catch and lines
// it must let through.
func TestForbiddenCommands(t *testing.T) {
	pids := map[string]bool{"ours_pid": true}
	for _, line := range []string{
		`if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true; fi`,
		`$SUDO service redis-server stop >/dev/null 2>&1 || true`,
		`sudo /usr/sbin/invoke-rc.d redis-server stop`,
		`pkill -f redis-server`,
		`killall redis-server || true`,
		`kill $(pidof redis-server)`,
		`kill 1234`,
		`kill "$other"`,
		`redis-cli -p 6379 shutdown nosave`,
		`x=$(systemctl is-active redis-server)`,
		`fuser -k 6379/tcp`,
	} {
		found := false
		for _, words := range simpleCommands(line) {
			if forbidden(words, pids) != "" {
				found = true
			}
		}
		if !found {
			t.Errorf("%q passes the check", line)
		}
	}
	for _, line := range []string{
		`if command -v systemctl >/dev/null 2>&1; then echo yes; fi`,
		`kill "$ours_pid" 2>/dev/null || true`,
		`kill -0 "$ours_pid" 2>/dev/null || exit 1`,
		`redis-cli -p "$port" ping >/dev/null 2>&1 # not shutdown`,
		`echo "the service is yours" # systemctl stop redis`,
		`$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null`,
	} {
		for _, words := range simpleCommands(line) {
			if why := forbidden(words, pids); why != "" {
				t.Errorf("%q is caught: %s", line, why)
			}
		}
	}
}

// TestInstallDepsLeavesServicesAlone runs scripts/install-deps.sh where
// none of the tools it looks for is on PATH, with apt-get, sudo, go and
// every service command replaced by recorders: it must install only
// packages that start no service, and call no service command.
func TestInstallDepsLeavesServicesAlone(t *testing.T) {
	root := repoRoot(t)
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	bin := t.TempDir()
	record := filepath.Join(t.TempDir(), "calls")
	stub := "#!" + sh + "\necho \"$(basename \"$0\") $*\" >>" + record + "\n"
	for _, name := range []string{"apt-get", "go"} {
		writeExec(t, filepath.Join(bin, name), stub)
	}
	for name := range serviceCommands {
		writeExec(t, filepath.Join(bin, name), stub)
	}
	// sudo records itself, then runs the command (a recorder too).
	writeExec(t, filepath.Join(bin, "sudo"), stub+"exec \"$@\"\n")
	for _, name := range []string{"id", "basename"} {
		path, err := exec.LookPath(name)
		if err != nil {
			t.Skipf("no %s", name)
		}
		if err := os.Symlink(path, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(sh, filepath.Join(root, "scripts", "install-deps.sh"))
	cmd.Dir = root
	cmd.Env = []string{"PATH=" + bin, "HOME=" + t.TempDir()}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("install-deps.sh: %v\n%s", err, out)
	}
	data, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("install-deps.sh called nothing: %v\n%s", err, out)
	}
	var installed []string
	sawUpdate, sawGo := false, false
	for _, call := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		words := strings.Fields(call)
		switch {
		case words[0] == "sudo":
		case words[0] == "go":
			sawGo = true
		case words[0] == "apt-get" && len(words) > 1 && words[1] == "update":
			sawUpdate = true
		case words[0] == "apt-get" && len(words) > 1 && words[1] == "install":
			for _, w := range words[2:] {
				if !strings.HasPrefix(w, "-") {
					installed = append(installed, w)
				}
			}
		default:
			t.Errorf("install-deps.sh ran %q: %s", call, serviceCommands[words[0]])
		}
	}
	if !sawUpdate || !sawGo {
		t.Errorf("calls:\n%s\nwant apt-get update and go mod download", data)
	}
	hasTools := false
	for _, p := range installed {
		for _, d := range daemonPackages {
			if p == d {
				t.Errorf("install-deps.sh installs %s, whose installation starts a system service (and enables it at boot)", p)
			}
		}
		hasTools = hasTools || p == "redis-tools"
	}
	if !hasTools {
		t.Errorf("install-deps.sh installed %v on a machine without redis-cli: want redis-tools", installed)
	}
}

func writeExec(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

var execLiteralRe = regexp.MustCompile(`exec\.Command(?:Context)?\((?:[A-Za-z_][A-Za-z0-9_.]*, )?"([^"]+)"`)

// TestGoRunsNoServiceCommand: no Go file (tests included: make test runs
// them) runs a service command or kills by name.
func TestGoRunsNoServiceCommand(t *testing.T) {
	root := repoRoot(t)
	files := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		files++
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range execLiteralRe.FindAllSubmatch(src, -1) {
			words := append(strings.Fields(string(m[1])), "$SUBST")
			if why := forbidden(words, nil); why != "" {
				t.Errorf("%s runs %q: %s", path, m[1], why)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("read %d Go files under %s: the walk lost its way", files, root)
	}
}

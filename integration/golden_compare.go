package integration

// The golden replay's data model and comparison rules: the recorded lines of
// ../shared/golden/redisearch-2.10.25 (see its README.md), a small RESP2
// client whose replies are plain Go values, and the comparison of a reply
// with a recorded one under the README's rules, tightened to what the data
// needs (scores within maxScoreULPs, everything else exact; FT.INFO
// compare_keys, unordered sets, TOLIST multisets). Nothing here depends on package testing, so that the rules can
// be read (and reused) on their own.

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
)

// A reply is one of: int64 (RESP integer), string (bulk or simple string),
// nil (null bulk or null array), []any (array) or errorReply. The recorded
// JSON is decoded into the same shapes, so both sides compare directly.

// errorReply is an error reply: the full line without the leading '-'.
type errorReply string

// maxScoreULPs bounds how far apart a score may be from the recorded one,
// in units in the last place. The README allows 1e-9 relative, but across
// both corpora the scores that needed any tolerance differ by at most
// 2.5e-16 relative — the last bit of a double, from additions done in
// another order — and FT.AGGREGATE's values and FT.INFO's counts match
// exactly, so they are compared exactly. 7.4 prints scores with %.17g and
// 8.x may print the shortest round-trip form: both parse to the same double
// (0 ulps).
const maxScoreULPs = 2

// goldenLine is one line of a golden JSONL file.
type goldenLine struct {
	File string // base name, e.g. "search.jsonl"
	Line int    // 1-based line number in File

	Step        int      // mutations.jsonl only
	Cmd         []string // nil for sleep and wait_indexed steps
	HasReply    bool
	Reply       any
	Error       string // set when the recorded answer is an error
	HasError    bool
	CompareKeys []string // FT.INFO: compare only these keys
	Unordered   bool     // "compare": "unordered"
	Sleep       float64  // seconds; > 0 for a sleep step
	WaitIndexed string   // index name for a wait_indexed step
}

type rawGoldenLine struct {
	Step        int               `json:"step"`
	Cmd         []json.RawMessage `json:"cmd"`
	Reply       json.RawMessage   `json:"reply"`
	Error       *string           `json:"error"`
	CompareKeys []string          `json:"compare_keys"`
	Compare     string            `json:"compare"`
	Sleep       float64           `json:"sleep"`
	WaitIndexed string            `json:"wait_indexed"`
}

// goldenPlan is a corpus's replay plan: meta.json's "replay" object, or
// the plan of the text corpora, whose meta.json has none.
type goldenPlan struct {
	// Indexes are the indexes to wait for after setup.jsonl; empty: every
	// index setup.jsonl creates.
	Indexes []string `json:"indexes"`
	// Files are the files run after setup.jsonl, in order, without
	// ".jsonl".
	Files []string `json:"files"`
	// Binary is "b64" when a value that is not text is written
	// {"b64": "<standard base64>"} (the vectors corpus's README, "Binary
	// values"); "" in the text corpora, where such an object is an error.
	Binary string `json:"binary"`
}

// textCorpusPlan is the replay plan of the corpora without one in meta.json.
var textCorpusPlan = goldenPlan{Files: []string{"search", "aggregate", "other", "mutations"}}

// loadGoldenPlan reads dir/meta.json's replay plan.
func loadGoldenPlan(dir string) (goldenPlan, error) {
	data, err := os.ReadFile(dir + "/meta.json")
	if err != nil {
		return goldenPlan{}, err
	}
	var meta struct {
		Replay *goldenPlan `json:"replay"`
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return goldenPlan{}, fmt.Errorf("%s/meta.json: %v", dir, err)
	}
	if meta.Replay == nil {
		return textCorpusPlan, nil
	}
	p := *meta.Replay
	switch {
	case len(p.Files) == 0:
		return goldenPlan{}, fmt.Errorf("%s/meta.json: replay.files is empty", dir)
	case p.Binary != "" && p.Binary != "b64":
		return goldenPlan{}, fmt.Errorf("%s/meta.json: unknown replay.binary %q", dir, p.Binary)
	}
	return p, nil
}

// loadGoldenFile reads a golden JSONL file. setup.jsonl holds bare command
// arrays; the other files hold objects. With binary, a command argument or
// a reply string may be {"b64": "..."}: it stands for the decoded bytes
// (a Go string holds any bytes), so that both the command sent and the
// comparison of replies are byte for byte.
func loadGoldenFile(path string, binary bool) ([]goldenLine, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	base := path[strings.LastIndexByte(path, '/')+1:]
	var lines []goldenLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		line := goldenLine{File: base, Line: n}
		if text[0] == '[' {
			var args []json.RawMessage
			if err := json.Unmarshal(text, &args); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", base, n, err)
			}
			if line.Cmd, err = decodeArgs(args, binary); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", base, n, err)
			}
			lines = append(lines, line)
			continue
		}
		var raw rawGoldenLine
		if err := json.Unmarshal(text, &raw); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", base, n, err)
		}
		if line.Cmd, err = decodeArgs(raw.Cmd, binary); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", base, n, err)
		}
		line.Step, line.CompareKeys = raw.Step, raw.CompareKeys
		line.Unordered = raw.Compare == "unordered"
		line.Sleep, line.WaitIndexed = raw.Sleep, raw.WaitIndexed
		if raw.Error != nil {
			line.HasError, line.Error = true, *raw.Error
		}
		if raw.Reply != nil {
			line.HasReply = true
			if line.Reply, err = decodeRecorded(raw.Reply, binary); err != nil {
				return nil, fmt.Errorf("%s:%d: reply: %v", base, n, err)
			}
		}
		lines = append(lines, line)
	}
	return lines, sc.Err()
}

// decodeArgs decodes a recorded command: JSON strings, and with binary
// {"b64": ...} objects. A missing "cmd" (a wait_indexed step) gives nil.
func decodeArgs(raw []json.RawMessage, binary bool) ([]string, error) {
	if raw == nil {
		return nil, nil
	}
	args := make([]string, len(raw))
	for i, r := range raw {
		var s string
		if err := json.Unmarshal(r, &s); err == nil && len(r) > 0 && r[0] == '"' {
			args[i] = s
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal(r, &obj); err != nil || !binary {
			return nil, fmt.Errorf("argument %d: not a string: %s", i, truncate(string(r), 80))
		}
		b, err := decodeB64(obj)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %v", i, err)
		}
		args[i] = b
	}
	return args, nil
}

// decodeB64 decodes a {"b64": "<standard base64>"} object to its bytes.
func decodeB64(obj map[string]any) (string, error) {
	enc, ok := obj["b64"].(string)
	if !ok || len(obj) != 1 {
		return "", fmt.Errorf("unexpected object %v", obj)
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", fmt.Errorf("b64 %q: %v", enc, err)
	}
	return string(b), nil
}

// decodeRecorded turns a recorded JSON reply into the reply shapes above.
func decodeRecorded(raw json.RawMessage, binary bool) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return fromJSON(v, binary)
}

// fromJSON maps a decoded JSON value to a reply: {"error": ...} is an
// error (nested in an array as well), and with binary {"b64": ...} is the
// bulk string of the decoded bytes.
func fromJSON(v any, binary bool) (any, error) {
	switch v := v.(type) {
	case nil, string:
		return v, nil
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			return nil, fmt.Errorf("non-integer number %s", v)
		}
		return n, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			var err error
			if out[i], err = fromJSON(e, binary); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		if _, isBlob := v["b64"]; binary && isBlob {
			return decodeB64(v)
		}
		msg, ok := v["error"].(string)
		if !ok || len(v) != 1 {
			return nil, fmt.Errorf("unexpected object %v", v)
		}
		return errorReply(msg), nil
	}
	return nil, fmt.Errorf("unexpected JSON value %T", v)
}

// expectedOf is what a line expects, as a reply value (an error line gives
// an errorReply).
func (l *goldenLine) expectedOf() any {
	if l.HasError {
		return errorReply(l.Error)
	}
	return l.Reply
}

// goldenClient is a RESP2 connection whose replies are plain values. Unlike
// testutil.Conn it returns transport errors instead of failing a test, so
// that one connection can serve many subtests.
type goldenClient struct {
	addr    string
	nc      net.Conn
	rd      *resp.Reader
	timeout time.Duration
}

func dialGolden(addr string, timeout time.Duration) (*goldenClient, error) {
	c := &goldenClient{addr: addr, timeout: timeout}
	return c, c.redial()
}

func (c *goldenClient) redial() error {
	if c.nc != nil {
		c.nc.Close()
	}
	nc, err := net.DialTimeout("tcp", c.addr, c.timeout)
	if err != nil {
		return err
	}
	c.nc, c.rd = nc, resp.NewReader(nc, 0)
	return nil
}

func (c *goldenClient) Close() {
	if c.nc != nil {
		c.nc.Close()
	}
}

// Do sends one command and reads its reply. After a transport error the
// connection is replaced, since a late reply would desynchronise it.
func (c *goldenClient) Do(args ...string) (any, error) {
	if err := c.send(resp.AppendCommand(nil, args...)); err != nil {
		return nil, c.broken(err)
	}
	v, err := c.read()
	if err != nil {
		return nil, c.broken(err)
	}
	return v, nil
}

// Pipeline sends the commands in batches and returns their replies in order.
func (c *goldenClient) Pipeline(cmds [][]string, batch int) ([]any, error) {
	replies := make([]any, 0, len(cmds))
	for start := 0; start < len(cmds); start += batch {
		end := min(start+batch, len(cmds))
		var buf []byte
		for _, cmd := range cmds[start:end] {
			buf = resp.AppendCommand(buf, cmd...)
		}
		if err := c.send(buf); err != nil {
			return replies, c.broken(err)
		}
		for range cmds[start:end] {
			v, err := c.read()
			if err != nil {
				return replies, c.broken(err)
			}
			replies = append(replies, v)
		}
	}
	return replies, nil
}

func (c *goldenClient) send(b []byte) error {
	_ = c.nc.SetWriteDeadline(time.Now().Add(c.timeout))
	_, err := c.nc.Write(b)
	return err
}

func (c *goldenClient) read() (any, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(c.timeout))
	r, err := c.rd.ReadReply()
	if err != nil {
		return nil, err
	}
	return fromRESP(r), nil
}

func (c *goldenClient) broken(err error) error {
	if rerr := c.redial(); rerr != nil {
		return errors.Join(err, fmt.Errorf("reconnect: %w", rerr))
	}
	return err
}

func fromRESP(r redcon.RESP) any {
	switch r.Type {
	case redcon.Integer:
		n, _ := strconv.ParseInt(string(r.Data), 10, 64)
		return n
	case redcon.String:
		return string(r.Data)
	case redcon.Bulk:
		if r.Data == nil {
			return nil
		}
		return string(r.Data)
	case redcon.Error:
		return errorReply(string(r.Data))
	case redcon.Array:
		if r.Count < 0 {
			return nil
		}
		out := make([]any, 0, r.Count)
		r.ForEach(func(e redcon.RESP) bool {
			out = append(out, fromRESP(e))
			return true
		})
		return out
	}
	return errorReply(fmt.Sprintf("<unparsed RESP type %q>", r.Type))
}

// compareRules say how loosely two replies may differ.
type compareRules struct {
	// scores compares the top-level strings that both parse as numbers
	// within maxScoreULPs (FT.SEARCH WITHSCORES: the scores).
	scores bool
	// multisetKeys are row keys whose array values compare as multisets
	// (FT.AGGREGATE TOLIST reducers).
	multisetKeys map[string]bool
	// unordered compares a top-level array as a set.
	unordered bool
	// approxKeys are the names of the document or row fields whose values
	// are distances computed in float32 by a COSINE field: they compare
	// within cosineTolerance (distanceKeys).
	approxKeys map[string]bool
}

// rulesFor derives the comparison rules of a line from its command. cosine
// lists, per index, the FLOAT32 COSINE vector fields of the corpus's setup
// (float32CosineFields); nil for the text corpora.
func rulesFor(l *goldenLine, cosine map[string]map[string]bool) compareRules {
	rules := compareRules{unordered: l.Unordered}
	if len(l.Cmd) == 0 {
		return rules
	}
	switch strings.ToUpper(l.Cmd[0]) {
	case "FT.SEARCH":
		rules.scores = len(l.Cmd) > 3 && hasArg(l.Cmd[3:], "WITHSCORES")
	case "FT.AGGREGATE":
		rules.multisetKeys = tolistAliases(l.Cmd)
	}
	if isQueryCommand(l) && len(l.Cmd) > 2 && len(cosine[l.Cmd[1]]) > 0 {
		rules.approxKeys = distanceKeys(l.Cmd, cosine[l.Cmd[1]])
	}
	return rules
}

// cosineTolerance is how far a distance of a FLOAT32 COSINE field may be
// from the recorded one. The vectors corpus's README ("Distance formats"):
// the module computes such a distance in float32 (normalised vectors, then
// 1 - their inner product), so its last printed digits depend on the
// order of the float32 operations; on the corpus the recorded values are
// at most 1.5e-7 from the exact (float64) ones, and a vector's distance to
// itself prints 5.96046447754e-08. The README suggests an absolute 1e-6.
// L2 and IP distances of the corpus are exact in float32 (components are
// multiples of 1/32), and FLOAT64 fields compute in float64: they compare
// exactly.
const cosineTolerance = 1e-6

// float32CosineFields reads, from setup.jsonl's FT.CREATE commands, the
// VECTOR fields declared TYPE FLOAT32 and DISTANCE_METRIC COSINE: index →
// field names (the AS name when there is one).
func float32CosineFields(setup []goldenLine) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, l := range setup {
		cmd := l.Cmd
		if len(cmd) < 2 || !strings.EqualFold(cmd[0], "FT.CREATE") {
			continue
		}
		for i := 0; i+3 < len(cmd); i++ {
			if !strings.EqualFold(cmd[i+1], "VECTOR") {
				continue
			}
			name := cmd[i] // the AS name when there is one: queries use it
			n, err := strconv.Atoi(cmd[i+3])
			if err != nil || i+4+n > len(cmd) {
				continue
			}
			params := map[string]string{}
			for j := i + 4; j+1 < i+4+n; j += 2 {
				params[strings.ToUpper(cmd[j])] = strings.ToUpper(cmd[j+1])
			}
			if params["TYPE"] == "FLOAT32" && params["DISTANCE_METRIC"] == "COSINE" {
				if out[cmd[1]] == nil {
					out[cmd[1]] = map[string]bool{}
				}
				out[cmd[1]][name] = true
			}
		}
	}
	return out
}

var (
	// knnClause is `[KNN k @field $blob attrs…]`, then optionally
	// `=>{$attr: value; …}`.
	knnClause = regexp.MustCompile(`(?i)\[\s*KNN\s+\S+\s+@([A-Za-z_][A-Za-z0-9_]*)\s+\$[A-Za-z0-9_]+([^\]]*)\](\s*=>\s*\{[^}]*\})?`)
	// rangeClause is `@field:[VECTOR_RANGE r $blob]`, then optionally
	// `=>{$attr: value; …}`.
	rangeClause = regexp.MustCompile(`(?i)@([A-Za-z_][A-Za-z0-9_]*)\s*:\s*\[\s*VECTOR_RANGE\s[^\]]*\](\s*=>\s*\{[^}]*\})?`)
	knnAlias    = regexp.MustCompile(`(?i)(?:^|\s)AS\s+([A-Za-z_][A-Za-z0-9_]*)`)
	yieldAlias  = regexp.MustCompile(`(?i)\$YIELD_DISTANCE_AS\s*:\s*([A-Za-z_][A-Za-z0-9_]*)`)
)

// distanceKeys names, for a query command, the fields that hold a distance
// of one of the given vector fields: the distance field of each KNN clause
// on one of them (its AS alias, its $YIELD_DISTANCE_AS alias, else
// __<field>_score), of each VECTOR_RANGE clause on one of them that yields
// its distance, and in FT.AGGREGATE the output of a MIN or MAX reducer over
// such a field (its value is one of those distances).
func distanceKeys(cmd []string, fields map[string]bool) map[string]bool {
	keys := map[string]bool{}
	q := cmd[2]
	for _, m := range knnClause.FindAllStringSubmatch(q, -1) {
		if !fields[m[1]] {
			continue
		}
		switch a, y := knnAlias.FindStringSubmatch(m[2]), yieldAlias.FindStringSubmatch(m[3]); {
		case a != nil:
			keys[a[1]] = true
		case y != nil:
			keys[y[1]] = true
		default:
			keys["__"+m[1]+"_score"] = true
		}
	}
	for _, m := range rangeClause.FindAllStringSubmatch(q, -1) {
		if y := yieldAlias.FindStringSubmatch(m[2]); fields[m[1]] && y != nil {
			keys[y[1]] = true
		}
	}
	if len(keys) == 0 || !strings.EqualFold(cmd[0], "FT.AGGREGATE") {
		return keys
	}
	for i := 3; i+3 < len(cmd); i++ {
		fn := strings.ToUpper(cmd[i+1])
		if !strings.EqualFold(cmd[i], "REDUCE") || (fn != "MIN" && fn != "MAX") || cmd[i+2] != "1" {
			continue
		}
		arg := strings.TrimPrefix(cmd[i+3], "@")
		if !keys[arg] {
			continue
		}
		if i+5 < len(cmd) && strings.EqualFold(cmd[i+4], "AS") {
			keys[cmd[i+5]] = true
		} else {
			keys[strings.ToLower("__generated_alias"+fn+arg)] = true
		}
	}
	return keys
}

// distancesClose says whether two recorded values are numbers within
// cosineTolerance.
func distancesClose(want, got any) bool {
	w, ok1 := want.(string)
	g, ok2 := got.(string)
	if !ok1 || !ok2 {
		return false
	}
	x, err1 := strconv.ParseFloat(w, 64)
	y, err2 := strconv.ParseFloat(g, 64)
	return err1 == nil && err2 == nil && math.Abs(x-y) <= cosineTolerance
}

func hasArg(args []string, kw string) bool {
	for _, a := range args {
		if strings.EqualFold(a, kw) {
			return true
		}
	}
	return false
}

// tolistAliases lists the output names of the TOLIST reducers of an
// FT.AGGREGATE command.
func tolistAliases(cmd []string) map[string]bool { return reducerAliases(cmd, "TOLIST") }

// reducerAliases lists the output names of an FT.AGGREGATE command's
// reducers called name: the AS name, or the generated one,
// "__generated_alias" + lowercase(name and the arguments without '@',
// comma separated).
func reducerAliases(cmd []string, name string) map[string]bool {
	keys := map[string]bool{}
	for i := 0; i+2 < len(cmd); i++ {
		if !strings.EqualFold(cmd[i], "REDUCE") || !strings.EqualFold(cmd[i+1], name) {
			continue
		}
		n, err := strconv.Atoi(cmd[i+2])
		if err != nil || i+3+n > len(cmd) {
			continue
		}
		args := cmd[i+3 : i+3+n]
		if j := i + 3 + n; j+1 < len(cmd) && strings.EqualFold(cmd[j], "AS") {
			keys[cmd[j+1]] = true
			continue
		}
		parts := make([]string, len(args))
		for k, a := range args {
			parts[k] = strings.TrimPrefix(a, "@")
		}
		keys[strings.ToLower("__generated_alias"+name+strings.Join(parts, ","))] = true
	}
	return keys
}

// compareReply checks got against want under rules. It returns "" when they
// match, else the path and values of the first difference.
func compareReply(want, got any, rules compareRules) string {
	if rules.unordered {
		if wa, ok := want.([]any); ok {
			if ga, ok := got.([]any); ok {
				return compareMultiset("", wa, ga)
			}
		}
	}
	return compareAt("", want, got, rules, 0)
}

func compareAt(path string, want, got any, rules compareRules, depth int) string {
	switch w := want.(type) {
	case []any:
		g, ok := got.([]any)
		if !ok {
			return differs(path, want, got)
		}
		if len(w) != len(g) {
			return fmt.Sprintf("%s: length %d, want %d", pathOrRoot(path), len(g), len(w))
		}
		for i := range w {
			p := fmt.Sprintf("%s[%d]", path, i)
			// A row value under a TOLIST key: compare as a multiset.
			if i > 0 && len(rules.multisetKeys) > 0 {
				if key, ok := w[i-1].(string); ok && rules.multisetKeys[key] && i%2 == 1 {
					wl, wok := w[i].([]any)
					gl, gok := g[i].([]any)
					if wok && gok {
						if d := compareMultiset(p, wl, gl); d != "" {
							return d
						}
						continue
					}
				}
			}
			// A distance of a FLOAT32 COSINE field, in a document's fields
			// or a row: within cosineTolerance.
			if depth > 0 && i%2 == 1 && len(rules.approxKeys) > 0 {
				if key, ok := w[i-1].(string); ok && rules.approxKeys[key] && distancesClose(w[i], g[i]) {
					continue
				}
			}
			if d := compareAt(p, w[i], g[i], rules, depth+1); d != "" {
				return d
			}
		}
		return ""
	case string:
		g, ok := got.(string)
		if !ok {
			return differs(path, want, got)
		}
		if w == g {
			return ""
		}
		if rules.scores && depth == 1 && floatsClose(w, g) {
			return ""
		}
		return differs(path, want, got)
	default:
		if want == got {
			return ""
		}
		return differs(path, want, got)
	}
}

// compareMultiset compares two arrays ignoring order.
func compareMultiset(path string, want, got []any) string {
	ws, gs := canonicalSorted(want), canonicalSorted(got)
	if len(ws) != len(gs) {
		return fmt.Sprintf("%s (unordered): %d elements, want %d: got %s, want %s",
			pathOrRoot(path), len(gs), len(ws), truncate(strings.Join(gs, " "), 300), truncate(strings.Join(ws, " "), 300))
	}
	for i := range ws {
		if ws[i] != gs[i] {
			return fmt.Sprintf("%s (unordered): element sets differ: got %s, want %s",
				pathOrRoot(path), truncate(strings.Join(gs, " "), 300), truncate(strings.Join(ws, " "), 300))
		}
	}
	return ""
}

func canonicalSorted(vs []any) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = formatValue(v)
	}
	sort.Strings(out)
	return out
}

// floatsClose says whether two numeric strings are within maxScoreULPs.
// Non-numbers are never close.
func floatsClose(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return numbersClose(x, y)
}

func numbersClose(x, y float64) bool {
	if x == y || (math.IsNaN(x) && math.IsNaN(y)) {
		return true
	}
	d := ulps(x) - ulps(y)
	return !math.IsNaN(x) && !math.IsNaN(y) && -maxScoreULPs <= d && d <= maxScoreULPs
}

// ulps maps a double to an integer such that adjacent doubles map to
// adjacent integers (negative numbers below positive ones).
func ulps(x float64) int64 {
	b := int64(math.Float64bits(x))
	if b < 0 {
		return math.MinInt64 - b
	}
	return b
}

// asNumber reads an integer reply or a numeric string.
func asNumber(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	return 0, false
}

func differs(path string, want, got any) string {
	return fmt.Sprintf("%s: got %s, want %s", pathOrRoot(path), truncate(formatValue(got), 300), truncate(formatValue(want), 300))
}

func pathOrRoot(path string) string {
	if path == "" {
		return "reply"
	}
	return "reply" + path
}

// formatValue prints a reply compactly: strings quoted, errors as (error "…").
func formatValue(v any) string {
	var b strings.Builder
	writeValue(&b, v)
	return b.String()
}

func writeValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("nil")
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case string:
		b.WriteString(strconv.Quote(v))
	case errorReply:
		b.WriteString("(error " + strconv.Quote(string(v)) + ")")
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(' ')
			}
			writeValue(b, e)
		}
		b.WriteByte(']')
	default:
		fmt.Fprintf(b, "%v", v)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("…(%d more bytes)", len(s)-n)
}

// infoPairs reads an FT.INFO-style flat key/value array into a map.
func infoPairs(v any) (map[string]any, bool) {
	arr, ok := v.([]any)
	if !ok || len(arr)%2 != 0 {
		return nil, false
	}
	m := make(map[string]any, len(arr)/2)
	for i := 0; i < len(arr); i += 2 {
		k, ok := arr[i].(string)
		if !ok {
			return nil, false
		}
		m[k] = arr[i+1]
	}
	return m, true
}

// withoutPair drops the key/value pair named key from a flat array.
func withoutPair(v any, key string) any {
	arr, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]any, 0, len(arr))
	for i := 0; i < len(arr); i++ {
		if k, ok := arr[i].(string); ok && k == key && i%2 == 0 && i+1 < len(arr) {
			i++
			continue
		}
		out = append(out, arr[i])
	}
	return out
}

// compareInfo compares an FT.INFO reply on compareKeys only: numbers as
// numbers (2.10 sends some as integers, some as strings) and exactly,
// index_definition without 8.x's indexes_all pair.
//
// num_records too is exact, although the READMEs say to compare it loosely
// (its accounting changes between versions): no looseness is needed on the
// lines that compare it, and none is allowed that the data does not need.
// In the vectors corpus (other.jsonl:1, mutations.jsonl:1 and :48, before
// any deletion) it counts one record per (term, document) pair, stems
// included, one per TAG field, one per numeric value (a range tree that has
// not split) and one per vector: vidx's 2099 = 664 + 25 (the stem of
// "marble") + 297 + 284 + 829 (290 vf, 267 vh, 272 vd), vx's 292 = its
// vectors, which is how 8.x's indexer.c counts (tagIndexer numRecords++,
// numericIndexer rv.numRecords, vectorIndexer numRecords += numVec).
func compareInfo(want, got any, compareKeys []string) string {
	wm, ok := infoPairs(want)
	if !ok {
		return compareReply(want, got, compareRules{})
	}
	gm, ok := infoPairs(got)
	if !ok {
		return differs("", want, got)
	}
	var diffs []string
	for _, key := range compareKeys {
		w, g := wm[key], gm[key]
		if _, present := gm[key]; !present {
			diffs = append(diffs, fmt.Sprintf("%s: missing, want %s", key, truncate(formatValue(w), 200)))
			continue
		}
		if key == "index_definition" {
			w, g = withoutPair(w, "indexes_all"), withoutPair(g, "indexes_all")
		}
		wn, wok := asNumber(w)
		gn, gok := asNumber(g)
		if wok && gok {
			if wn == gn {
				continue
			}
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", key, formatValue(g), formatValue(w)))
			continue
		}
		if d := compareReply(w, g, compareRules{}); d != "" {
			diffs = append(diffs, key+": "+d)
		}
	}
	return strings.Join(diffs, "; ")
}

// classify names the kind of a mismatch, for the report's summary.
func classify(l *goldenLine, want, got any, transportErr error) string {
	if transportErr != nil {
		return "transport error / timeout"
	}
	we, wantErr := want.(errorReply)
	ge, gotErr := got.(errorReply)
	cmd := ""
	if len(l.Cmd) > 0 {
		cmd = strings.ToUpper(l.Cmd[0])
	}
	switch {
	case wantErr && gotErr:
		if strings.Contains(strings.ToLower(string(ge)), "unknown command") {
			return cmd + ": command not implemented"
		}
		return cmd + ": error text differs"
	case wantErr:
		return cmd + ": expected error, got reply"
	case gotErr:
		if strings.Contains(strings.ToLower(string(ge)), "unknown command") {
			return cmd + ": command not implemented"
		}
		return cmd + ": expected reply, got error"
	}
	_ = we
	switch cmd {
	case "FT.SEARCH":
		return cmd + ": " + classifySearch(l, want, got)
	case "FT.AGGREGATE":
		wa, wok := want.([]any)
		ga, gok := got.([]any)
		if wok && gok && len(wa) > 0 && len(ga) > 0 && wa[0] != ga[0] {
			return cmd + ": total count differs"
		}
		if wok && gok && len(wa) != len(ga) {
			return cmd + ": row count differs"
		}
		return cmd + ": row values differ"
	case "FT.INFO":
		return cmd + ": compared keys differ"
	}
	return cmd + ": reply differs"
}

// classifySearch tells apart the ways an FT.SEARCH reply can differ.
func classifySearch(l *goldenLine, want, got any) string {
	wa, wok := want.([]any)
	ga, gok := got.([]any)
	if !wok || !gok || len(wa) == 0 || len(ga) == 0 {
		return "reply shape differs"
	}
	if wa[0] != ga[0] {
		return "total count differs"
	}
	rules := rulesFor(l, nil)
	if rules.scores && scoresDiffer(wa, ga) {
		return "score differs"
	}
	wids, gids := searchIDs(wa), searchIDs(ga)
	if strings.Join(wids, "\x00") != strings.Join(gids, "\x00") {
		ws, gs := append([]string(nil), wids...), append([]string(nil), gids...)
		sort.Strings(ws)
		sort.Strings(gs)
		sorted := hasArg(l.Cmd[3:], "SORTBY")
		switch {
		case strings.Join(ws, "\x00") == strings.Join(gs, "\x00") && sorted:
			return "SORTBY: same documents, order differs"
		case strings.Join(ws, "\x00") == strings.Join(gs, "\x00"):
			return "ranked: same documents, order differs"
		case sorted:
			return "SORTBY: other documents on the page"
		}
		return "ranked: other documents on the page"
	}
	if len(wa) != len(ga) {
		return "reply length differs"
	}
	for i := 1; i < len(wa); i++ {
		if _, isArr := wa[i].([]any); isArr {
			if compareAt("", wa[i], ga[i], compareRules{}, 1) != "" {
				return classifyFields(l, wa[i], ga[i])
			}
			continue
		}
		if compareAt("", wa[i], ga[i], rulesFor(l, nil), 1) != "" {
			if _, err := strconv.ParseFloat(fmt.Sprint(wa[i]), 64); err == nil {
				return "score differs"
			}
			return "top-level element differs"
		}
	}
	return "other"
}

// classifyFields tells apart a document's fields in another order, text
// rewritten by SUMMARIZE/HIGHLIGHT, and other field differences.
func classifyFields(l *goldenLine, want, got any) string {
	wl, wok := want.([]any)
	gl, gok := got.([]any)
	if wok && gok && len(wl)%2 == 0 && len(gl)%2 == 0 {
		pairs := func(arr []any) []any {
			out := make([]any, 0, len(arr)/2)
			for i := 0; i+1 < len(arr); i += 2 {
				out = append(out, []any{arr[i], arr[i+1]})
			}
			return out
		}
		if compareMultiset("", pairs(wl), pairs(gl)) == "" {
			return "same fields, other field order"
		}
	}
	if hasArg(l.Cmd[3:], "SUMMARIZE") || hasArg(l.Cmd[3:], "HIGHLIGHT") {
		return "SUMMARIZE/HIGHLIGHT text differs"
	}
	return "field values differ"
}

// scoresDiffer says whether a document present in both WITHSCORES replies
// has different scores: the id is followed by its score.
func scoresDiffer(want, got []any) bool {
	scores := func(arr []any) map[string]string {
		m := map[string]string{}
		for i := 1; i+1 < len(arr); i++ {
			id, ok1 := arr[i].(string)
			score, ok2 := arr[i+1].(string)
			if !ok1 || !ok2 {
				continue
			}
			if _, err := strconv.ParseFloat(id, 64); err == nil {
				continue
			}
			if _, err := strconv.ParseFloat(score, 64); err == nil {
				m[id] = score
			}
		}
		return m
	}
	ws, gs := scores(want), scores(got)
	for id, w := range ws {
		if g, ok := gs[id]; ok && !floatsClose(w, g) {
			return true
		}
	}
	return false
}

// searchIDs picks the document ids of an FT.SEARCH reply: the top-level
// strings that are not numbers (scores).
func searchIDs(arr []any) []string {
	var ids []string
	for _, v := range arr[1:] {
		s, ok := v.(string)
		if !ok {
			continue
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			continue
		}
		ids = append(ids, s)
	}
	return ids
}

// mismatch is one line whose reply did not match, for the report.
type mismatch struct {
	line     *goldenLine
	category string
	digest   string
	diff     string
	want     any
	got      any
}

// writeGoldenReport writes every mismatch compactly, with a summary of the
// categories first.
func writeGoldenReport(path, corpus string, summaries []string, ms []mismatch) error {
	var b strings.Builder
	b.WriteString("# golden replay report (" + corpus + ")\n\n")
	for _, s := range summaries {
		b.WriteString(s + "\n")
	}
	counts := map[string]int{}
	for _, m := range ms {
		counts[m.category]++
	}
	cats := make([]string, 0, len(counts))
	for c := range counts {
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool {
		if counts[cats[i]] != counts[cats[j]] {
			return counts[cats[i]] > counts[cats[j]]
		}
		return cats[i] < cats[j]
	})
	fmt.Fprintf(&b, "\n## %d mismatches by category\n\n", len(ms))
	for _, c := range cats {
		fmt.Fprintf(&b, "%5d  %s\n", counts[c], c)
	}
	b.WriteString("\n## mismatches\n")
	for _, m := range ms {
		fmt.Fprintf(&b, "\n%s:%d %s [%s]\n  cmd:  %s\n  diff: %s\n  want: %s\n  got:  %s\n",
			m.line.File, m.line.Line, m.digest, m.category, truncate(formatCmd(m.line.Cmd), 400),
			m.diff, truncate(formatValue(m.want), 600), truncate(formatValue(m.got), 600))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func formatCmd(cmd []string) string {
	parts := make([]string, len(cmd))
	for i, a := range cmd {
		if a == "" || strings.ContainsAny(a, " \"\\\n") || !isText(a) {
			a = strconv.Quote(a)
		}
		parts[i] = a
	}
	return strings.Join(parts, " ")
}

// isText says whether s is valid UTF-8 without control characters other
// than tab, CR and LF (what the vectors corpus writes as a JSON string).
func isText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if c < ' ' && c != '\t' && c != '\r' && c != '\n' || c == 0x7f {
			return false
		}
	}
	return true
}

// isQueryCommand tells an FT.SEARCH or FT.AGGREGATE line.
func isQueryCommand(l *goldenLine) bool {
	if len(l.Cmd) == 0 {
		return false
	}
	cmd := strings.ToUpper(l.Cmd[0])
	return cmd == "FT.SEARCH" || cmd == "FT.AGGREGATE"
}

package module

import (
	"fmt"
	"math"
	"strings"

	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/text"
	"github.com/miniredis-search/miniredis-search/resp"
)

// searchRequest is a parsed FT.SEARCH (or FT.EXPLAIN) command.
type searchRequest struct {
	query string
	// opts are the options the engine reads the query with (VERBATIM,
	// LANGUAGE, EXPANDER, SLOP, INORDER, INFIELDS, FILTER, GEOFILTER,
	// INKEYS, the configured limits, FT.PROFILE's profile).
	opts index.QueryOptions

	noContent    bool
	noStopwords  bool
	withScores   bool
	withPayloads bool
	withSortKeys bool
	explainScore bool
	withCount    bool
	scorer       string
	payload      string

	returns     []returnField
	returnGiven bool

	summarize *summarizeOpts
	highlight *highlightOpts

	sortBy   string
	sortDesc bool
	sortOn   bool

	offset, num int64
	timeoutMs   int64 // -1: the configured TIMEOUT
	params      map[string]string
	dialect     int
	// matchedTerms: FT.AGGREGATE keeps each document's matched terms.
	matchedTerms bool
	// required are the yielded values a coordinator asked a shard to add
	// to each result (`_FT.SEARCH … _REQUIRED_FIELDS`).
	required []string
}

type returnField struct {
	path string
	as   string
}

type summarizeOpts struct {
	fields    []string
	frags     int
	fragLen   int
	separator string
}

type highlightOpts struct {
	fields      []string
	open, close string
}

// scorers the module knows.
var scorers = map[string]bool{
	"TFIDF": true, "TFIDF.DOCNORM": true, "BM25": true, "BM25STD": true,
	"DISMAX": true, "DOCSCORE": true, "HAMMING": true,
	"BM25STD.TANH": true, "BM25STD.NORM": true,
}

func badArgs(what, reason string) error {
	return fmt.Errorf("Bad arguments for %s: %s", what, reason)
}

const (
	acNoArg  = "Expected an argument, but none provided"
	acBadNum = "Could not convert argument to expected type"
)

// parseSearchArgs parses the arguments after the query. explain is
// FT.EXPLAIN, which takes the same ones.
func parseSearchArgs(q string, args [][]byte, cfg *Config, explain bool) (*searchRequest, error) {
	r := &searchRequest{
		query:     q,
		opts:      cfg.queryOptions(),
		scorer:    cfg.DefaultScorer(),
		num:       10,
		timeoutMs: -1,
		dialect:   cfg.DefaultDialect(),
	}
	c := &argCursor{args: args}
	for !c.done() {
		pos := c.i + 1 // the module counts positions from the query on
		a := c.peek()
		switch {
		case c.is("NOCONTENT"):
			r.noContent = true
		case c.is("VERBATIM"):
			r.opts.Verbatim = true
		case c.is("NOSTOPWORDS"):
			r.noStopwords = true
		case c.is("WITHSCORES"):
			r.withScores = true
		case c.is("WITHPAYLOADS"):
			r.withPayloads = true
		case c.is("WITHSORTKEYS"):
			r.withSortKeys = true
		case c.is("EXPLAINSCORE"):
			r.explainScore = true
		case c.is("WITHCOUNT"):
			r.withCount = true
		case c.is("INORDER"):
			r.opts.InOrder = true
		case c.is("SLOP"):
			if c.done() {
				return nil, badArgs("SLOP", acNoArg)
			}
			n, ok := resp.ParseInt(c.next())
			if !ok || n < math.MinInt32 || n > math.MaxInt32 {
				return nil, badArgs("SLOP", acBadNum)
			}
			r.opts.Slop = int(n)
		case c.is("LANGUAGE"):
			if c.done() {
				return nil, badArgs("LANGUAGE", acNoArg)
			}
			l, ok := text.ParseLanguage(c.nextStr())
			if !ok {
				return nil, errorString("No such language")
			}
			r.opts.Language, r.opts.LanguageGiven = l, true
		case c.is("SCORER"):
			if c.done() {
				return nil, badArgs("SCORER", acNoArg)
			}
			s := c.nextStr()
			if !scorers[s] {
				return nil, fmt.Errorf("No such scorer %s", s)
			}
			r.scorer = s
		case c.is("EXPANDER"):
			if c.done() {
				return nil, badArgs("EXPANDER", acNoArg)
			}
			r.opts.Expander = c.nextStr()
		case c.is("PAYLOAD"):
			if c.done() {
				return nil, badArgs("PAYLOAD", acNoArg)
			}
			r.payload = c.nextStr()
		case c.is("FILTER"):
			if c.left() < 3 {
				return nil, errorString("FILTER requires 3 arguments")
			}
			f := index.NumericFilter{Field: c.nextStr()}
			var ok bool
			lo, hi := c.next(), c.next()
			if f.Min, f.MinExclusive, ok = parseRangeBound(lo, math.Inf(-1)); !ok {
				return nil, fmt.Errorf("Bad lower range: %s", lo)
			}
			if f.Max, f.MaxExclusive, ok = parseRangeBound(hi, math.Inf(1)); !ok {
				return nil, fmt.Errorf("Bad upper range: %s", hi)
			}
			r.opts.NumericFilters = append(r.opts.NumericFilters, f)
		case c.is("GEOFILTER"):
			if c.left() < 5 {
				return nil, errorString("GEOFILTER requires 5 arguments")
			}
			g := index.GeoFilter{Field: c.nextStr()}
			var ok bool
			if g.Lon, ok = resp.ParseFloat(c.next()); !ok {
				return nil, badArgs("<lon>", acBadNum)
			}
			if g.Lat, ok = resp.ParseFloat(c.next()); !ok {
				return nil, badArgs("<lat>", acBadNum)
			}
			if g.Radius, ok = resp.ParseFloat(c.next()); !ok {
				return nil, badArgs("<radius>", acBadNum)
			}
			unit, known := index.GeoUnits[strings.ToLower(c.nextStr())]
			if !known {
				return nil, fmt.Errorf("Unknown distance unit %s", c.args[c.i-1])
			}
			if g.Lon < index.GeoLonMin || g.Lon > index.GeoLonMax || g.Lat < index.GeoLatMin || g.Lat > index.GeoLatMax {
				return nil, errorString("Invalid GeoFilter lat/lon")
			}
			if g.Radius <= 0 {
				return nil, errorString("Invalid GeoFilter radius")
			}
			g.Radius *= unit
			r.opts.GeoFilters = append(r.opts.GeoFilters, g)
		case c.is("INKEYS"):
			list, err := countedList(c, "INKEYS")
			if err != nil {
				return nil, err
			}
			r.opts.InKeys, r.opts.InKeysSet = list, true
		case c.is("INFIELDS"):
			list, err := countedList(c, "INFIELDS")
			if err != nil {
				return nil, err
			}
			r.opts.InFields, r.opts.InFieldsOn = list, true
		case c.is("RETURN"):
			list, err := countedList(c, "RETURN")
			if err != nil {
				return nil, err
			}
			r.returnGiven = true
			r.returns = r.returns[:0]
			for i := 0; i < len(list); i++ {
				rf := returnField{path: list[i], as: list[i]}
				if i+1 < len(list) && strings.EqualFold(list[i+1], "AS") {
					if i+2 >= len(list) {
						return nil, errorString("RETURN path AS name - must be accompanied with NAME")
					}
					rf.as = list[i+2]
					i += 2
				}
				r.returns = append(r.returns, rf)
			}
			if len(r.returns) == 0 {
				r.noContent = true
			}
		case c.is("SUMMARIZE"):
			s, err := parseSummarize(c)
			if err != nil {
				return nil, err
			}
			r.summarize = s
		case c.is("HIGHLIGHT"):
			h, err := parseHighlight(c)
			if err != nil {
				return nil, err
			}
			r.highlight = h
		case c.is("SORTBY"):
			if c.done() {
				return nil, errorString("Bad SORTBY arguments")
			}
			r.sortBy = strings.TrimPrefix(c.nextStr(), "@")
			r.sortOn = true
			if c.is("DESC") {
				r.sortDesc = true
			} else {
				c.is("ASC")
			}
		case c.is("LIMIT"):
			if c.left() < 2 {
				return nil, errorString("LIMIT requires two arguments")
			}
			off, ok1 := resp.ParseInt(c.next())
			num, ok2 := resp.ParseInt(c.next())
			if !ok1 || !ok2 || off < 0 || num < 0 {
				return nil, errorString("LIMIT needs two numeric arguments")
			}
			r.offset, r.num = off, num
		case c.is("TIMEOUT"):
			if c.done() {
				return nil, errorString("Need an argument for TIMEOUT")
			}
			n, ok := resp.ParseInt(c.next())
			if !ok || n < 0 {
				return nil, errorString("TIMEOUT requires a non negative integer")
			}
			r.timeoutMs = n
		case c.is("PARAMS"):
			list, err := countedList(c, "PARAMS")
			if err != nil {
				return nil, err
			}
			// As the module's parseParams (shared with FT.AGGREGATE).
			if r.params != nil {
				return nil, errorString("Multiple PARAMS are not allowed. Parameters can be defined only once")
			}
			if len(list) == 0 || len(list)%2 != 0 {
				return nil, errorString("Parameters must be specified in PARAM VALUE pairs")
			}
			r.params = make(map[string]string, len(list)/2)
			for i := 0; i < len(list); i += 2 {
				if _, dup := r.params[list[i]]; dup {
					return nil, fmt.Errorf("Duplicate parameter `%s`", list[i])
				}
				r.params[list[i]] = list[i+1]
			}
		case c.is("DIALECT"):
			if c.done() {
				return nil, errorString("Need an argument for DIALECT")
			}
			n, ok := resp.ParseInt(c.next())
			if !ok || n < 1 || n > 4 {
				return nil, errorString("DIALECT requires a non negative integer >=1 and <= 4")
			}
			r.dialect = int(n)
		default:
			return nil, fmt.Errorf("Unknown argument `%s` at position %d for <main>", a, pos)
		}
	}
	if r.explainScore && !r.withScores {
		return nil, errorString("EXPLAINSCORE must be accompanied with WITHSCORES")
	}
	if r.explainScore {
		// Better a clear error than a reply without the explanation.
		return nil, errorString("EXPLAINSCORE is not supported by this emulation")
	}
	if !explain {
		max := cfg.MaxSearchResults()
		if r.num > max {
			return nil, fmt.Errorf("LIMIT exceeds maximum of %d", max)
		}
	}
	if r.num == 0 && r.offset != 0 {
		return nil, errorString("The `offset` of the LIMIT must be 0 when `num` is 0")
	}
	return r, nil
}

// countedList reads `n item…`.
func countedList(c *argCursor, what string) ([]string, error) {
	if c.done() {
		return nil, badArgs(what, acNoArg)
	}
	n, ok := resp.ParseInt(c.next())
	if !ok || n < 0 {
		return nil, badArgs(what, acBadNum)
	}
	if int64(c.left()) < n {
		return nil, badArgs(what, acNoArg)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = c.nextStr()
	}
	return out, nil
}

// parseRangeBound parses a FILTER bound: a number, ±inf, "(" for exclusive.
func parseRangeBound(b []byte, inf float64) (float64, bool, bool) {
	ex := false
	if len(b) > 0 && b[0] == '(' {
		ex = true
		b = b[1:]
	}
	s := strings.ToLower(string(b))
	switch s {
	case "-inf":
		return math.Inf(-1), ex, true
	case "inf", "+inf":
		return math.Inf(1), ex, true
	}
	f, ok := index.ParseNumeric(string(b))
	return f, ex, ok
}

func parseSummarize(c *argCursor) (*summarizeOpts, error) {
	s := &summarizeOpts{frags: 3, fragLen: 20, separator: "... "}
	for !c.done() {
		switch {
		case c.is("FIELDS"):
			list, err := countedList(c, "SUMMARIZE")
			if err != nil {
				return nil, errorString("Bad arguments for SUMMARIZE")
			}
			s.fields = list
		case c.is("FRAGS"):
			if c.done() {
				return nil, errorString("Bad arguments for SUMMARIZE")
			}
			n, ok := resp.ParseInt(c.next())
			if !ok || n < 0 {
				return nil, errorString("Bad arguments for SUMMARIZE")
			}
			s.frags = int(n)
		case c.is("LEN"):
			if c.done() {
				return nil, errorString("Bad arguments for SUMMARIZE")
			}
			n, ok := resp.ParseInt(c.next())
			if !ok || n < 0 {
				return nil, errorString("Bad arguments for SUMMARIZE")
			}
			s.fragLen = int(n)
		case c.is("SEPARATOR"):
			if c.done() {
				return nil, errorString("Bad arguments for SUMMARIZE")
			}
			s.separator = c.nextStr()
		default:
			return s, nil
		}
	}
	return s, nil
}

func parseHighlight(c *argCursor) (*highlightOpts, error) {
	h := &highlightOpts{open: "<b>", close: "</b>"}
	for !c.done() {
		switch {
		case c.is("FIELDS"):
			list, err := countedList(c, "HIGHLIGHT")
			if err != nil {
				return nil, errorString("Bad arguments for HIGHLIGHT")
			}
			h.fields = list
		case c.is("TAGS"):
			if c.left() < 2 {
				return nil, errorString("Bad arguments for HIGHLIGHT")
			}
			h.open, h.close = c.nextStr(), c.nextStr()
		default:
			return h, nil
		}
	}
	return h, nil
}

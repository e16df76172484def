package benchaggregate

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/miniredis-search/miniredis-search/internal/benchsearch"
)

// The corpus's attributes the pipelines use: a TAG (50 values) and a
// NUMERIC SORTABLE (uniform in [0, MaxPrice]).
const (
	tagField = "tag"
	numField = "price"
)

// groupLimit is how many groups a SORTBY without MAX or LIMIT returns (the
// module's DEFAULT_LIMIT).
const groupLimit = 10

// Query is one benchmarked FT.AGGREGATE.
type Query struct {
	Name     string
	Query    string // the query string
	Pipeline []any  // the arguments after it
	// check verifies the reply's rows against the documents the query
	// matches (matchedDocs: computed from the corpus, not by the server).
	check func(matched []benchsearch.Doc, rows []row) error
}

// row is a reply row: property name to value.
type row map[string]string

// Command is the query as sent.
func (q Query) Command() []any {
	return append([]any{"FT.AGGREGATE", benchsearch.IndexName, q.Query}, q.Pipeline...)
}

// String is the command as typed in redis-cli.
func (q Query) String() string {
	var b strings.Builder
	for i, a := range q.Command() {
		if i > 0 {
			b.WriteByte(' ')
		}
		s := fmt.Sprint(a)
		if s == "" || strings.ContainsAny(s, " \"'*") {
			s = strconv.Quote(s)
		}
		b.WriteString(s)
	}
	return b.String()
}

// BuildQueries returns the benchmark's queries for c: GROUPBY the TAG with
// COUNT, SUM and AVG of the NUMERIC, sorted by the count, over every
// document and over bench-search's single-term query; an APPLY/FILTER
// pipeline over every document, sorted and limited, and the same without
// SORTBY, whose rows stream out until LIMIT.
func BuildQueries(c *benchsearch.Corpus) ([]Query, error) {
	term := ""
	for _, q := range benchsearch.BuildQueries(c) {
		if q.Name == "term" {
			term = q.Redis
		}
	}
	if term == "" {
		return nil, fmt.Errorf("bench-search has no \"term\" query")
	}
	groupBy := []any{"GROUPBY", 1, "@" + tagField,
		"REDUCE", "COUNT", 0, "AS", "n",
		"REDUCE", "SUM", 1, "@" + numField, "AS", "s",
		"REDUCE", "AVG", 1, "@" + numField, "AS", "a",
		"SORTBY", 2, "@n", "DESC"}
	// d = 2 × price > 1.5 × MaxPrice: the top quarter of the prices.
	threshold := 3 * c.Config.MaxPrice / 2
	applyFilter := []any{"LOAD", 1, "@" + numField,
		"APPLY", "@" + numField + " * 2", "AS", "d",
		"FILTER", fmt.Sprintf("@d > %d", threshold)}
	const sortedRows, streamedRows = 100, 1000
	return []Query{
		{Name: "groupby-all", Query: "*", Pipeline: groupBy, check: checkGroups},
		{Name: "groupby-term", Query: term, Pipeline: groupBy, check: checkGroups},
		{Name: "filter-sortby", Query: "*",
			Pipeline: append(append([]any{}, applyFilter...), "SORTBY", 2, "@d", "DESC", "LIMIT", 0, sortedRows),
			check:    checkFiltered(threshold, sortedRows, true)},
		{Name: "filter-stream", Query: "*",
			Pipeline: append(append([]any{}, applyFilter...), "LIMIT", 0, streamedRows),
			check:    checkFiltered(threshold, streamedRows, false)},
	}, nil
}

// checkGroups checks the groupBy pipeline: every returned group's count,
// sum and average, the order by count, and that no group left out has a
// larger count than one returned.
func checkGroups(matched []benchsearch.Doc, rows []row) error {
	type agg struct{ n, sum float64 }
	want := map[string]*agg{}
	for _, d := range matched {
		g := want[d.Tag]
		if g == nil {
			g = &agg{}
			want[d.Tag] = g
		}
		g.n++
		g.sum += float64(d.Price)
	}
	if n := min(groupLimit, len(want)); len(rows) != n {
		return fmt.Errorf("%d groups returned, want %d", len(rows), n)
	}
	prev, returned := math.Inf(1), map[string]bool{}
	for i, r := range rows {
		g := want[r[tagField]]
		if g == nil {
			return fmt.Errorf("row %d: group %q is no tag of the matched documents", i, r[tagField])
		}
		returned[r[tagField]] = true
		v, err := nums(r, "n", "s", "a")
		if err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
		n, s, a := v[0], v[1], v[2]
		if n != g.n || !near(s, g.sum) || !near(a, g.sum/g.n) {
			return fmt.Errorf("group %s: n=%v s=%v a=%v, want n=%v s=%v a=%v", r[tagField], n, s, a, g.n, g.sum, g.sum/g.n)
		}
		if n > prev {
			return fmt.Errorf("row %d: count %v after %v, not SORTBY @n DESC", i, n, prev)
		}
		prev = n
	}
	for tag, g := range want {
		if !returned[tag] && g.n > prev {
			return fmt.Errorf("group %s (n=%v) left out, but one with n=%v returned", tag, g.n, prev)
		}
	}
	return nil
}

// checkFiltered checks the APPLY/FILTER pipeline: d = 2 × price on every
// row, above threshold; sorted, the largest d values in descending order;
// else as many rows as limit allows, each a matched document's price.
func checkFiltered(threshold, limit int, sorted bool) func([]benchsearch.Doc, []row) error {
	return func(matched []benchsearch.Doc, rows []row) error {
		var pass []float64
		for _, d := range matched {
			if 2*d.Price > threshold {
				pass = append(pass, float64(d.Price))
			}
		}
		if n := min(limit, len(pass)); len(rows) != n {
			return fmt.Errorf("%d rows returned, want %d", len(rows), n)
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(pass)))
		left := map[float64]int{}
		for _, p := range pass {
			left[p]++
		}
		for i, r := range rows {
			v, err := nums(r, numField, "d")
			if err != nil {
				return fmt.Errorf("row %d: %w", i, err)
			}
			price, d := v[0], v[1]
			switch {
			case d != 2*price || d <= float64(threshold):
				return fmt.Errorf("row %d: price=%v d=%v", i, price, d)
			case sorted && price != pass[i]:
				return fmt.Errorf("row %d: price %v, want %v (SORTBY @d DESC)", i, price, pass[i])
			case left[price] == 0:
				return fmt.Errorf("row %d: price %v returned more often than matched", i, price)
			}
			left[price]--
		}
		return nil
	}
}

// nums parses the row's values of names.
func nums(r row, names ...string) ([]float64, error) {
	out := make([]float64, len(names))
	for i, name := range names {
		v, ok := r[name]
		if !ok {
			return nil, fmt.Errorf("no %s in %v", name, r)
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[i] = f
	}
	return out, nil
}

// near compares a reply's number with the expected one: the module prints
// doubles with 17 significant digits at most.
func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

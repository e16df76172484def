package query

import (
	"math"
	"strconv"
	"strings"
)

// Explain renders a parsed query exactly as FT.EXPLAIN does (RediSearch
// 2.10 QueryNode_DumpSds, after query expansion): two-space indentation,
// field masks as `@title|body:` on every text node under a modifier, and
// each expandable term as a UNION of itself and its expansions.
func Explain(n Node, opts ExplainOptions) string {
	var sb strings.Builder
	e := explainer{opts: opts, sb: &sb}
	e.node(n, 0, true)
	return sb.String()
}

type explainer struct {
	opts ExplainOptions
	sb   *strings.Builder
}

func (e *explainer) pad(depth int) {
	for i := 0; i < depth; i++ {
		e.sb.WriteString("  ")
	}
}

// mask writes the `@f1|f2:` prefix of a node with that field mask.
func (e *explainer) mask(m FieldMask) {
	if m == 0 {
		e.sb.WriteString("@NULL:")
		return
	}
	if m == AllFields {
		return
	}
	e.sb.WriteString("@")
	n := 0
	for bit := 0; bit < 64; bit++ {
		if m&(FieldMask(1)<<uint(bit)) == 0 {
			continue
		}
		name := "n/a"
		if e.opts.Schema != nil {
			if s := e.opts.Schema.TextFieldName(bit); s != "" {
				name = s
			}
		}
		if n > 0 {
			e.sb.WriteString("|")
		}
		e.sb.WriteString(name)
		n++
	}
	e.sb.WriteString(":")
}

// attrs writes the ` => { $weight: …; }` suffix of a non-token node.
func (e *explainer) attrs(a *Attrs) {
	if a.Weight != 1 || a.Slop != -1 || a.InOrder {
		e.sb.WriteString(" => {")
		if a.Weight != 1 {
			e.sb.WriteString(" $weight: " + formatG(a.Weight) + ";")
		}
		if a.Slop != -1 {
			e.sb.WriteString(" $slop: " + strconv.Itoa(a.Slop) + ";")
		}
		if a.InOrder || a.Slop != -1 {
			e.sb.WriteString(" $inorder: " + strconv.FormatBool(a.InOrder) + ";")
		}
		e.sb.WriteString(" }")
	}
}

// closeBlock ends a `{`-block node: padding, `}`, attributes, newline.
func (e *explainer) closeBlock(depth int, a *Attrs) {
	e.pad(depth)
	e.sb.WriteString("}")
	e.attrs(a)
	e.sb.WriteString("\n")
}

func (e *explainer) closeInline(a *Attrs) {
	e.sb.WriteString("}")
	e.attrs(a)
	e.sb.WriteString("\n")
}

func (e *explainer) token(depth int, m FieldMask, text string, expanded bool, weight float64) {
	e.pad(depth)
	e.mask(m)
	if text == "" {
		text = `""` // QueryNode_DumpSds prints an empty token so
	}
	e.sb.WriteString(text)
	if expanded {
		e.sb.WriteString("(expanded)")
	}
	if weight != 1 {
		e.sb.WriteString(" => {$weight: " + formatG(weight) + ";}")
	}
	e.sb.WriteString("\n")
}

// node writes n at depth; expand is false inside exact phrases and tags,
// where the module does not expand terms.
func (e *explainer) node(n Node, depth int, expand bool) {
	switch x := n.(type) {
	case nil:
		e.pad(depth)
		e.sb.WriteString("<empty>\n")
	case *Intersect:
		e.pad(depth)
		e.mask(x.Fields)
		if x.Exact {
			e.sb.WriteString("EXACT {\n")
		} else {
			e.sb.WriteString("INTERSECT {\n")
		}
		for _, c := range x.Children {
			e.node(c, depth+1, expand && !x.Exact)
		}
		e.closeBlock(depth, &x.Attr)
	case *Union:
		e.pad(depth)
		e.mask(x.Fields)
		e.sb.WriteString("UNION {\n")
		for _, c := range x.Children {
			e.node(c, depth+1, expand)
		}
		e.closeBlock(depth, &x.Attr)
	case *Not:
		e.pad(depth)
		e.mask(x.Fields)
		e.sb.WriteString("NOT{\n")
		e.node(x.Child, depth+1, expand)
		e.closeBlock(depth, &x.Attr)
	case *Optional:
		e.pad(depth)
		e.mask(x.Fields)
		e.sb.WriteString("OPTIONAL{\n")
		e.node(x.Child, depth+1, expand)
		e.closeBlock(depth, &x.Attr)
	case *Term:
		var expansions []string
		switch {
		case !expand || x.Verbatim:
		case e.opts.ExpandTerm != nil:
			expansions = e.opts.ExpandTerm(x)
		case e.opts.Expand != nil:
			expansions = e.opts.Expand(x.Text, x.Fields)
		}
		if len(expansions) == 0 {
			e.token(depth, x.Fields, x.Text, false, x.Attr.Weight)
			return
		}
		e.pad(depth)
		e.mask(x.Fields)
		e.sb.WriteString("UNION {\n")
		e.token(depth+1, x.Fields, x.Text, false, 1)
		for _, s := range expansions {
			e.token(depth+1, x.Fields, s, true, 1)
		}
		e.closeBlock(depth, &x.Attr)
	case *Affix:
		e.pad(depth)
		e.mask(x.Fields)
		switch x.Kind {
		case Prefix:
			e.sb.WriteString("PREFIX{" + x.Text + "*")
		case Suffix:
			e.sb.WriteString("SUFFIX{*" + x.Text)
		default:
			e.sb.WriteString("INFIX{*" + x.Text + "*")
		}
		e.closeInline(&x.Attr)
	case *Fuzzy:
		e.pad(depth)
		e.mask(x.Fields)
		e.sb.WriteString("FUZZY{" + x.Text + "}\n")
	case *Wildcard:
		e.pad(depth)
		// 2.10 prints "<empty>" with no closing brace (golden), and the
		// same code prints the wildcard alike.
		e.sb.WriteString("<WILDCARD>")
		e.attrs(&x.Attr)
		e.sb.WriteString("\n")
	case *Empty:
		e.pad(depth)
		e.sb.WriteString("<empty>\n")
	case *Missing:
		e.pad(depth)
		e.sb.WriteString("ISMISSING{" + x.Field)
		e.closeInline(&x.Attr)
	case *Numeric:
		e.pad(depth)
		e.sb.WriteString("NUMERIC {" + formatF(x.Min) + " " + lessOp(x.MinExclusive) + " @" + x.Field + " " +
			lessOp(x.MaxExclusive) + " " + formatF(x.Max))
		e.closeInline(&x.Attr)
	case *Geo:
		e.pad(depth)
		e.sb.WriteString("GEO " + x.Field + ":{" + formatF(x.Lon) + "," + formatF(x.Lat) + " --> " +
			formatF(x.Radius) + " " + x.Unit)
		e.closeInline(&x.Attr)
	case *GeoShape:
		// QueryNode_DumpSds: the predicate's number and the WKT as given.
		e.pad(depth)
		e.sb.WriteString("GEOSHAPE{" + strconv.Itoa(x.Predicate) + " " + x.WKT)
		e.closeInline(&x.Attr)
	case *Tag:
		e.pad(depth)
		e.sb.WriteString("TAG:@" + x.Field + " {\n")
		fold := true
		if e.opts.Schema != nil {
			if fi, ok := e.opts.Schema.Field(x.Field); ok && fi.CaseSensitive {
				fold = false
			}
		}
		for _, v := range x.Values {
			e.tagValue(v, depth+1, fold)
		}
		e.closeBlock(depth, &x.Attr)
	case *VectorKNN:
		e.pad(depth)
		e.sb.WriteString("VECTOR {")
		if x.Hybrid() {
			e.sb.WriteString("\n")
			e.node(x.Filter, depth+1, expand)
			e.pad(depth)
			e.sb.WriteString("} => {")
		}
		e.sb.WriteString("K=" + strconv.Itoa(x.K) + " nearest vectors to `$" + x.BlobParam + "` ")
		e.vectorTail(x.Field, x.Params, x.ScoreField())
		e.attrs(&x.Attr)
		e.sb.WriteString("\n")
	case *VectorRange:
		e.pad(depth)
		e.sb.WriteString("VECTOR {Vectors that are within " + formatG(x.Radius) + " distance radius from `$" + x.BlobParam + "` ")
		e.vectorTail(x.Field, x.Params, x.ScoreAlias)
		e.attrs(&x.Attr)
		e.sb.WriteString("\n")
	default:
		e.pad(depth)
		e.sb.WriteString("<unknown>\n")
	}
}

// vectorTail ends a VECTOR node as QueryNode_DumpSds does: the field, each
// query-time parameter as written, the distance field when there is one.
func (e *explainer) vectorTail(field string, params []VectorParam, score string) {
	e.sb.WriteString("in vector index associated with field @" + field)
	for _, p := range params {
		e.sb.WriteString(", " + p.Name + " = " + p.Value)
	}
	if score != "" {
		e.sb.WriteString(", yields distance as `" + score + "`")
	}
	e.sb.WriteString("}")
}

func (e *explainer) tagValue(v TagValue, depth int, fold bool) {
	text := v.Text
	if fold {
		text = Fold(text)
	}
	if text == "" {
		text = `""`
	}
	e.pad(depth)
	switch {
	case len(v.Words) > 0:
		e.sb.WriteString("INTERSECT {\n")
		for _, w := range v.Words {
			if w == "" {
				w = `""`
			}
			e.pad(depth + 1)
			e.sb.WriteString(w + "\n")
		}
		e.pad(depth)
		e.sb.WriteString("}\n")
	case v.Kind == TagPrefix:
		e.sb.WriteString("PREFIX{" + text + "*}\n")
	case v.Kind == TagSuffix:
		e.sb.WriteString("SUFFIX{*" + text + "}\n")
	case v.Kind == TagInfix:
		e.sb.WriteString("INFIX{*" + text + "*}\n")
	default:
		e.sb.WriteString(text + "\n")
	}
}

func lessOp(exclusive bool) string {
	if exclusive {
		return "<"
	}
	return "<="
}

// formatF is C's %f, including its inf spelling.
func formatF(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return strconv.FormatFloat(f, 'f', 6, 64)
}

// formatG is C's %g.
func formatG(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

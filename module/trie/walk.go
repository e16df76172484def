package trie

// Walker runs a filter over strings given in rune order, the way the trie
// iterator runs it down the paths of a lex-sorted trie holding them: each
// rune of a path is fed once, and a string that shares a prefix with the
// previous one resumes from the filter's state at the end of that prefix.
// It lets a sorted dictionary that is not a trie (the index's terms) be
// matched as the module matches its term trie.
type Walker struct {
	f       *Filter
	path    []Rune // the runes the filter holds states for
	matched []bool // whether the filter matched after each of them
}

// NewWalker is a walker over a filter for the query runes q; nil when q is
// longer than MaxPrefix runes (the module's iterator is then NULL and
// matches nothing).
func NewWalker(q []Rune, maxDist int, prefix bool, transform func(Rune) Rune) *Walker {
	if len(q) > MaxPrefix {
		return nil
	}
	return &Walker{f: NewFilter(q, maxDist, prefix, transform)}
}

// Match tells whether the iterator would yield s, were it a string of the
// trie. When the filter gave up on a rune of s, dead is the number of runes
// up to that one: no string beginning with s[:dead] can match, and the
// caller may skip them. Strings must come in ascending rune order.
func (w *Walker) Match(s []Rune) (matched bool, dead int) {
	c := 0
	for c < len(w.path) && c < len(s) && w.path[c] == s[c] {
		c++
	}
	if n := len(w.path) - c; n > 0 {
		w.f.pop(n)
		w.path = w.path[:c]
		w.matched = w.matched[:c]
	}
	for i := c; i < len(s); i++ {
		cont, m := w.f.step(s[i], nil)
		if !cont {
			return false, i + 1
		}
		w.path = append(w.path, s[i])
		w.matched = append(w.matched, m)
	}
	if len(s) == 0 {
		return false, 0
	}
	return w.matched[len(s)-1], 0
}

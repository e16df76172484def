package expr

// Describe names the expression's root as FT.PROFILE shows an APPLY or
// FILTER step (after "Projector - " or "Filter - "): "Function name",
// "Property name", "Literal value", "Operator +", "Predicate ==" (the
// comparisons and && ||) or "Inverted" (!).
func (e *Expr) Describe() string {
	n := &e.root
	switch n.kind {
	case nodeLiteral:
		return "Literal " + Format(n.value)
	case nodeProperty:
		return "Property " + n.name
	case nodeParam:
		// The module substitutes parameters before it evaluates: a literal.
		return "Literal $" + n.name
	case nodeArith:
		return "Operator " + opText[n.op]
	case nodeCompare, nodeLogical:
		return "Predicate " + opText[n.op]
	case nodeNot:
		return "Inverted"
	case nodeCall:
		return "Function " + n.name
	}
	return "Literal "
}

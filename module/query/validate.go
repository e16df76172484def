package query

// validate is what 8.2 checks on a parsed tree once its parameters are
// resolved (QAST_CheckIsValid): a numeric range whose min is above its max
// fails the query. 2.10 has no such check, so Compat210 skips it; DIALECT 1
// is left alone as well. Equal bounds are fine even when both are exclusive
// (`[(5 (5]` matches nothing but is no error).
func validate(n Node, opts Options) *Error {
	if opts.Dialect < 2 || opts.Compat210 {
		return nil
	}
	return firstInvalidRange(n)
}

// firstInvalidRange walks the tree depth first, children in order, as the
// real check does, and reports the first inverted range.
func firstInvalidRange(n Node) *Error {
	switch x := n.(type) {
	case *Numeric:
		if x.Min > x.Max {
			return newError("Invalid numeric range (min > max): @%s:[%s %s]", x.Field, formatF(x.Min), formatF(x.Max))
		}
	case *Intersect:
		return firstInvalidRangeOf(x.Children)
	case *Union:
		return firstInvalidRangeOf(x.Children)
	case *Not:
		return firstInvalidRange(x.Child)
	case *Optional:
		return firstInvalidRange(x.Child)
	case *VectorKNN:
		if x.Filter != nil {
			return firstInvalidRange(x.Filter)
		}
	}
	return nil
}

func firstInvalidRangeOf(children []Node) *Error {
	for _, c := range children {
		if err := firstInvalidRange(c); err != nil {
			return err
		}
	}
	return nil
}

package module

import "github.com/miniredis-search/miniredis-search/module/index"

// parseGeoShapeField reads what follows GEOSHAPE as the module's
// parseGeometryField and parseFieldSpec read it: a coordinate system (FLAT
// or SPHERICAL, the default), INDEXMISSING right after it, then SORTABLE
// [UNF] and NOINDEX in any order; any other word is the next field's name.
// NOINDEX with INDEXMISSING is refused, as for every field but a vector.
func parseGeoShapeField(f *index.Field, c *argCursor) error {
	switch {
	case c.is("FLAT"):
		f.Coords = index.Flat
	case c.is("SPHERICAL"):
		f.Coords = index.Spherical
	}
	f.IndexMissing = c.is("INDEXMISSING")
	for !c.done() {
		switch {
		case c.is("SORTABLE"):
			f.Sortable = true
			if c.is("UNF") {
				f.UNF = true
			}
		case c.is("NOINDEX"):
			f.NoIndex = true
		default:
			return checkNoIndexMissing(f)
		}
	}
	return checkNoIndexMissing(f)
}

package query

import "strings"

// The geometry clause of DIALECT ≥ 2, `@field:[PREDICATE $param]`
// (parser.y's geometry_query): the predicate is a word, the shape a
// parameter whose value is WKT, read case-sensitively.

// geoShapePredicates numbers the predicates as the module does
// (geometry_types.h's QueryType).
var geoShapePredicates = map[string]int{"CONTAINS": 1, "WITHIN": 2, "DISJOINT": 3, "INTERSECTS": 4}

// geometryQuery reduces `[ TERM ATTRIBUTE ]`: a word that names no
// predicate is the module's syntax error, at the parameter.
func (ps *parseState) geometryQuery(pred, param token) (*GeoShape, error) {
	n, ok := geoShapePredicates[strings.ToUpper(pred.text)]
	if !ok {
		return nil, newError("Syntax error: Expecting a geoshape predicate at offset %d", param.pos)
	}
	return &GeoShape{Base: Base{DefaultAttrs()}, Predicate: n, WKT: ps.param(param.text)}, nil
}

// geoShapeNode applies the modifier: the field must be a GEOSHAPE field
// (8.2's REPORT_WRONG_FIELD_TYPE).
func (ps *parseState) geoShapeNode(mod token, g *GeoShape) (Node, error) {
	if ps.opts.Schema != nil {
		if fi, ok := ps.opts.Schema.Field(mod.text); ok && fi.Type != GeoShapeField {
			if mod.notTerm {
				return nil, newError("Expected a GEOSHAPE field at offset %d", mod.pos)
			}
			return nil, newError("Expected a GEOSHAPE field at offset %d near %s", mod.pos, mod.text)
		}
	}
	g.Field = mod.text
	return g, nil
}

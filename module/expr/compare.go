package expr

import (
	"encoding/binary"
	"math"
)

// Compare is RSValue_Cmp, as SORTBY and FIRST_VALUE … BY use it: values of
// one type compare by content, null sorts first, a number against a string
// converts the string (an error when it does not convert).
func Compare(a, b Value) (int, error) {
	c, err := compareValues(a, b)
	if err != nil {
		return c, err
	}
	return c, nil
}

// Equal is RSValue_Equal.
func Equal(a, b Value) bool { return equalValues(a, b) }

// AppendHashKey appends a byte string that identifies v by type and content,
// as RSValue_Hash and RSValue_Equal group values: the number 1 and the
// string "1" are different groups.
func AppendHashKey(dst []byte, v Value) []byte {
	switch v.kind {
	case KindNumber:
		// The module hashes a number's eight bytes (RSValue_Hash:
		// fnv_64a_buf(&numval, sizeof(double))), so -0 and 0 are two
		// groups (both print "0").
		dst = append(dst, 'n')
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v.num))
	case KindString:
		dst = append(dst, 's')
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(v.str)))
		dst = append(dst, v.str...)
	case KindArray:
		dst = append(dst, 'a')
		dst = binary.LittleEndian.AppendUint32(dst, uint32(len(v.arr)))
		for _, e := range v.arr {
			dst = AppendHashKey(dst, e)
		}
	default:
		dst = append(dst, '0')
	}
	return dst
}

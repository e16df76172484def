package server

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// openBit is LuaBitOp's bit library as Redis bundles it: 32-bit operations
// on numbers (tobit, tohex, bnot, band, bor, bxor, lshift, rshift, arshift,
// rol, ror, bswap).
func openBit(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	arg := func(L *lua.LState, i int) int32 {
		n := float64(L.CheckNumber(i))
		// LuaBitOp normalizes through a double add: the low 32 bits of the
		// number rounded to an integer.
		n = math.Mod(math.RoundToEven(n), 4294967296)
		return int32(uint32(int64(n)))
	}
	ret := func(L *lua.LState, v int32) int {
		L.Push(lua.LNumber(v))
		return 1
	}
	fold := func(op func(a, b int32) int32) lua.LGFunction {
		return func(L *lua.LState) int {
			v := arg(L, 1)
			for i := 2; i <= L.GetTop(); i++ {
				v = op(v, arg(L, i))
			}
			return ret(L, v)
		}
	}
	L.SetFuncs(t, map[string]lua.LGFunction{
		"tobit": func(L *lua.LState) int { return ret(L, arg(L, 1)) },
		"bnot":  func(L *lua.LState) int { return ret(L, ^arg(L, 1)) },
		"band":  fold(func(a, b int32) int32 { return a & b }),
		"bor":   fold(func(a, b int32) int32 { return a | b }),
		"bxor":  fold(func(a, b int32) int32 { return a ^ b }),
		"lshift": func(L *lua.LState) int {
			return ret(L, int32(uint32(arg(L, 1))<<(uint32(arg(L, 2))&31)))
		},
		"rshift": func(L *lua.LState) int {
			return ret(L, int32(uint32(arg(L, 1))>>(uint32(arg(L, 2))&31)))
		},
		"arshift": func(L *lua.LState) int {
			return ret(L, arg(L, 1)>>(uint32(arg(L, 2))&31))
		},
		"rol": func(L *lua.LState) int {
			x, n := uint32(arg(L, 1)), uint32(arg(L, 2))&31
			return ret(L, int32(x<<n|x>>((32-n)&31)))
		},
		"ror": func(L *lua.LState) int {
			x, n := uint32(arg(L, 1)), uint32(arg(L, 2))&31
			return ret(L, int32(x>>n|x<<((32-n)&31)))
		},
		"bswap": func(L *lua.LState) int {
			x := uint32(arg(L, 1))
			return ret(L, int32(x>>24|(x>>8)&0xff00|(x<<8)&0xff0000|x<<24))
		},
		"tohex": func(L *lua.LState) int {
			x := arg(L, 1)
			n := int32(8)
			if L.GetTop() >= 2 {
				n = arg(L, 2)
			}
			digits := "0123456789abcdef"
			if n < 0 {
				n = -n
				digits = "0123456789ABCDEF"
			}
			if n > 8 {
				n = 8
			}
			b := make([]byte, n)
			u := uint32(x)
			for i := int(n) - 1; i >= 0; i-- {
				b[i] = digits[u&15]
				u >>= 4
			}
			L.Push(lua.LString(b))
			return 1
		},
	})
	return t
}

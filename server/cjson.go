package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// openCjson is lua-cjson's encode and decode as Redis bundles them (with
// its defaults: "/" escaped, sparse arrays of more than 10 slots and twice
// as many slots as values refused, NaN and Inf refused, 1000 levels).
// Differences: an object's keys come in gopher-lua's table order (Lua's
// own order is its hash table's), and a decode error names the character
// Go's JSON reader stopped at, in lua-cjson's words only for the common
// cases.
func (s *Server) openCjson(L *lua.LState) *lua.LTable {
	null := L.NewUserData()
	t := L.NewTable()
	t.RawSetString("null", null)
	t.RawSetString("encode", L.NewFunction(func(L *lua.LState) int {
		if L.GetTop() != 1 {
			L.RaiseError("bad argument #1 to '%s' (expected 1 argument)", "encode")
		}
		var b bytes.Buffer
		if err := cjsonEncode(&b, L.Get(1), null, 0); err != nil {
			L.RaiseError("%s", err.Error())
		}
		L.Push(lua.LString(b.String()))
		return 1
	}))
	t.RawSetString("decode", L.NewFunction(func(L *lua.LState) int {
		if L.GetTop() != 1 {
			L.RaiseError("bad argument #1 to '%s' (expected 1 argument)", "decode")
		}
		src := []byte(L.CheckString(1))
		d := json.NewDecoder(bytes.NewReader(src))
		var v any
		if err := d.Decode(&v); err != nil {
			L.RaiseError("%s", cjsonDecodeError(err, src))
		}
		if off := d.InputOffset(); len(bytes.TrimSpace(src[off:])) > 0 {
			L.RaiseError("Expected the end but found invalid token at character %d", off+int64(len(src[off:])-len(bytes.TrimLeft(src[off:], " \t\r\n")))+1)
		}
		L.Push(cjsonToLua(L, v, null))
		return 1
	}))
	return t
}

func cjsonDecodeError(err error, src []byte) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("Expected value but found invalid token at character %d", se.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Sprintf("Expected value but found T_END at character %d", len(src)+1)
	}
	return err.Error()
}

func cjsonToLua(L *lua.LState, v any, null lua.LValue) lua.LValue {
	switch v := v.(type) {
	case nil:
		return null
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case []any:
		t := L.CreateTable(len(v), 0)
		for i, e := range v {
			t.RawSetInt(i+1, cjsonToLua(L, e, null))
		}
		return t
	case map[string]any:
		t := L.CreateTable(0, len(v))
		for k, e := range v {
			t.RawSetString(k, cjsonToLua(L, e, null))
		}
		return t
	}
	return lua.LNil
}

func cjsonEncode(b *bytes.Buffer, v lua.LValue, null lua.LValue, depth int) error {
	switch v := v.(type) {
	case *lua.LNilType:
		b.WriteString("null")
	case lua.LBool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case lua.LNumber:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return errors.New("Cannot serialise number: must not be NaN or Inf")
		}
		b.WriteString(luaNumberString(f))
	case lua.LString:
		cjsonString(b, string(v))
	case *lua.LUserData:
		if v != null {
			return errors.New("Cannot serialise userdata: type not supported")
		}
		b.WriteString("null")
	case *lua.LTable:
		depth++
		if depth > 1000 {
			return fmt.Errorf("Cannot serialise, excessive nesting (%d)", depth)
		}
		// An array when every key is a positive integer.
		maxIdx, count, isArray := 0, 0, true
		var keyErr error
		v.ForEach(func(k, _ lua.LValue) {
			count++
			n, ok := k.(lua.LNumber)
			if ok && float64(n) >= 1 && float64(n) == math.Floor(float64(n)) {
				maxIdx = max(maxIdx, int(n))
				return
			}
			isArray = false
			switch k.(type) {
			case lua.LNumber, lua.LString:
			default:
				if keyErr == nil {
					keyErr = fmt.Errorf("Cannot serialise %s: table key must be a number or string", k.Type().String())
				}
			}
		})
		if count > 0 && isArray {
			if maxIdx > 10 && maxIdx > 2*count {
				return errors.New("Cannot serialise table: excessively sparse array")
			}
			b.WriteByte('[')
			for i := 1; i <= maxIdx; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				if err := cjsonEncode(b, v.RawGetInt(i), null, depth); err != nil {
					return err
				}
			}
			b.WriteByte(']')
			return nil
		}
		if keyErr != nil {
			return keyErr
		}
		type kv struct {
			k string
			v lua.LValue
		}
		var pairs []kv
		v.ForEach(func(k, val lua.LValue) {
			if n, ok := k.(lua.LNumber); ok {
				pairs = append(pairs, kv{luaNumberString(float64(n)), val})
			} else {
				pairs = append(pairs, kv{string(k.(lua.LString)), val})
			}
		})
		b.WriteByte('{')
		for i, p := range pairs {
			if i > 0 {
				b.WriteByte(',')
			}
			cjsonString(b, p.k)
			b.WriteByte(':')
			if err := cjsonEncode(b, p.v, null, depth); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("Cannot serialise %s: type not supported", v.Type().String())
	}
	return nil
}

// cjsonString writes s as lua-cjson does: '"', '\\' and '/' escaped,
// control characters as \b \f \n \r \t or \u00XX, other bytes as they are.
func cjsonString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				b.WriteString(`\u00`)
				h := strconv.FormatInt(int64(c), 16)
				if len(h) < 2 {
					b.WriteByte('0')
				}
				b.WriteString(h)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

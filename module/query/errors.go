package query

// Error is a query parse error; Error() is the real module's message text
// (without the "ERR " prefix the server adds).
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func newError(format string, args ...any) *Error {
	if len(args) == 0 {
		return &Error{Msg: format}
	}
	return &Error{Msg: sprintf(format, args...)}
}

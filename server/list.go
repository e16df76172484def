package server

// listValue is a list's elements: a deque over a slice, with room kept at
// both ends so that pushes and pops at either end are amortized O(1).
type listValue struct {
	buf  []string
	head int // index of the first element in buf
	n    int
}

func (l *listValue) Len() int { return l.n }

// Get returns the element at index i (0 <= i < Len).
func (l *listValue) Get(i int) string { return l.buf[l.head+i] }

func (l *listValue) set(i int, v string) { l.buf[l.head+i] = v }

func (l *listValue) pushBack(v string) {
	if l.head+l.n == len(l.buf) {
		l.grow()
	}
	l.buf[l.head+l.n] = v
	l.n++
}

func (l *listValue) pushFront(v string) {
	if l.head == 0 {
		l.grow()
	}
	l.head--
	l.buf[l.head] = v
	l.n++
}

// grow re-centers the elements in a buffer with room at both ends.
func (l *listValue) grow() {
	room := l.n/2 + 4
	nb := make([]string, l.n+2*room)
	copy(nb[room:], l.buf[l.head:l.head+l.n])
	l.buf, l.head = nb, room
}

func (l *listValue) popFront() string {
	v := l.buf[l.head]
	l.buf[l.head] = ""
	l.head++
	l.n--
	return v
}

func (l *listValue) popBack() string {
	v := l.buf[l.head+l.n-1]
	l.buf[l.head+l.n-1] = ""
	l.n--
	return v
}

// pop removes an element from the head (left) or the tail.
func (l *listValue) pop(left bool) string {
	if left {
		return l.popFront()
	}
	return l.popBack()
}

func (l *listValue) push(v string, left bool) {
	if left {
		l.pushFront(v)
	} else {
		l.pushBack(v)
	}
}

// slice returns the elements (a view, valid until the next change).
func (l *listValue) slice() []string { return l.buf[l.head : l.head+l.n] }

// replaceAll sets the elements.
func (l *listValue) replaceAll(items []string) {
	l.buf, l.head, l.n = items, 0, len(items)
}

func (l *listValue) copy() *listValue {
	return &listValue{buf: append([]string(nil), l.slice()...), n: l.n}
}

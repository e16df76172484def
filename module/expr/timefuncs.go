package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// brokenTime is the part of C's struct tm the functions use.
type brokenTime struct {
	year, mon, mday, hour, min, sec, wday, yday int
}

// glibc's gmtime_r fails with EOVERFLOW when the year does not fit an int.
const (
	minGmtime = -67768040609740800
	maxGmtime = 67768036191676799
)

func gmtime(t int64) (brokenTime, bool) {
	if t < minGmtime || t > maxGmtime {
		return brokenTime{}, false
	}
	u := time.Unix(t, 0).UTC()
	return brokenTime{
		year: u.Year(), mon: int(u.Month()) - 1, mday: u.Day(),
		hour: u.Hour(), min: u.Minute(), sec: u.Second(),
		wday: int(u.Weekday()), yday: u.YearDay() - 1,
	}, true
}

// fastTimegm is the module's replacement for timegm, built on tm_yday; its
// leap-year count is right until 2100 only, and the date functions inherit
// that.
func fastTimegm(tm brokenTime) float64 {
	years := int64(tm.year - 1970)
	leaps := (years + 1) / 4
	days := int64(tm.yday) + years*365 + leaps
	return float64(days*86400 + int64(tm.hour)*3600 + int64(tm.min)*60 + int64(tm.sec))
}

func registerDateFunctions() {
	// Each takes a non-negative timestamp; anything else gives null.
	dateFunc := func(name string, f func(d float64, tm brokenTime) float64) {
		register(name, func(a []Value, _ Env) (Value, *Error) {
			d, ok := a[0].ToNumber()
			if !ok || d < 0 {
				return Null(), nil
			}
			tm, ok := gmtime(cInt64(d))
			if !ok {
				// The module reads an uninitialised struct tm here.
				return Null(), nil
			}
			return Number(f(d, tm)), nil
		})
	}
	dateFunc("hour", func(_ float64, tm brokenTime) float64 {
		tm.min, tm.sec = 0, 0
		return fastTimegm(tm)
	})
	dateFunc("day", func(_ float64, tm brokenTime) float64 {
		tm.hour, tm.min, tm.sec = 0, 0, 0
		return fastTimegm(tm)
	})
	dateFunc("month", func(_ float64, tm brokenTime) float64 {
		tm.hour, tm.min, tm.sec = 0, 0, 0
		tm.yday -= tm.mday - 1
		return fastTimegm(tm)
	})
	dateFunc("dayofmonth", func(_ float64, tm brokenTime) float64 { return float64(tm.mday) })
	dateFunc("dayofweek", func(_ float64, tm brokenTime) float64 { return float64(tm.wday) })
	dateFunc("dayofyear", func(_ float64, tm brokenTime) float64 { return float64(tm.yday) })
	dateFunc("year", func(_ float64, tm brokenTime) float64 { return float64(tm.year) })
	dateFunc("monthofyear", func(_ float64, tm brokenTime) float64 { return float64(tm.mon) })
	// minute() works on the number alone, without gmtime.
	register("minute", func(a []Value, _ Env) (Value, *Error) {
		d, ok := a[0].ToNumber()
		if !ok || d < 0 {
			return Null(), nil
		}
		return Number(math.Floor(d - math.Mod(d, 60))), nil
	})
	register("timefmt", timefmt)
	register("parsetime", parsetime)
}

// timefmt(ts, [fmt="%FT%TZ"]) formats with strftime in UTC; a value that is
// not a number, a time gmtime cannot represent, or an empty or too long
// (1024 bytes or more) result give null.
func timefmt(a []Value, _ Env) (Value, *Error) {
	layout := "%FT%TZ"
	if len(a) == 2 {
		if err := checkType("time", a, 1, KindString, "RSValue_String"); err != nil {
			return Null(), err
		}
		layout = cString(a[1].str)
	}
	d, ok := a[0].ToNumber()
	if !ok {
		return Null(), nil
	}
	tm, ok := gmtime(cInt64(d))
	if !ok {
		return Null(), nil
	}
	out := strftime(layout, tm, cInt64(d))
	if len(out) == 0 || len(out) >= 1024 {
		return Null(), nil
	}
	return String(out), nil
}

var (
	weekdayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	monthNames   = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
)

// isoWeek returns the ISO 8601 year and week of tm.
func isoWeek(tm brokenTime) (int, int) {
	t := time.Date(tm.year, time.Month(tm.mon+1), tm.mday, 0, 0, 0, 0, time.UTC)
	return t.ISOWeek()
}

// strftime implements glibc's conversions in the C locale (without flags and
// field widths; an unknown conversion is copied as it is, as glibc does).
func strftime(layout string, tm brokenTime, epoch int64) string {
	var b strings.Builder
	pad := func(n, width int) { fmt.Fprintf(&b, "%0*d", width, n) }
	space := func(n, width int) { fmt.Fprintf(&b, "%*d", width, n) }
	hour12 := tm.hour % 12
	if hour12 == 0 {
		hour12 = 12
	}
	for i := 0; i < len(layout); i++ {
		c := layout[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i == len(layout)-1 {
			b.WriteByte('%')
			break
		}
		i++
		switch layout[i] {
		case '%':
			b.WriteByte('%')
		case 'a':
			b.WriteString(weekdayNames[tm.wday][:3])
		case 'A':
			b.WriteString(weekdayNames[tm.wday])
		case 'b', 'h':
			b.WriteString(monthNames[tm.mon][:3])
		case 'B':
			b.WriteString(monthNames[tm.mon])
		case 'c':
			b.WriteString(strftime("%a %b %e %H:%M:%S %Y", tm, epoch))
		case 'C':
			pad(floorDiv(tm.year, 100), 2)
		case 'd':
			pad(tm.mday, 2)
		case 'D':
			b.WriteString(strftime("%m/%d/%y", tm, epoch))
		case 'e':
			space(tm.mday, 2)
		case 'F':
			b.WriteString(strftime("%Y-%m-%d", tm, epoch))
		case 'G':
			y, _ := isoWeek(tm)
			b.WriteString(strconv.Itoa(y))
		case 'g':
			y, _ := isoWeek(tm)
			pad(((y%100)+100)%100, 2)
		case 'H':
			pad(tm.hour, 2)
		case 'I':
			pad(hour12, 2)
		case 'j':
			pad(tm.yday+1, 3)
		case 'k':
			space(tm.hour, 2)
		case 'l':
			space(hour12, 2)
		case 'm':
			pad(tm.mon+1, 2)
		case 'M':
			pad(tm.min, 2)
		case 'n':
			b.WriteByte('\n')
		case 'p':
			if tm.hour < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'P':
			if tm.hour < 12 {
				b.WriteString("am")
			} else {
				b.WriteString("pm")
			}
		case 'r':
			b.WriteString(strftime("%I:%M:%S %p", tm, epoch))
		case 'R':
			b.WriteString(strftime("%H:%M", tm, epoch))
		case 's':
			b.WriteString(strconv.FormatInt(epoch, 10))
		case 'S':
			pad(tm.sec, 2)
		case 't':
			b.WriteByte('\t')
		case 'T':
			b.WriteString(strftime("%H:%M:%S", tm, epoch))
		case 'u':
			w := tm.wday
			if w == 0 {
				w = 7
			}
			b.WriteString(strconv.Itoa(w))
		case 'U':
			pad((tm.yday+7-tm.wday)/7, 2)
		case 'V':
			_, w := isoWeek(tm)
			pad(w, 2)
		case 'w':
			b.WriteString(strconv.Itoa(tm.wday))
		case 'W':
			pad((tm.yday+7-(tm.wday+6)%7)/7, 2)
		case 'x':
			b.WriteString(strftime("%m/%d/%y", tm, epoch))
		case 'X':
			b.WriteString(strftime("%H:%M:%S", tm, epoch))
		case 'y':
			pad(((tm.year%100)+100)%100, 2)
		case 'Y':
			b.WriteString(strconv.Itoa(tm.year))
		case 'z':
			b.WriteString("+0000")
		case 'Z':
			b.WriteString("GMT")
		default:
			b.WriteByte('%')
			b.WriteByte(layout[i])
		}
	}
	return b.String()
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// parsetime(str, fmt) parses with strptime and converts with timegm (UTC);
// a string that does not match gives null. Fields the format does not set
// keep the zero of struct tm, so the day of month defaults to 0.
func parsetime(a []Value, _ Env) (Value, *Error) {
	for i := 0; i < 2; i++ {
		if err := checkString("parsetime", a, i); err != nil {
			return Null(), err
		}
	}
	st := &strptimeState{}
	if !st.parse(cString(a[0].str), cString(a[1].str), 0) {
		return Null(), nil
	}
	if st.epochSet {
		return Number(float64(st.epoch)), nil
	}
	tm := st.tm
	if st.haveYday && !st.haveMon && !st.haveMday {
		t := time.Date(tm.year, 1, 1+tm.yday, 0, 0, 0, 0, time.UTC)
		tm.mon, tm.mday = int(t.Month())-1, t.Day()
	}
	t := time.Date(tm.year, time.Month(tm.mon+1), tm.mday, tm.hour, tm.min, tm.sec, 0, time.UTC)
	return Number(float64(t.Unix())), nil
}

type strptimeState struct {
	tm                          brokenTime
	haveMon, haveMday, haveYday bool
	pm, havePM, haveI           bool
	century                     int
	haveCentury, haveYY         bool
	yy                          int
	epoch                       int64
	epochSet                    bool
}

// parse follows glibc strptime for the common conversions; the rest of the
// input after the format is ignored, as strptime returns a pointer into it.
func (st *strptimeState) parse(in, layout string, depth int) bool {
	if depth > 4 {
		return false
	}
	pos := 0
	ok := st.run(in, &pos, layout, depth)
	if !ok {
		return false
	}
	if depth == 0 {
		if st.haveCentury || st.haveYY {
			year := st.tm.year
			if st.haveYY {
				if st.haveCentury {
					year = st.century*100 + st.yy
				} else if st.yy >= 69 {
					year = 1900 + st.yy
				} else {
					year = 2000 + st.yy
				}
			} else {
				year = st.century*100 + ((year%100)+100)%100
			}
			st.tm.year = year
		}
		if st.havePM && st.haveI {
			st.tm.hour = st.tm.hour % 12
			if st.pm {
				st.tm.hour += 12
			}
		}
	}
	return true
}

func (st *strptimeState) run(in string, pos *int, layout string, depth int) bool {
	skipSpace := func() {
		for *pos < len(in) && isCSpace(in[*pos]) {
			*pos++
		}
	}
	number := func(lo, hi, maxDigits int) (int, bool) {
		skipSpace()
		if *pos >= len(in) || !isDigit(in[*pos]) {
			return 0, false
		}
		val := 0
		for n := maxDigits; ; {
			val = val*10 + int(in[*pos]-'0')
			*pos++
			n--
			if n <= 0 || val*10 > hi || *pos >= len(in) || !isDigit(in[*pos]) {
				break
			}
		}
		if val < lo || val > hi {
			return 0, false
		}
		return val, true
	}
	name := func(list []string) (int, bool) {
		rest := strings.ToLower(in[*pos:])
		for i, full := range list {
			f := strings.ToLower(full)
			if strings.HasPrefix(rest, f) {
				*pos += len(f)
				return i, true
			}
			if strings.HasPrefix(rest, f[:3]) {
				*pos += 3
				return i, true
			}
		}
		return 0, false
	}
	sub := func(l string) bool { return st.run(in, pos, l, depth+1) }
	for i := 0; i < len(layout); i++ {
		c := layout[i]
		if isCSpace(c) {
			skipSpace()
			continue
		}
		if c != '%' {
			if *pos >= len(in) || in[*pos] != c {
				return false
			}
			*pos++
			continue
		}
		i++
		if i >= len(layout) {
			return false
		}
		var v int
		var ok bool
		switch layout[i] {
		case '%':
			if *pos >= len(in) || in[*pos] != '%' {
				return false
			}
			*pos++
			continue
		case 'n', 't':
			skipSpace()
			continue
		case 'Y':
			if v, ok = number(0, 9999, 4); ok {
				st.tm.year = v
				st.haveCentury, st.haveYY = false, false
			}
		case 'y':
			if v, ok = number(0, 99, 2); ok {
				st.yy, st.haveYY = v, true
			}
		case 'C':
			if v, ok = number(0, 99, 2); ok {
				st.century, st.haveCentury = v, true
			}
		case 'm':
			if v, ok = number(1, 12, 2); ok {
				st.tm.mon, st.haveMon = v-1, true
			}
		case 'd', 'e':
			if v, ok = number(1, 31, 2); ok {
				st.tm.mday, st.haveMday = v, true
			}
		case 'H', 'k':
			if v, ok = number(0, 23, 2); ok {
				st.tm.hour, st.haveI = v, false
			}
		case 'I', 'l':
			if v, ok = number(1, 12, 2); ok {
				st.tm.hour, st.haveI = v%12, true
			}
		case 'M':
			if v, ok = number(0, 59, 2); ok {
				st.tm.min = v
			}
		case 'S':
			if v, ok = number(0, 61, 2); ok {
				st.tm.sec = v
			}
		case 'j':
			if v, ok = number(1, 366, 3); ok {
				st.tm.yday, st.haveYday = v-1, true
			}
		case 'b', 'B', 'h':
			if v, ok = name(monthNames); ok {
				st.tm.mon, st.haveMon = v, true
			}
		case 'a', 'A':
			if v, ok = name(weekdayNames); ok {
				st.tm.wday = v
			}
		case 'p', 'P':
			rest := strings.ToLower(in[*pos:])
			switch {
			case strings.HasPrefix(rest, "am"):
				st.pm, st.havePM, ok = false, true, true
			case strings.HasPrefix(rest, "pm"):
				st.pm, st.havePM, ok = true, true, true
			}
			if ok {
				*pos += 2
			}
		case 's':
			skipSpace()
			start := *pos
			if *pos < len(in) && in[*pos] == '-' {
				*pos++
			}
			for *pos < len(in) && isDigit(in[*pos]) {
				*pos++
			}
			n, err := strconv.ParseInt(in[start:*pos], 10, 64)
			if ok = err == nil; ok {
				st.epoch, st.epochSet = n, true
			}
		case 'z':
			skipSpace()
			if *pos < len(in) && in[*pos] == 'Z' {
				*pos++
				ok = true
				break
			}
			if *pos < len(in) && (in[*pos] == '+' || in[*pos] == '-') {
				*pos++
				j := *pos
				for *pos < len(in) && *pos-j < 4 && (isDigit(in[*pos]) || in[*pos] == ':') {
					*pos++
				}
				ok = *pos-j >= 2
			}
		case 'Z':
			ok = true // glibc accepts and ignores it
		case 'T':
			ok = sub("%H:%M:%S")
		case 'D':
			ok = sub("%m/%d/%y")
		case 'R':
			ok = sub("%H:%M")
		case 'F':
			ok = sub("%Y-%m-%d")
		case 'r':
			ok = sub("%I:%M:%S %p")
		case 'c':
			ok = sub("%a %b %e %H:%M:%S %Y")
		case 'x':
			ok = sub("%m/%d/%y")
		case 'X':
			ok = sub("%H:%M:%S")
		}
		if !ok {
			return false
		}
	}
	return true
}

// geoDistance: geodistance("lon,lat", "lon,lat"), with either point also
// given as two numbers; the distance in meters rounded to 2 decimals, nan
// when a point does not parse.
func geoDistance(a []Value, _ Env) (Value, *Error) {
	var pts [2][2]float64
	j := 0
	for i := 0; i < 2; i++ {
		if j >= len(a) {
			return Number(math.NaN()), nil
		}
		if _, ok := a[j].ToNumber(); ok {
			if j+1 >= len(a) {
				return Number(math.NaN()), nil
			}
			lon, ok1 := a[j].ToNumber()
			lat, ok2 := a[j+1].ToNumber()
			if !ok1 || !ok2 {
				return Number(math.NaN()), nil
			}
			pts[i] = [2]float64{lon, lat}
			j += 2
			continue
		}
		p, ok := parseGeoField(a[j])
		if !ok {
			return Number(math.NaN()), nil
		}
		pts[i] = p
		j++
	}
	d := haversine(pts[0][0], pts[0][1], pts[1][0], pts[1][1])
	return Number(math.Round(d*100) / 100), nil
}

// parseGeoField reads "lon,lat" or "lon lat"; both parts must be complete
// numbers for strtod.
func parseGeoField(v Value) ([2]float64, bool) {
	if v.kind != KindString {
		return [2]float64{}, false
	}
	s := cString(v.str)
	k := strings.IndexAny(s, " ,")
	if k < 0 {
		return [2]float64{}, false
	}
	lon, n1, _ := cStrtod(s[:k])
	lat, n2, _ := cStrtod(s[k+1:])
	if n1 != len(s[:k]) || n2 != len(s[k+1:]) {
		return [2]float64{}, false
	}
	return [2]float64{lon, lat}, true
}

// haversine is Redis' geohashGetDistance.
func haversine(lon1, lat1, lon2, lat2 float64) float64 {
	const earthRadius = 6372797.560856
	const degToRad = math.Pi / 180.0
	lat1r, lon1r := lat1*degToRad, lon1*degToRad
	lat2r, lon2r := lat2*degToRad, lon2*degToRad
	u := math.Sin((lat2r - lat1r) / 2)
	v := math.Sin((lon2r - lon1r) / 2)
	return 2.0 * earthRadius * math.Asin(math.Sqrt(u*u+math.Cos(lat1r)*math.Cos(lat2r)*v*v))
}

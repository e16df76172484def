package integration

import (
	"bufio"

	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/miniredis-search/miniredis-search/server"
)

// Pub/Sub needs several connections, which the differential files (one
// connection) cannot express: these scenarios run against a stock
// redis-server and against ours, in RESP2 and in RESP3, and every byte
// each connection receives is compared. After each step every open
// connection is sent "PING <token>" and read up to its answer, so that all
// the messages a step caused are collected in order.

// psStep is one step: commands pipelined on a connection.
type psStep struct {
	conn int
	cmds [][]string
}

func step(conn int, cmds ...string) psStep {
	var out [][]string
	for _, c := range strings.Split(strings.Join(cmds, "\n"), "\n") {
		out = append(out, strings.Fields(c))
	}
	return psStep{conn: conn, cmds: out}
}

type psConn struct {
	nc     net.Conn
	br     *bufio.Reader
	closed bool
}

// readFrame reads one RESP2/RESP3 value, raw.
func readFrame(br *bufio.Reader) (string, error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return line, err
	}
	if len(line) < 3 || !strings.HasSuffix(line, "\r\n") {
		return line, fmt.Errorf("bad line %q", line)
	}
	n, _ := strconv.Atoi(line[1 : len(line)-2])
	switch line[0] {
	case '$', '=', '!':
		if n < 0 {
			return line, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(br, buf); err != nil {
			return line, err
		}
		return line + string(buf), nil
	case '*', '>', '~', '%', '|':
		if line[0] == '%' || line[0] == '|' {
			n *= 2
		}
		var b strings.Builder
		b.WriteString(line)
		for i := 0; i < n; i++ {
			f, err := readFrame(br)
			b.WriteString(f)
			if err != nil {
				return b.String(), err
			}
		}
		if line[0] == '|' {
			// An attribute precedes the value it describes.
			f, err := readFrame(br)
			return b.String() + f, err
		}
		return b.String(), nil
	}
	return line, nil
}

// syncRead sends PING token and returns what came before its answer.
func (c *psConn) syncRead(token string) (string, error) {
	if _, err := c.nc.Write(resp.AppendCommand(nil, "PING", token)); err != nil {
		return "", err
	}
	_ = c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	ends := []string{
		"$" + strconv.Itoa(len(token)) + "\r\n" + token + "\r\n",
		"*2\r\n$4\r\npong\r\n$" + strconv.Itoa(len(token)) + "\r\n" + token + "\r\n",
	}
	var got strings.Builder
	for {
		f, err := readFrame(c.br)
		if err != nil {
			return got.String() + f, err
		}
		if f == ends[0] || f == ends[1] {
			return got.String(), nil
		}
		got.WriteString(f)
	}
}

// runPubsubScenario runs the steps against a server and returns, per step
// and connection, what the connection received.
func runPubsubScenario(t *testing.T, addr string, proto, nconns int, steps []psStep) []string {
	t.Helper()
	conns := make([]*psConn, nconns)
	for i := range conns {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { nc.Close() })
		conns[i] = &psConn{nc: nc, br: bufio.NewReader(nc)}
		if proto == 3 {
			if _, err := nc.Write(resp.AppendCommand(nil, "HELLO", "3")); err != nil {
				t.Fatal(err)
			}
			if _, err := readFrame(conns[i].br); err != nil {
				t.Fatal(err)
			}
		}
	}
	var out []string
	for si, st := range steps {
		c := conns[st.conn]
		var req []byte
		for _, cmd := range st.cmds {
			req = resp.AppendCommand(req, cmd...)
			if strings.EqualFold(cmd[0], "quit") {
				c.closed = true
			}
		}
		if _, err := c.nc.Write(req); err != nil {
			t.Fatal(err)
		}
		if c.closed {
			// Read what the connection got up to its close.
			_ = c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
			rest, _ := io.ReadAll(c.br)
			out = append(out, fmt.Sprintf("step %d conn %d (closed): %q", si, st.conn, rest))
		}
		// The step's connection first: once it has answered, every message
		// its commands caused is queued before the others' PING answers.
		order := []int{st.conn}
		for i := range conns {
			if i != st.conn {
				order = append(order, i)
			}
		}
		for _, i := range order {
			pc := conns[i]
			if pc.closed {
				continue
			}
			got, err := pc.syncRead(fmt.Sprintf("sync-%d-%d", si, i))
			if err != nil {
				t.Fatalf("%s step %d %v conn %d: %v (got %q)", addr, si, st.cmds, i, err, got)
			}
			out = append(out, fmt.Sprintf("step %d conn %d: %q", si, i, got))
		}
	}
	return out
}

func comparePubsub(t *testing.T, nconns int, steps []psStep, config ...string) {
	theirs := startRedis(t, config...)
	var ours string
	{
		var cfg []string
		for i := 0; i+1 < len(config); i += 2 {
			cfg = append(cfg, strings.TrimPrefix(config[i], "--")+" "+config[i+1])
		}
		ours = server.RunT(t, server.Options{Config: cfg}).Addr()
	}
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			want := runPubsubScenario(t, theirs, proto, nconns, steps)
			got := runPubsubScenario(t, ours, proto, nconns, steps)
			for i := range want {
				if i >= len(got) || got[i] != want[i] {
					g := ""
					if i < len(got) {
						g = got[i]
					}
					t.Errorf("redis-server: %s\n        ours: %s", want[i], g)
				}
			}
		})
	}
}

// TestPubsubAgainstRedis: subscriptions, messages, the RESP2 Pub/Sub mode,
// PUBSUB introspection, unsubscribing and RESET.
func TestPubsubAgainstRedis(t *testing.T) {
	comparePubsub(t, 3, []psStep{
		step(0, "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE"),
		step(0, "SUBSCRIBE a b a"),
		step(0, "PSUBSCRIBE a* [xy]?"),
		step(1, "PUBLISH a m1", "PUBLISH ab m2", "PUBLISH xz m3", "PUBLISH none m4"),
		step(2, "PUBSUB NUMSUB a b c", "PUBSUB NUMPAT", "PUBSUB CHANNELS a", "PUBSUB CHANNELS z*"),
		step(0, "GET k", "SET k v", "PUBSUB NUMPAT", "PING", "PING hello", "PING a b", "ECHO x"),
		step(1, "SSUBSCRIBE s1 s2"),
		step(2, "SPUBLISH s1 hi", "SPUBLISH a no", "PUBLISH s1 no", "PUBSUB SHARDCHANNELS s1", "PUBSUB SHARDNUMSUB s1 s2 s3"),
		// (A RESP3 subscriber publishing to itself gets the messages after
		// the reply in Redis 7.2+, before it in 7.0: server/cmd_pubsub_test.go.)
		step(1, "SUBSCRIBE a"),
		step(2, "PUBLISH a both"),
		step(0, "UNSUBSCRIBE b zz", "UNSUBSCRIBE a"),
		step(2, "PUBLISH a m5", "PUBLISH b m6"),
		step(0, "PUNSUBSCRIBE a*", "PUNSUBSCRIBE", "GET k"),
		step(1, "SUNSUBSCRIBE s2", "SUNSUBSCRIBE", "UNSUBSCRIBE", "GET k"),
		step(0, "SUBSCRIBE c", "RESET", "PUBSUB NUMSUB c"),
		step(2, "PUBLISH c gone", "PUBSUB NUMPAT", "PUBSUB SHARDCHANNELS"),
		step(1, "PSUBSCRIBE *", "QUIT"),
		step(2, "PUBLISH x after-quit", "PUBSUB NUMPAT"),
		step(2, "PUBSUB HELP", "PUBSUB NOPE", "PUBSUB CHANNELS a b", "SUBSCRIBE", "PUBLISH a", "SPUBLISH a"),
		step(2, "MULTI", "SUBSCRIBE inside", "EXEC", "UNSUBSCRIBE"),
	})
}

// TestKeyspaceNotificationsAgainstRedis: the keyspace and keyevent
// messages of string, hash, list, set and generic commands.
func TestKeyspaceNotificationsAgainstRedis(t *testing.T) {
	comparePubsub(t, 2, []psStep{
		step(1, "CONFIG SET notify-keyspace-events KEA"),
		step(0, "PSUBSCRIBE __key*@*__:*"),
		// strings
		step(1, "SET s v", "APPEND s x", "SETRANGE s 5 y", "INCR n", "INCRBY n 2", "DECR n",
			"INCRBYFLOAT f 1.5", "MSET m1 a m2 b", "MSETNX m1 a", "SETNX m3 c", "GETSET m3 d",
			"GETDEL m3", "GETEX m2 EX 100", "SET s2 v EX 100", "SET s2 v KEEPTTL", "SETEX s3 100 v", "GETEX m2 PERSIST"),
		// hashes
		step(1, "HSET h a 1 b 2", "HSETNX h c 3", "HINCRBY h a 5", "HINCRBYFLOAT h b 0.5",
			"HMSET h d 4", "HDEL h a b", "HDEL h c d", "HDEL h nope"),
		// lists
		step(1, "RPUSH l a b c", "LPUSH l z", "LINSERT l BEFORE a x", "LSET l 0 y", "LREM l 1 x",
			"LTRIM l 0 1", "LMOVE l l2 LEFT RIGHT", "RPOPLPUSH l l2", "LPOP l", "RPUSHX l a", "LPUSHX l2 q", "LMPOP 1 l2 LEFT COUNT 5"),
		// sets
		step(1, "SADD st a b c", "SREM st a", "SMOVE st st2 b", "SPOP st", "SADD x 1 2", "SADD y 2 3",
			"SINTERSTORE dst x y", "SUNIONSTORE dst x y", "SDIFFSTORE dst x x", "SPOP y 5"),
		// streams (class t) and HyperLogLog (strings)
		step(1, "XADD xs 1-1 a 1", "XADD xs 2-1 b 2", "XDEL xs 1-1", "XTRIM xs MAXLEN 0",
			"XGROUP CREATE xs g $", "XGROUP CREATECONSUMER xs g c", "XGROUP DELCONSUMER xs g c",
			"XGROUP SETID xs g 0", "XSETID xs 5-0", "XGROUP DESTROY xs g", "PFADD hl a b", "PFMERGE hl2 hl"),
		// sorted sets
		step(1, "ZADD zs 1 a 2 b 3 c 4 d", "ZINCRBY zs 2 a", "ZREM zs a", "ZREMRANGEBYRANK zs 0 0",
			"ZREMRANGEBYSCORE zs 3 3", "ZADD zs 5 e 6 f", "ZREMRANGEBYLEX zs [e [e", "ZPOPMIN zs", "ZADD zs 7 g",
			"ZPOPMAX zs", "ZADD z1 1 a", "ZADD z2 2 a", "ZUNIONSTORE zd 2 z1 z2", "ZINTERSTORE zd 2 z1 z2",
			"ZDIFFSTORE zd 2 z1 z2", "ZRANGESTORE zd2 z1 0 -1", "ZMPOP 1 z1 MIN"),
		// geo (GEOADD is a ZADD)
		step(1, "GEOADD gs 13.361389 38.115556 Palermo 15.087269 37.502669 Catania", "GEOADD gs 13.361389 38.115556 Palermo",
			"GEOSEARCHSTORE gd gs FROMLONLAT 15 37 BYRADIUS 200 km", "GEORADIUS gs 15 37 200 km STOREDIST ge",
			"GEORADIUSBYMEMBER gs Palermo 1 km STORE ge", "GEOSEARCHSTORE gd gs FROMLONLAT 0 0 BYRADIUS 1 km"),
		// generic
		step(1, "EXPIRE x 100", "PEXPIRE x 100000", "PERSIST x", "RENAME x x2", "COPY x2 x3", "DEL x2 x3 nope",
			"SET e v PX 1", "EXPIRE s -1", "UNLINK n f"),
		step(1, "DEBUG SLEEP 0.05", "GET e"),
		// classes: only generic keyevents, then new and keymiss
		step(1, "CONFIG SET notify-keyspace-events Eg", "SET g v", "DEL g", "HSET h2 f v", "EXPIRE h2 100"),
		step(1, "CONFIG SET notify-keyspace-events KEA", "FLUSHALL"),
		step(1, "CONFIG SET notify-keyspace-events KEnm", "GET missing", "SET brandnew v", "HSET brandh f v", "CONFIG SET notify-keyspace-events \"\""),
	}, "--enable-debug-command", "yes")
}

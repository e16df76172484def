package server

import (
	"strconv"

	"github.com/miniredis-search/miniredis-search/resp"
)

// Pub/Sub. Subscriptions live on the main thread (the registry below and
// each client's clientPubsub). A message is encoded once per protocol and
// appended to each subscriber's output feed (monitor.go's outputFeed): the
// feed's goroutine writes it, so that the publisher, which holds the
// main-thread lock, never waits on a slow subscriber. A subscribed client's
// own replies go through the same feed (Client.unlockMain hands them over
// under the lock), which keeps replies and messages in the order the main
// thread produced them.

// pubsubOutputLimit is the most a subscriber may lag behind before it is
// disconnected: Redis' default "client-output-buffer-limit pubsub 32mb 8mb
// 60" hard limit (the parameter itself is not configurable here, nor the
// soft limit).
const pubsubOutputLimit = 32 << 20

// pubsubKind is one of the three subscription name spaces.
type pubsubKind int

const (
	kindChannel pubsubKind = iota
	kindPattern
	kindShard
)

// pubsubRegistry maps each channel, pattern and shard channel to its
// subscribers.
type pubsubRegistry struct {
	subs [3]map[string]map[*Client]struct{}
}

func (r *pubsubRegistry) table(k pubsubKind) map[string]map[*Client]struct{} {
	if r.subs[k] == nil {
		r.subs[k] = map[string]map[*Client]struct{}{}
	}
	return r.subs[k]
}

// orderedSet is a client's subscriptions of one kind, in subscription order
// (the order (P|S)UNSUBSCRIBE without arguments replies in).
type orderedSet struct {
	names []string
	index map[string]struct{}
}

func (o *orderedSet) add(name string) bool {
	if _, ok := o.index[name]; ok {
		return false
	}
	if o.index == nil {
		o.index = map[string]struct{}{}
	}
	o.index[name] = struct{}{}
	o.names = append(o.names, name)
	return true
}

func (o *orderedSet) remove(name string) bool {
	if _, ok := o.index[name]; !ok {
		return false
	}
	delete(o.index, name)
	for i, n := range o.names {
		if n == name {
			o.names = append(o.names[:i], o.names[i+1:]...)
			break
		}
	}
	return true
}

// clientPubsub is a client's subscriptions (main thread).
type clientPubsub struct {
	sets [3]orderedSet
	// selfPush holds the messages for the client whose command is running
	// (a RESP3 subscriber publishing, or writing a key it watches through
	// keyspace notifications): they follow the command's reply, as in Redis
	// 7.2+ (7.0 interleaves them with the reply).
	selfPush []byte
}

func (p *clientPubsub) count(k pubsubKind) int { return len(p.sets[k].names) }

// subscribed reports whether the client is in Pub/Sub mode (Redis'
// CLIENT_PUBSUB flag: any channel, pattern or shard channel).
func (c *Client) subscribed() bool {
	p := c.pubsub
	return p != nil && p.count(kindChannel)+p.count(kindPattern)+p.count(kindShard) > 0
}

// subCount is what (P)SUBSCRIBE / (P)UNSUBSCRIBE report: channels and
// patterns together; SSUBSCRIBE / SUNSUBSCRIBE report the shard channels.
func (c *Client) subCount(k pubsubKind) int {
	p := c.pubsub
	if p == nil {
		return 0
	}
	if k == kindShard {
		return p.count(kindShard)
	}
	return p.count(kindChannel) + p.count(kindPattern)
}

var subscribeVerbs = [3]string{"subscribe", "psubscribe", "ssubscribe"}
var unsubscribeVerbs = [3]string{"unsubscribe", "punsubscribe", "sunsubscribe"}

// writeSubReply writes a (un)subscribe confirmation: a push in RESP3, an
// array in RESP2. name nil is the null of an UNSUBSCRIBE without
// subscriptions.
func writeSubReply(w *resp.Writer, verb string, name *string, count int) {
	if w.Resp3() {
		w.Push(3)
	} else {
		w.Array(3)
	}
	w.BulkString(verb)
	if name == nil {
		w.Null()
	} else {
		w.BulkString(*name)
	}
	w.Int(int64(count))
}

// subscribe adds the client to each name of kind k and confirms each.
func (s *Server) subscribe(c *Ctx, k pubsubKind, names [][]byte) {
	cl := c.Client
	wasSubscribed := cl.subscribed()
	if cl.pubsub == nil {
		cl.pubsub = &clientPubsub{}
	}
	tab := s.pubsub.table(k)
	for _, b := range names {
		name := string(b)
		if cl.pubsub.sets[k].add(name) {
			m := tab[name]
			if m == nil {
				m = map[*Client]struct{}{}
				tab[name] = m
			}
			m[cl] = struct{}{}
		}
		writeSubReply(c.W, subscribeVerbs[k], &name, cl.subCount(k))
	}
	if !wasSubscribed && cl.subscribed() {
		s.acquireFeed(cl, pubsubOutputLimit)
	}
}

// unsubscribe removes the client from each name (all its names of kind k
// when names is empty); w nil unsubscribes without replies (disconnection).
func (s *Server) unsubscribe(cl *Client, w *resp.Writer, k pubsubKind, names [][]byte) {
	wasSubscribed := cl.subscribed()
	verb := unsubscribeVerbs[k]
	if len(names) == 0 {
		if cl.pubsub == nil || cl.pubsub.count(k) == 0 {
			if w != nil {
				writeSubReply(w, verb, nil, cl.subCount(k))
			}
		} else {
			all := append([]string(nil), cl.pubsub.sets[k].names...)
			for _, name := range all {
				s.unsubscribeOne(cl, w, k, name)
			}
		}
	} else {
		for _, b := range names {
			s.unsubscribeOne(cl, w, k, string(b))
		}
	}
	if wasSubscribed && !cl.subscribed() {
		s.releaseFeed(cl)
	}
}

func (s *Server) unsubscribeOne(cl *Client, w *resp.Writer, k pubsubKind, name string) {
	if cl.pubsub != nil && cl.pubsub.sets[k].remove(name) {
		tab := s.pubsub.table(k)
		if m := tab[name]; m != nil {
			delete(m, cl)
			if len(m) == 0 {
				delete(tab, name)
			}
		}
	}
	if w != nil {
		writeSubReply(w, unsubscribeVerbs[k], &name, cl.subCount(k))
	}
}

// unsubscribeAll drops every subscription of a client (RESET, disconnection)
// without replies.
func (s *Server) unsubscribeAll(cl *Client) {
	if cl.pubsub == nil {
		return
	}
	for k := kindChannel; k <= kindShard; k++ {
		if cl.pubsub.count(k) > 0 {
			s.unsubscribe(cl, nil, k, nil)
		}
	}
	cl.pubsub.selfPush = nil
}

// pubsubMessage encodes a message once per protocol, on demand.
type pubsubMessage struct {
	kind    pubsubKind
	pattern string
	channel string
	payload []byte
	enc     [2][]byte // RESP2, RESP3
}

func (m *pubsubMessage) bytes(proto int) []byte {
	i := 0
	if proto == 3 {
		i = 1
	}
	if m.enc[i] != nil {
		return m.enc[i]
	}
	w := resp.NewWriter(proto)
	n := 3
	if m.kind == kindPattern {
		n = 4
	}
	if proto == 3 {
		w.Push(n)
	} else {
		w.Array(n)
	}
	switch m.kind {
	case kindChannel:
		w.BulkString("message")
	case kindPattern:
		w.BulkString("pmessage")
		w.BulkString(m.pattern)
	case kindShard:
		w.BulkString("smessage")
	}
	w.BulkString(m.channel)
	w.Bulk(m.payload)
	m.enc[i] = w.Bytes()
	return m.enc[i]
}

// deliver hands a message to a subscriber. The client whose command is
// running gets it after its reply; others through their feed.
func (s *Server) deliver(cl *Client, m *pubsubMessage) {
	b := m.bytes(cl.proto)
	if cl.holdsGIL {
		cl.pubsub.selfPush = append(cl.pubsub.selfPush, b...)
		return
	}
	if cl.out == nil || !cl.out.enqueue(b) {
		s.log.Warn("Client " + cl.infoLine() + " scheduled to be closed ASAP for overcoming of output buffer limits.")
		cl.kill()
	}
}

// publish sends payload to the subscribers of channel (and, unless shard,
// of the matching patterns); it returns the number of receivers.
func (s *Server) publish(channel string, payload []byte, shard bool) int {
	n := 0
	if shard {
		m := &pubsubMessage{kind: kindShard, channel: channel, payload: payload}
		for cl := range s.pubsub.subs[kindShard][channel] {
			s.deliver(cl, m)
			n++
		}
		return n
	}
	m := &pubsubMessage{kind: kindChannel, channel: channel, payload: payload}
	for cl := range s.pubsub.subs[kindChannel][channel] {
		s.deliver(cl, m)
		n++
	}
	for pat, subs := range s.pubsub.subs[kindPattern] {
		if !GlobMatch(pat, channel, false) {
			continue
		}
		pm := &pubsubMessage{kind: kindPattern, pattern: pat, channel: channel, payload: payload}
		for cl := range subs {
			s.deliver(cl, pm)
			n++
		}
	}
	return n
}

// flushSelfPush appends the messages a client's own command produced for
// it after the command's reply.
func (c *Client) flushSelfPush() {
	if c.pubsub != nil && len(c.pubsub.selfPush) > 0 {
		c.w.Raw(c.pubsub.selfPush)
		c.pubsub.selfPush = c.pubsub.selfPush[:0]
	}
}

// Keyspace notifications.

// eventClassFlag maps an event class to its notify-keyspace-events flag.
func eventClassFlag(class EventClass) int {
	switch class {
	case EventGeneric:
		return notifyGeneric
	case EventString:
		return notifyString
	case EventHash:
		return notifyHash
	case EventExpired:
		return notifyExpired
	case EventList:
		return notifyList
	case EventSet:
		return notifySet
	case EventStream:
		return notifyStream
	case EventModule:
		return notifyModule
	case EventZset:
		return notifyZset
	}
	return 0
}

// keyspaceNotify publishes __keyspace@<db>__:<key> and
// __keyevent@<db>__:<event> for an event of a class (a notify* flag) the
// notify-keyspace-events parameter selects, as Redis'
// notifyKeyspaceEvent.
func (s *Server) keyspaceNotify(db int, key, event string, class int) {
	flags := s.notifyFlags
	if flags&class == 0 {
		return
	}
	if s.pubsub.empty() {
		return
	}
	dbs := strconv.Itoa(db)
	if flags&notifyKeyspace != 0 {
		s.publish("__keyspace@"+dbs+"__:"+key, []byte(event), false)
	}
	if flags&notifyKeyevent != 0 {
		s.publish("__keyevent@"+dbs+"__:"+event, []byte(key), false)
	}
}

func (r *pubsubRegistry) empty() bool {
	return len(r.subs[kindChannel]) == 0 && len(r.subs[kindPattern]) == 0
}

// allowedWhileSubscribed lists what a RESP2 client in Pub/Sub mode may run
// (RESP3 clients may run anything).
func allowedWhileSubscribed(cmd *Command) bool {
	switch cmd.Name {
	case "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
		"psubscribe", "punsubscribe", "quit", "reset":
		return true
	}
	return false
}

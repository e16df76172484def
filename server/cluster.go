package server

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
)

// Cluster mode. Shards split the 16384 hash slots as Redis Cluster does,
// over a static topology (`cluster-nodes`) instead of the cluster bus: each
// shard knows every node and its slots from its configuration, answers the
// CLUSTER commands cluster-aware clients read, and redirects a key command
// for another shard's slot with -MOVED.

// NumSlots is the number of hash slots.
const NumSlots = 16384

// ClusterNode is a shard of the topology.
type ClusterNode struct {
	ID    string // 40 hex characters
	Host  string
	Port  int
	Slots [][2]int // inclusive ranges, ascending
	Epoch int      // config epoch: its position in the topology, from 1
}

// Addr is host:port.
func (n *ClusterNode) Addr() string { return net.JoinHostPort(n.Host, strconv.Itoa(n.Port)) }

// Topology is the cluster as every shard sees it.
type Topology struct {
	Nodes []*ClusterNode
	owner [NumSlots]*ClusterNode
}

// NodeID is the node id of a shard at addr: derived from its address, so
// that every shard (and every process) names it alike.
func NodeID(addr string) string {
	sum := sha1.Sum([]byte("miniredis-search node " + addr))
	return hex.EncodeToString(sum[:])
}

// ParseTopology reads cluster-nodes: "host:port[=start-end[,start-end...]]"
// entries separated by spaces. Nodes without slots share the slots no node
// claims, in contiguous ranges, in order (as redis-cli --cluster create
// splits them).
func ParseTopology(spec string) (*Topology, error) {
	t := &Topology{}
	seen := map[string]bool{}
	for _, field := range strings.Fields(spec) {
		addr, ranges, hasSlots := strings.Cut(field, "=")
		host, portStr, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("cluster-nodes: %q: %v", field, err)
		}
		port, err := strconv.Atoi(portStr)
		if err != nil || port <= 0 || port > 65535 {
			return nil, fmt.Errorf("cluster-nodes: %q: invalid port", field)
		}
		n := &ClusterNode{Host: host, Port: port, Epoch: len(t.Nodes) + 1}
		n.ID = NodeID(n.Addr())
		if seen[n.ID] {
			return nil, fmt.Errorf("cluster-nodes: %s listed twice", n.Addr())
		}
		seen[n.ID] = true
		if hasSlots {
			for _, r := range strings.Split(ranges, ",") {
				lo, hi, isRange := strings.Cut(r, "-")
				a, err1 := strconv.Atoi(lo)
				b := a
				var err2 error
				if isRange {
					b, err2 = strconv.Atoi(hi)
				}
				if err1 != nil || err2 != nil || a < 0 || b >= NumSlots || a > b {
					return nil, fmt.Errorf("cluster-nodes: %q: invalid slot range %q", field, r)
				}
				n.Slots = append(n.Slots, [2]int{a, b})
			}
		}
		t.Nodes = append(t.Nodes, n)
	}
	if len(t.Nodes) == 0 {
		return nil, fmt.Errorf("cluster-nodes: no node")
	}
	for _, n := range t.Nodes {
		for _, r := range n.Slots {
			for s := r[0]; s <= r[1]; s++ {
				if t.owner[s] != nil {
					return nil, fmt.Errorf("cluster-nodes: slot %d given to %s and %s", s, t.owner[s].Addr(), n.Addr())
				}
				t.owner[s] = n
			}
		}
	}
	var free [][2]int
	for s := 0; s < NumSlots; s++ {
		if t.owner[s] != nil {
			continue
		}
		if len(free) > 0 && free[len(free)-1][1] == s-1 {
			free[len(free)-1][1] = s
		} else {
			free = append(free, [2]int{s, s})
		}
	}
	var unassigned []*ClusterNode
	for _, n := range t.Nodes {
		if len(n.Slots) == 0 {
			unassigned = append(unassigned, n)
		}
	}
	if len(unassigned) > 0 {
		var slots []int
		for _, r := range free {
			for s := r[0]; s <= r[1]; s++ {
				slots = append(slots, s)
			}
		}
		per := float64(len(slots)) / float64(len(unassigned))
		for i, n := range unassigned {
			lo, hi := int(float64(i)*per+0.5), int(float64(i+1)*per+0.5)-1
			if i == len(unassigned)-1 {
				hi = len(slots) - 1
			}
			for j := lo; j <= hi; j++ {
				s := slots[j]
				t.owner[s] = n
				if k := len(n.Slots); k > 0 && n.Slots[k-1][1] == s-1 {
					n.Slots[k-1][1] = s
				} else {
					n.Slots = append(n.Slots, [2]int{s, s})
				}
			}
		}
	}
	for _, n := range t.Nodes {
		sort.Slice(n.Slots, func(a, b int) bool { return n.Slots[a][0] < n.Slots[b][0] })
	}
	return t, nil
}

// Owner is the node serving slot (nil when no node does).
func (t *Topology) Owner(slot int) *ClusterNode { return t.owner[slot] }

// assigned counts the slots some node serves.
func (t *Topology) assigned() int {
	n := 0
	for _, o := range t.owner {
		if o != nil {
			n++
		}
	}
	return n
}

// KeySlot is Redis' hash slot of a key: CRC16 of the key, or of its first
// non-empty {hash tag}, modulo 16384.
func KeySlot(key []byte) int {
	if i := indexByte(key, '{'); i >= 0 {
		if j := indexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	return int(crc16(key) & (NumSlots - 1))
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// crc16 is CRC-16/XMODEM (polynomial 0x1021, initial 0), Redis Cluster's
// key hash.
func crc16(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc ^= uint16(c) << 8
		for i := 0; i < 8; i++ {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// Cluster error replies, Redis' wording.
const (
	ErrCrossSlot     = "CROSSSLOT Keys in request don't hash to the same slot"
	errInvalidSlot   = "ERR Invalid slot"
	errInvalidSlotOr = "ERR Invalid slot or number of keys"
)

// Topology is the cluster topology in cluster mode (nil otherwise).
func (s *Server) Topology() *Topology { return s.topo }

// Self is this shard's node in cluster mode (nil otherwise).
func (s *Server) Self() *ClusterNode { return s.self }

// setupCluster reads the topology once the listener's port is known. With
// cluster-enabled and no cluster-nodes, the shard is a cluster of one.
func (s *Server) setupCluster() error {
	if !s.params.clusterEnabled() {
		return nil
	}
	host, portStr, _ := net.SplitHostPort(s.addr)
	port, _ := strconv.Atoi(portStr)
	spec := s.cfg.Get("cluster-nodes")
	if spec == "" {
		spec = net.JoinHostPort(host, portStr)
	}
	t, err := ParseTopology(spec)
	if err != nil {
		return err
	}
	for _, n := range t.Nodes {
		if n.Port == port && (n.Host == host || isLoopbackOrAny(n.Host) && isLoopbackOrAny(host)) {
			s.self = n
		}
	}
	if s.self == nil {
		return fmt.Errorf("cluster-nodes does not list this shard (%s)", s.addr)
	}
	s.topo = t
	s.log.Info(fmt.Sprintf("Cluster mode: node %s, %d nodes, serving %d slots", s.self.ID, len(t.Nodes), slotCount(s.self)))
	return nil
}

func isLoopbackOrAny(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

func slotCount(n *ClusterNode) int {
	c := 0
	for _, r := range n.Slots {
		c += r[1] - r[0] + 1
	}
	return c
}

// redirect checks a command's keys in cluster mode, as Redis'
// getNodeByQuery: keys in different slots are -CROSSSLOT, a slot another
// shard serves is -MOVED. It returns the error to reply, or "".
func (s *Server) redirect(cmd *Command, args [][]byte) string {
	if s.topo == nil {
		return ""
	}
	return s.slotRedirect(keysSlot(-1, cmd, args))
}

// transactionRedirect checks the keys of every queued command of a
// transaction together, as Redis does at EXEC.
func (s *Server) transactionRedirect(c *Client) string {
	slot := -1
	for _, q := range c.queued {
		if slot = keysSlot(slot, q.cmd, q.args); slot == crossSlot {
			break
		}
	}
	return s.slotRedirect(slot)
}

// crossSlot is keysSlot's answer for keys of different slots.
const crossSlot = -2

// keysSlot is the slot of a command's keys given the slot of the keys seen
// before (-1: none yet; crossSlot: already mixed).
func keysSlot(slot int, cmd *Command, args [][]byte) int {
	for _, i := range cmd.keyPositions(args) {
		if slot == crossSlot {
			return slot
		}
		ks := KeySlot(args[i])
		if slot >= 0 && ks != slot {
			return crossSlot
		}
		slot = ks
	}
	return slot
}

// slotRedirect is the error for keys of slot (-1: no key), or "".
func (s *Server) slotRedirect(slot int) string {
	switch slot {
	case -1:
		return ""
	case crossSlot:
		return ErrCrossSlot
	}
	owner := s.topo.Owner(slot)
	switch {
	case owner == nil:
		return "CLUSTERDOWN Hash slot not served"
	case owner != s.self:
		return fmt.Sprintf("MOVED %d %s", slot, owner.Addr())
	}
	return ""
}

func clusterCommands(s *Server) commandGroup {
	return commandGroup{
		{"cluster", nil, 0},
		{"cluster|info", s.cmdClusterInfo, 0},
		{"cluster|myid", s.cmdClusterMyID, 0},
		{"cluster|keyslot", s.cmdClusterKeyslot, 0},
		{"cluster|slots", s.cmdClusterSlots, 0},
		{"cluster|shards", s.cmdClusterShards, 0},
		{"cluster|nodes", s.cmdClusterNodes, 0},
		{"cluster|countkeysinslot", s.cmdClusterCountKeys, 0},
		{"cluster|getkeysinslot", s.cmdClusterGetKeys, 0},
		{"cluster|help", s.cmdClusterHelp, 0},
		{"asking", s.cmdClusterOK, 0},
		{"readonly", s.cmdClusterOK, 0},
		{"readwrite", s.cmdClusterOK, 0},
	}
}

// clusterOnly answers Redis' error outside cluster mode.
func (s *Server) clusterOnly(c *Ctx) bool {
	if s.topo == nil {
		c.W.Error("ERR This instance has cluster support disabled")
		return false
	}
	return true
}

func (s *Server) cmdClusterOK(c *Ctx, args [][]byte) {
	if s.clusterOnly(c) {
		c.W.OK()
	}
}

func (s *Server) cmdClusterInfo(c *Ctx, args [][]byte) {
	if !s.clusterOnly(c) {
		return
	}
	t := s.topo
	state := "ok"
	if t.assigned() < NumSlots {
		state = "fail"
	}
	size := 0
	for _, n := range t.Nodes {
		if len(n.Slots) > 0 {
			size++
		}
	}
	var b strings.Builder
	field := func(name string, v any) { fmt.Fprintf(&b, "%s:%v\r\n", name, v) }
	field("cluster_state", state)
	field("cluster_slots_assigned", t.assigned())
	field("cluster_slots_ok", t.assigned())
	field("cluster_slots_pfail", 0)
	field("cluster_slots_fail", 0)
	field("cluster_known_nodes", len(t.Nodes))
	field("cluster_size", size)
	field("cluster_current_epoch", len(t.Nodes))
	field("cluster_my_epoch", s.self.Epoch)
	field("cluster_stats_messages_sent", 0)
	field("cluster_stats_messages_received", 0)
	field("total_cluster_links_buffer_limit_exceeded", 0)
	c.W.Verbatim("txt", b.String())
}

func (s *Server) cmdClusterMyID(c *Ctx, args [][]byte) {
	if s.clusterOnly(c) {
		c.W.BulkString(s.self.ID)
	}
}

func (s *Server) cmdClusterKeyslot(c *Ctx, args [][]byte) {
	if s.clusterOnly(c) {
		c.W.Int(int64(KeySlot(args[2])))
	}
}

// nodeEntry writes a node as CLUSTER SLOTS lists it: ip, port, id, and
// the (empty) networking metadata.
func nodeEntry(w *resp.Writer, n *ClusterNode) {
	w.Array(4)
	w.BulkString(n.Host)
	w.Int(int64(n.Port))
	w.BulkString(n.ID)
	if w.Resp3() {
		w.Map(0)
	} else {
		w.Array(0)
	}
}

func (s *Server) cmdClusterSlots(c *Ctx, args [][]byte) {
	if !s.clusterOnly(c) {
		return
	}
	type rng struct {
		r [2]int
		n *ClusterNode
	}
	var all []rng
	for _, n := range s.topo.Nodes {
		for _, r := range n.Slots {
			all = append(all, rng{r, n})
		}
	}
	sort.Slice(all, func(a, b int) bool { return all[a].r[0] < all[b].r[0] })
	c.W.Array(len(all))
	for _, e := range all {
		c.W.Array(3)
		c.W.Int(int64(e.r[0]))
		c.W.Int(int64(e.r[1]))
		nodeEntry(c.W, e.n)
	}
}

// nodesSelfFirst lists the nodes with this shard first, as Redis lists
// CLUSTER SHARDS and CLUSTER NODES.
func (s *Server) nodesSelfFirst() []*ClusterNode {
	out := []*ClusterNode{s.self}
	for _, n := range s.topo.Nodes {
		if n != s.self {
			out = append(out, n)
		}
	}
	return out
}

func (s *Server) cmdClusterShards(c *Ctx, args [][]byte) {
	if !s.clusterOnly(c) {
		return
	}
	nodes := s.nodesSelfFirst()
	w := c.W
	w.Array(len(nodes))
	for _, n := range nodes {
		w.Map(2)
		w.BulkString("slots")
		w.Array(2 * len(n.Slots))
		for _, r := range n.Slots {
			w.Int(int64(r[0]))
			w.Int(int64(r[1]))
		}
		w.BulkString("nodes")
		w.Array(1)
		w.Map(7)
		w.BulkString("id")
		w.BulkString(n.ID)
		w.BulkString("port")
		w.Int(int64(n.Port))
		w.BulkString("ip")
		w.BulkString(n.Host)
		w.BulkString("endpoint")
		w.BulkString(n.Host)
		w.BulkString("role")
		w.BulkString("master")
		w.BulkString("replication-offset")
		w.Int(0)
		w.BulkString("health")
		w.BulkString("online")
	}
}

func (s *Server) cmdClusterNodes(c *Ctx, args [][]byte) {
	if !s.clusterOnly(c) {
		return
	}
	now := time.Now().UnixMilli()
	var b strings.Builder
	for _, n := range s.nodesSelfFirst() {
		flags := "master"
		if n == s.self {
			flags = "myself,master"
		}
		// No cluster bus: every node is as fresh as now.
		fmt.Fprintf(&b, "%s %s@%d %s - 0 %d %d connected", n.ID, n.Addr(), n.Port+10000, flags, now, n.Epoch)
		for _, r := range n.Slots {
			if r[0] == r[1] {
				fmt.Fprintf(&b, " %d", r[0])
			} else {
				fmt.Fprintf(&b, " %d-%d", r[0], r[1])
			}
		}
		b.WriteByte('\n')
	}
	c.W.Verbatim("txt", b.String())
}

func (s *Server) cmdClusterCountKeys(c *Ctx, args [][]byte) {
	if !s.clusterOnly(c) {
		return
	}
	slot, ok := resp.ParseInt(args[2])
	if !ok || slot < 0 || slot >= NumSlots {
		c.W.Error(errInvalidSlot)
		return
	}
	n := 0
	c.DB().Keys(func(key string, _ *Entry) bool {
		if KeySlot([]byte(key)) == int(slot) {
			n++
		}
		return true
	})
	c.W.Int(int64(n))
}

func (s *Server) cmdClusterGetKeys(c *Ctx, args [][]byte) {
	if !s.clusterOnly(c) {
		return
	}
	slot, ok1 := resp.ParseInt(args[2])
	count, ok2 := resp.ParseInt(args[3])
	if !ok1 || !ok2 || slot < 0 || slot >= NumSlots || count < 0 {
		c.W.Error(errInvalidSlotOr)
		return
	}
	// No per-slot key index: the keyspace is scanned, and the keys come in
	// lexical order (Redis gives its slot list's order).
	var keys []string
	c.DB().Keys(func(key string, _ *Entry) bool {
		if KeySlot([]byte(key)) == int(slot) {
			keys = append(keys, key)
		}
		return true
	})
	sort.Strings(keys)
	if int64(len(keys)) > count {
		keys = keys[:count]
	}
	c.W.Array(len(keys))
	for _, k := range keys {
		c.W.BulkString(k)
	}
}

func (s *Server) cmdClusterHelp(c *Ctx, args [][]byte) {
	if !s.clusterOnly(c) {
		return
	}
	writeHelp(c.W, "CLUSTER", []string{
		"COUNTKEYSINSLOT <slot>",
		"    Return the number of keys in <slot>.",
		"GETKEYSINSLOT <slot> <count>",
		"    Return key names stored by current node in a slot.",
		"INFO",
		"    Return information about the cluster.",
		"KEYSLOT <key>",
		"    Return the hash slot for <key>.",
		"MYID",
		"    Return the node id.",
		"NODES",
		"    Return cluster configuration seen by node. Output format:",
		"    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
		"SLOTS",
		"    Return information about slots range mappings. Each range is made of:",
		"    start, end, master and replicas IP addresses, ports and ids",
		"SHARDS",
		"    Return information about slot range mappings and the nodes associated with them.",
	})
}

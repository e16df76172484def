package server

import (
	"fmt"
	"sort"

	"github.com/miniredis-search/miniredis-search/resp"
)

func pubsubCommands(s *Server) commandGroup {
	return commandGroup{
		{"subscribe", s.cmdSubscribe, 0},
		{"unsubscribe", s.cmdUnsubscribe, 0},
		{"psubscribe", s.cmdPSubscribe, 0},
		{"punsubscribe", s.cmdPUnsubscribe, 0},
		{"ssubscribe", s.cmdSSubscribe, 0},
		{"sunsubscribe", s.cmdSUnsubscribe, 0},
		{"publish", s.cmdPublish, 0},
		{"spublish", s.cmdSPublish, 0},
		{"pubsub", nil, 0},
		{"pubsub|channels", s.cmdPubsubChannels, 0},
		{"pubsub|numsub", s.cmdPubsubNumsub, 0},
		{"pubsub|numpat", s.cmdPubsubNumpat, 0},
		{"pubsub|shardchannels", s.cmdPubsubShardChannels, 0},
		{"pubsub|shardnumsub", s.cmdPubsubShardNumsub, 0},
		{"pubsub|help", s.cmdPubsubHelp, 0},
	}
}

func (s *Server) cmdSubscribe(c *Ctx, args [][]byte)  { s.subscribe(c, kindChannel, args[1:]) }
func (s *Server) cmdPSubscribe(c *Ctx, args [][]byte) { s.subscribe(c, kindPattern, args[1:]) }
func (s *Server) cmdSSubscribe(c *Ctx, args [][]byte) { s.subscribe(c, kindShard, args[1:]) }

func (s *Server) cmdUnsubscribe(c *Ctx, args [][]byte) {
	s.unsubscribe(c.Client, c.W, kindChannel, args[1:])
}

func (s *Server) cmdPUnsubscribe(c *Ctx, args [][]byte) {
	s.unsubscribe(c.Client, c.W, kindPattern, args[1:])
}

func (s *Server) cmdSUnsubscribe(c *Ctx, args [][]byte) {
	s.unsubscribe(c.Client, c.W, kindShard, args[1:])
}

func (s *Server) cmdPublish(c *Ctx, args [][]byte) {
	c.W.Int(int64(s.publish(string(args[1]), args[2], false)))
}

// cmdSPublish: in cluster mode the slot check (MOVED, CLUSTERDOWN) ran in
// dispatch, the shard channel being SPUBLISH's key.
func (s *Server) cmdSPublish(c *Ctx, args [][]byte) {
	c.W.Int(int64(s.publish(string(args[1]), args[2], true)))
}

// channelNames lists the names of a table matching the optional pattern
// (Redis lists them in dict order; we sort them).
func channelNames(tab map[string]map[*Client]struct{}, args [][]byte) []string {
	var out []string
	for name := range tab {
		if len(args) == 0 || GlobMatch(string(args[0]), name, false) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func (s *Server) cmdPubsubChannels(c *Ctx, args [][]byte) {
	if len(args) > 3 {
		c.W.Error(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try PUBSUB HELP.", args[1]))
		return
	}
	writeBulkStrings(c.W, channelNames(s.pubsub.subs[kindChannel], args[2:]))
}

func (s *Server) cmdPubsubShardChannels(c *Ctx, args [][]byte) {
	if len(args) > 3 {
		c.W.Error(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try PUBSUB HELP.", args[1]))
		return
	}
	writeBulkStrings(c.W, channelNames(s.pubsub.subs[kindShard], args[2:]))
}

func writeBulkStrings(w *resp.Writer, names []string) {
	w.Array(len(names))
	for _, n := range names {
		w.BulkString(n)
	}
}

// numsub answers PUBSUB NUMSUB / SHARDNUMSUB: a flat array, RESP3 too.
func numsub(w *resp.Writer, tab map[string]map[*Client]struct{}, names [][]byte) {
	w.Array(2 * len(names))
	for _, n := range names {
		w.Bulk(n)
		w.Int(int64(len(tab[string(n)])))
	}
}

func (s *Server) cmdPubsubNumsub(c *Ctx, args [][]byte) {
	numsub(c.W, s.pubsub.subs[kindChannel], args[2:])
}

func (s *Server) cmdPubsubShardNumsub(c *Ctx, args [][]byte) {
	numsub(c.W, s.pubsub.subs[kindShard], args[2:])
}

func (s *Server) cmdPubsubNumpat(c *Ctx, args [][]byte) {
	c.W.Int(int64(len(s.pubsub.subs[kindPattern])))
}

func (s *Server) cmdPubsubHelp(c *Ctx, args [][]byte) {
	writeHelp(c.W, "PUBSUB", []string{
		"CHANNELS [<pattern>]",
		"    Return the currently active channels matching a <pattern> (default: '*').",
		"NUMPAT",
		"    Return number of subscriptions to patterns.",
		"NUMSUB [<channel> ...]",
		"    Return the number of subscribers for the specified channels, excluding",
		"    pattern subscriptions(default: no channels).",
		"SHARDCHANNELS [<pattern>]",
		"    Return the currently active shard level channels matching a <pattern> (default: '*').",
		"SHARDNUMSUB [<shardchannel> ...]",
		"    Return the number of subscribers for the specified shard level channel(s)",
	})
}

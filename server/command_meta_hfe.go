package server

// The COMMAND INFO / COMMAND DOCS facts of the hash field expiration
// commands, which Redis 7.0's redis-server (what gencmdmeta reads) does not
// have: written by hand, in gencmdmeta's format, from Redis 8.2's
// src/commands/{hexpire,hpexpire,hexpireat,hpexpireat,httl,hpttl,
// hexpiretime,hpexpiretime,hpersist,hgetdel,hgetex,hsetex}.json (arity,
// flags, key specs, arguments; the ACL categories as COMMAND INFO derives
// them from the flags).

func init() {
	for name, f := range hashTTLCommandFacts {
		redisCommandFacts[name] = f
	}
}

var hashTTLCommandFacts = map[string]*commandFacts{
	"hexpire": {
		Arity: -6, Flags: []string{"write", "denyoom", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@write", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RW", "update"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Set expiry for hash field using relative time to expire (seconds)", Since: "7.4.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "seconds", Type: "integer"},
					{Name: "condition", Type: "oneof", Flags: []string{"optional"}, Arguments: []ArgDoc{
						{Name: "nx", Type: "pure-token", Token: "NX"},
						{Name: "xx", Type: "pure-token", Token: "XX"},
						{Name: "gt", Type: "pure-token", Token: "GT"},
						{Name: "lt", Type: "pure-token", Token: "LT"},
					}},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hpexpire": {
		Arity: -6, Flags: []string{"write", "denyoom", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@write", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RW", "update"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Set expiry for hash field using relative time to expire (milliseconds)", Since: "7.4.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "milliseconds", Type: "integer"},
					{Name: "condition", Type: "oneof", Flags: []string{"optional"}, Arguments: []ArgDoc{
						{Name: "nx", Type: "pure-token", Token: "NX"},
						{Name: "xx", Type: "pure-token", Token: "XX"},
						{Name: "gt", Type: "pure-token", Token: "GT"},
						{Name: "lt", Type: "pure-token", Token: "LT"},
					}},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hexpireat": {
		Arity: -6, Flags: []string{"write", "denyoom", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@write", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RW", "update"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Set expiry for hash field using an absolute Unix timestamp (seconds)", Since: "7.4.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "unix-time-seconds", Type: "unix-time"},
					{Name: "condition", Type: "oneof", Flags: []string{"optional"}, Arguments: []ArgDoc{
						{Name: "nx", Type: "pure-token", Token: "NX"},
						{Name: "xx", Type: "pure-token", Token: "XX"},
						{Name: "gt", Type: "pure-token", Token: "GT"},
						{Name: "lt", Type: "pure-token", Token: "LT"},
					}},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hpexpireat": {
		Arity: -6, Flags: []string{"write", "denyoom", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@write", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RW", "update"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Set expiry for hash field using an absolute Unix timestamp (milliseconds)", Since: "7.4.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "unix-time-milliseconds", Type: "unix-time"},
					{Name: "condition", Type: "oneof", Flags: []string{"optional"}, Arguments: []ArgDoc{
						{Name: "nx", Type: "pure-token", Token: "NX"},
						{Name: "xx", Type: "pure-token", Token: "XX"},
						{Name: "gt", Type: "pure-token", Token: "GT"},
						{Name: "lt", Type: "pure-token", Token: "LT"},
					}},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"httl": {
		Arity: -5, Flags: []string{"readonly", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@read", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RO", "access"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Returns the TTL in seconds of a hash field.", Since: "7.4.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hpttl": {
		Arity: -5, Flags: []string{"readonly", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@read", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RO", "access"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Returns the TTL in milliseconds of a hash field.", Since: "7.4.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hexpiretime": {
		Arity: -5, Flags: []string{"readonly", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@read", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RO", "access"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Returns the expiration time of a hash field as a Unix timestamp, in seconds.", Since: "7.4.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hpexpiretime": {
		Arity: -5, Flags: []string{"readonly", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@read", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RO", "access"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Returns the expiration time of a hash field as a Unix timestamp, in msec.", Since: "7.4.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hpersist": {
		Arity: -5, Flags: []string{"write", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@write", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RW", "update"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Removes the expiration time for each specified field", Since: "7.4.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hgetdel": {
		Arity: -5, Flags: []string{"write", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@write", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RW", "access", "delete"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Returns the value of a field and deletes it from the hash.", Since: "8.0.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hgetex": {
		Arity: -5, Flags: []string{"write", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@write", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Notes: "RW and UPDATE because it changes the TTL", Flags: []string{"RW", "access", "update"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Get the value of one or more fields of a given hash key, and optionally set their expiration.", Since: "8.0.0", Group: "hash", Complexity: "O(N) where N is the number of specified fields",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "expiration", Type: "oneof", Flags: []string{"optional"}, Arguments: []ArgDoc{
						{Name: "seconds", Type: "integer", Token: "EX"},
						{Name: "milliseconds", Type: "integer", Token: "PX"},
						{Name: "unix-time-seconds", Type: "unix-time", Token: "EXAT"},
						{Name: "unix-time-milliseconds", Type: "unix-time", Token: "PXAT"},
						{Name: "persist", Type: "pure-token", Token: "PERSIST"},
					}},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "field", Type: "string", Flags: []string{"multiple"}},
					}},
				},
			},
		},
	},
	"hsetex": {
		Arity: -6, Flags: []string{"write", "denyoom", "fast"}, FirstKey: 1, LastKey: 1, KeyStep: 1,
		Meta: CommandMeta{
			ACLCategories: []string{"@write", "@hash", "@fast"},
			KeySpecs: []KeySpec{
				{Flags: []string{"RW", "update"},
					BeginSearch: BeginSearch{Type: "index", Index: 1},
					FindKeys:    FindKeys{Type: "range", LastKey: 0, KeyStep: 1, Limit: 0},
				},
			},
			Doc: &CommandDoc{
				Summary: "Set the value of one or more fields of a given hash key, and optionally set their expiration.", Since: "8.0.0", Group: "hash", Complexity: "O(N) where N is the number of fields being set.",
				Arguments: []ArgDoc{
					{Name: "key", Type: "key", KeySpecIndex: 0},
					{Name: "condition", Type: "oneof", Flags: []string{"optional"}, Arguments: []ArgDoc{
						{Name: "fnx", Type: "pure-token", Token: "FNX"},
						{Name: "fxx", Type: "pure-token", Token: "FXX"},
					}},
					{Name: "expiration", Type: "oneof", Flags: []string{"optional"}, Arguments: []ArgDoc{
						{Name: "seconds", Type: "integer", Token: "EX"},
						{Name: "milliseconds", Type: "integer", Token: "PX"},
						{Name: "unix-time-seconds", Type: "unix-time", Token: "EXAT"},
						{Name: "unix-time-milliseconds", Type: "unix-time", Token: "PXAT"},
						{Name: "keepttl", Type: "pure-token", Token: "KEEPTTL"},
					}},
					{Name: "fields", Type: "block", Token: "FIELDS", Arguments: []ArgDoc{
						{Name: "numfields", Type: "integer"},
						{Name: "data", Type: "block", Flags: []string{"multiple"}, Arguments: []ArgDoc{
							{Name: "field", Type: "string"},
							{Name: "value", Type: "string"},
						}},
					}},
				},
			},
		},
	},
}

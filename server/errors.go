package server

// Error replies, worded exactly as Redis 7 words them. Messages built with
// fmt carry their format verbs.
const (
	ErrSyntax            = "ERR syntax error"
	ErrNotInteger        = "ERR value is not an integer or out of range"
	ErrNotFloat          = "ERR value is not a valid float"
	ErrWrongType         = "WRONGTYPE Operation against a key holding the wrong kind of value"
	ErrNoSuchKey         = "ERR no such key"
	ErrNoAuth            = "NOAUTH Authentication required."
	ErrWrongPass         = "WRONGPASS invalid username-password pair or user is disabled."
	ErrAuthNoPassword    = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
	ErrNoProto           = "NOPROTO unsupported protocol version"
	ErrHelloNoAuth       = "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"
	ErrDBIndex           = "ERR DB index is out of range"
	ErrSameObject        = "ERR source and destination objects are the same"
	ErrOverflow          = "ERR increment or decrement would overflow"
	ErrNaNOrInfinity     = "ERR increment would produce NaN or Infinity"
	ErrHashNotInteger    = "ERR hash value is not an integer"
	ErrHashNotFloat      = "ERR hash value is not a float"
	ErrOffsetRange       = "ERR offset is out of range"
	ErrStringTooLong     = "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
	ErrInvalidCursor     = "ERR invalid cursor"
	ErrMultiNested       = "ERR MULTI calls can not be nested"
	ErrExecWithoutMulti  = "ERR EXEC without MULTI"
	ErrDiscardNoMulti    = "ERR DISCARD without MULTI"
	ErrWatchInMulti      = "ERR WATCH inside MULTI is not allowed"
	ErrExecAbort         = "EXECABORT Transaction discarded because of previous errors."
	ErrNotAllowedInMulti = "ERR Command not allowed inside a transaction"
	ErrMaxClients        = "ERR max number of clients reached"
	ErrClientName        = "ERR Client names cannot contain spaces, newlines or special characters."
	ErrNoSuchClient      = "ERR No such client"
	ErrBusyModule        = "BUSY Redis is busy running a module command."
	ErrIntRange          = "ERR value is out of range, value must between -2147483648 and 2147483647"

	// Formats.
	ErrUnknownCommandFmt    = "ERR unknown command '%.128s', with args beginning with: %s"
	ErrUnknownSubcommandFmt = "ERR unknown subcommand '%.128s'. Try %s HELP."
	ErrWrongArgsFmt         = "ERR wrong number of arguments for '%s' command"
	ErrInvalidExpireFmt     = "ERR invalid expire time in '%s' command"
	ErrProtectedCommandFmt  = "ERR %s command not allowed. If the %s option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."
)

// Protocol errors are answered, then the connection is closed.
const (
	ErrProtoInvalidMultibulk = "ERR Protocol error: invalid multibulk length"
	ErrProtoInvalidBulk      = "ERR Protocol error: invalid bulk length"
	ErrProtoUnauthMultibulk  = "ERR Protocol error: unauthenticated multibulk length"
	ErrProtoUnauthBulk       = "ERR Protocol error: unauthenticated bulk length"
	ErrProtoTooBigMbulk      = "ERR Protocol error: too big mbulk count string"
	ErrProtoTooBigBulk       = "ERR Protocol error: too big bulk count string"
	ErrProtoTooBigInline     = "ERR Protocol error: too big inline request"
	ErrProtoUnbalanced       = "ERR Protocol error: unbalanced quotes in request"
	ErrProtoExpectedDollar   = "ERR Protocol error: expected '$', got '%c'"
)

// The reply to a client connecting from outside while protected mode is on.
const errDeniedProtectedMode = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

// Pub/Sub.
const (
	ErrSubscribedContextFmt = "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
)

// Scripting errors (Redis 7.0's texts).
const (
	ErrBusyScript = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	ErrNoScript   = "NOSCRIPT No matching script. Please use EVAL."
	ErrNotBusy    = "NOTBUSY No scripts in execution right now."
	ErrUnkillable = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command."
)

// ErrBusyFunction is the -BUSY of a long FCALL (Redis 7.0's text).
const ErrBusyFunction = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."

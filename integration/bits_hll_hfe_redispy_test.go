package integration

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBitsHLLRedisPy drives bitmaps, BITFIELD (redis-py's builder),
// HyperLogLog and hash field expiration (execute_command: redis-py 4.3
// has no helpers) through redis-py 4.3, pipelines and transactions
// included (py/test_bits_hll_hfe_redispy.py).
func TestBitsHLLRedisPy(t *testing.T) { runModulePytest(t, "py/test_bits_hll_hfe_redispy.py") }

// TestBitsHLLRedisPyAgainstRedis runs the same file against a stock
// redis-server 7.0: the expected values are its replies (the hash field
// expiration tests skip there).
func TestBitsHLLRedisPyAgainstRedis(t *testing.T) {
	py := python(t)
	addr := startRedis(t)
	cmd := exec.Command(py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "py/test_bits_hll_hfe_redispy.py")
	cmd.Env = append(os.Environ(), "MRS_PORT="+addr[strings.LastIndexByte(addr, ':')+1:])
	out, err := cmd.CombinedOutput()
	t.Logf("pytest:\n%s", out)
	if err != nil {
		t.Fatalf("pytest against redis-server failed: %v", err)
	}
}

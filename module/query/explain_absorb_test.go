package query

import "testing"

// TestExplainPhraseOnTheRightAbsorbs pins DIALECT 2's AND: a non-exact,
// unmodified phrase on the right takes the left side in as its last child
// (see andNodesRight). The expected trees are the replies RediSearch 2.10.25
// recorded for FT.EXPLAIN in the seed-3 corpus
// (redisearch-2.10.25-seed3/other.jsonl lines 47, 55 and 57): the rule is
// visible once per AND production (expr expr, text_expr text_expr).
func TestExplainPhraseOnTheRightAbsorbs(t *testing.T) {
	tests := []struct {
		line  int
		query string
		want  string
	}{
		{47, "(@title:(west Lions) | computing | ignoring) (slow (running|@tags:{c\\+\\+}|Protected)) (\"follower for\"|@body:(our|museum)) @body:drug", `INTERSECT {
  UNION {
    slow
    +slow(expanded)
  }
  UNION {
    UNION {
      running
      +run(expanded)
      run(expanded)
    }
    TAG:@tags {
      c++
    }
    UNION {
      protected
      +protect(expanded)
      protect(expanded)
    }
  }
  UNION {
    @title:INTERSECT {
      @title:UNION {
        @title:west
        @title:+west(expanded)
      }
      @title:UNION {
        @title:lions
        @title:+lion(expanded)
        @title:lion(expanded)
      }
    }
    UNION {
      computing
      +comput(expanded)
      comput(expanded)
    }
    UNION {
      ignoring
      +ignor(expanded)
      ignor(expanded)
    }
  }
  UNION {
    EXACT {
      follower
      for
    }
    @body:UNION {
      @body:UNION {
        @body:our
        @body:+our(expanded)
      }
      @body:UNION {
        @body:museum
        @body:+museum(expanded)
      }
    }
  }
  @body:UNION {
    @body:drug
    @body:+drug(expanded)
  }
}
`},
		{55, "season (deserved (solving | nebula | you)) finishes", `INTERSECT {
  UNION {
    deserved
    +deserv(expanded)
    deserv(expanded)
  }
  UNION {
    UNION {
      solving
      +solv(expanded)
      solv(expanded)
    }
    UNION {
      nebula
      +nebula(expanded)
    }
    UNION {
      you
      +you(expanded)
    }
  }
  UNION {
    season
    +season(expanded)
  }
  UNION {
    finishes
    +finish(expanded)
    finish(expanded)
  }
}
`},
		{57, "~push (violin violin)", `INTERSECT {
  UNION {
    violin
    +violin(expanded)
  }
  UNION {
    violin
    +violin(expanded)
  }
  OPTIONAL{
    UNION {
      push
      +push(expanded)
    }
  }
}
`},
	}
	for _, tc := range tests {
		n, err := Parse(tc.query, goldenOptions("idx", []string{"DIALECT", "2"}))
		if err != nil {
			t.Fatalf("other.jsonl:%d Parse(%q): %v", tc.line, tc.query, err)
		}
		if got := Explain(n, ExplainOptions{Schema: goldenSchemas["idx"], Expand: stemExpand}); got != tc.want {
			t.Errorf("other.jsonl:%d Explain(%q) =\n%s\nwant\n%s", tc.line, tc.query, got, tc.want)
		}
	}
}

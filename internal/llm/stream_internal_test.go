package llm

import (
	"strings"
	"testing"
)

// TestDayScannerFindsDaysInPieces: days are found whole however the answer is split, and
// brackets, braces and escaped quotes inside strings do not confuse the scanner.
func TestDayScannerFindsDaysInPieces(t *testing.T) {
	answer := `{"name":"days [x] {y}","rationale":"say \"days\": [ { ] }","days":[` +
		`{"day":1,"label":"Upper {A}","exercises":[{"exercise_id":"a","notes":"\\\"]}"}]},` +
		`{"day":2,"label":"Lower","exercises":[]}],"extra":[{"day":9}]}`
	for _, size := range []int{1, 2, 7, len(answer)} {
		var s dayScanner
		var got []string
		for i := 0; i < len(answer); i += size {
			for _, d := range s.feed(answer[i:min(i+size, len(answer))]) {
				got = append(got, string(d))
			}
		}
		if len(got) != 2 || !strings.HasPrefix(got[0], `{"day":1,"label":"Upper {A}"`) || got[1] != `{"day":2,"label":"Lower","exercises":[]}` {
			t.Errorf("pieces of %d bytes: days %q", size, got)
		}
	}
}

package llmtest

import (
	"math"
	"testing"
)

// TestMixProportions: the drawn behaviours follow the mix, the remainder goes to Default, and
// the same seed gives the same sequence.
func TestMixProportions(t *testing.T) {
	mix := map[Behaviour]float64{RateLimited: 0.3, BadGatewayHTML: 0.1, InvalidJSON: 0.1, Hang: 0.05}
	draw := func(seed uint64) []Behaviour {
		s, err := Listen("127.0.0.1:0", Options{Mix: mix, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		out := make([]Behaviour, 20000)
		for i := range out {
			out[i], _ = s.next(Request{})
		}
		return out
	}
	a, b := draw(7), draw(7)
	counts := map[Behaviour]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d differs with the same seed: %s vs %s", i, a[i], b[i])
		}
		counts[a[i]]++
	}
	want := map[Behaviour]float64{RateLimited: 0.3, BadGatewayHTML: 0.1, InvalidJSON: 0.1, Hang: 0.05, Valid: 0.45}
	for bh, p := range want {
		got := float64(counts[bh]) / float64(len(a))
		if math.Abs(got-p) > 0.015 {
			t.Errorf("%s: drawn %.3f of the time, want %.2f", bh, got, p)
		}
	}
	if _, err := Listen("127.0.0.1:0", Options{Mix: map[Behaviour]float64{Valid: 0.8, Hang: 0.3}}); err == nil {
		t.Error("a mix summing to 1.1 was accepted")
	}
}

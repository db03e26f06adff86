package cache

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"liftplan/internal/science"
)

var keyFormat = regexp.MustCompile(`^program:u[0-9]+:paid(true|false):d[0-9a-f]{64}$`)

// FuzzKey checks the cache key over arbitrary answers: it never panics, always has the
// documented shape, stays short whatever the notes hold, and does not depend on the order (or
// repetition) of multi-select values.
func FuzzKey(f *testing.F) {
	f.Add(int64(7), false, "hypertrophy", "intermediate", 4, 60, "barbell,dumbbells,bench", "knee,shoulder", "chest,back", "likes mornings", "builtin/v1", uint64(1))
	f.Add(int64(1), true, "strength", "beginner", 2, 30, "", "", "", "", "", uint64(2))
	f.Add(int64(999999999999999), true, "", "", -1, 1<<40, " , ,", "\x00", "\xff", strings.Repeat("ü", 500), "llm/gpt-4o-mini/prompt-v1/schema-1", uint64(3))
	f.Add(int64(42), false, "<script>", "'; DROP TABLE users; --", 3, 45, "bench,bench,bench", "knee,knee", "back,chest,back", "  padded  ", "v\n2", uint64(4))
	f.Fuzz(func(t *testing.T, userID int64, paid bool, goal, experience string, days, minutes int,
		equipment, injuries, weak, notes, version string, seed uint64) {
		if userID < 0 {
			userID = -(userID + 1) // ids are positive; keep the fuzzer's bits
		}
		in := science.Input{Goal: goal, Experience: experience, DaysPerWeek: days, SessionMinutes: minutes,
			Equipment: strings.Split(equipment, ","), Injuries: strings.Split(injuries, ","), WeakPoints: strings.Split(weak, ","),
			Notes: notes, HasPaidAccess: paid}
		k := Key(userID, in, version)
		if !keyFormat.MatchString(k) {
			t.Fatalf("key %q does not match program:u{id}:paid{bool}:d{64 hex}", k)
		}
		// 100 bytes holds for every id below 10^15 (bigserial will not get there); the digest is
		// fixed-size, so only the id's digits can make a key longer.
		limit := 100
		if userID >= 1e15 {
			limit = 104
		}
		if len(k) > limit {
			t.Fatalf("key is %d bytes, want at most %d: %q", len(k), limit, k)
		}
		// The same answers with multi-selects shuffled and repeated give the same key.
		rng := rand.New(rand.NewPCG(seed, seed>>1))
		shuffled := in
		shuffled.Equipment, shuffled.Injuries, shuffled.WeakPoints = permute(rng, in.Equipment), permute(rng, in.Injuries), permute(rng, in.WeakPoints)
		if k2 := Key(userID, shuffled, version); k2 != k {
			t.Fatalf("permuted multi-selects changed the key:\n%v\n%v", in, shuffled)
		}
	})
}

// permute returns a shuffled copy of list with some values repeated.
func permute(rng *rand.Rand, list []string) []string {
	out := append([]string{}, list...)
	for _, v := range list {
		if rng.IntN(3) == 0 {
			out = append(out, v)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

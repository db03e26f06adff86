package science

import (
	"encoding/json"
	"sync"
	"testing"
)

var (
	fuzzInputsOnce sync.Once
	fuzzInputs     []Input
)

// fuzzBytes hands out the fuzzer's bytes as small decisions; zero once they run out.
type fuzzBytes []byte

func (b *fuzzBytes) next() int {
	if len(*b) == 0 {
		return 0
	}
	v := (*b)[0]
	*b = (*b)[1:]
	return int(v)
}

// n returns a value in [0, n) (0 when n ≤ 0).
func (b *fuzzBytes) n(n int) int {
	if n <= 0 {
		return 0
	}
	return (b.next()<<8 | b.next()) % n
}

// num returns a signed number that reaches past every limit in both directions.
func (b *fuzzBytes) num() int {
	switch b.n(8) {
	case 0:
		return -b.n(1 << 16)
	case 1:
		return 1 << 40
	case 2:
		return -1 << 40
	default:
		return b.n(64) - 8
	}
}

func (b *fuzzBytes) word(choices []string) string {
	if b.n(6) == 0 {
		return []string{"", "??", "bodyweight", "<script>", "\x00", "\xff"}[b.n(6)]
	}
	return choices[b.n(len(choices))]
}

// mutate damages p as a careless or hostile generator might: numbers out of range, unknown
// names, missing and extra weeks, days and exercises, lies in the bookkeeping.
func mutate(b *fuzzBytes, p *Program, cat []CatalogueExercise) {
	for range b.n(24) {
		if len(p.Weeks) == 0 || b.n(40) == 0 {
			switch b.n(6) {
			case 0:
				p.Weeks = nil
			case 1:
				p.Weeks = append(p.Weeks, Week{Week: b.num(), Phase: b.word([]string{"accumulation", "deload"}), TargetRIR: b.num()})
			case 2:
				p.Mesocycle = Mesocycle{Weeks: b.num(), DeloadWeek: b.num(), Progression: b.word([]string{"linear", "rir_step"})}
			case 3:
				p.Split = ProgramSplit{Type: b.word([]string{"full_body", "ppl", "custom"}), DaysPerWeek: b.num()}
			case 4:
				p.Goal, p.Experience, p.SchemaVersion = b.word(Goals), b.word(Levels), b.word([]string{"1", "2"})
			case 5:
				p.Science.WeakPoints = append(p.Science.WeakPoints, b.word(Muscles))
			}
			continue
		}
		wi := b.n(len(p.Weeks))
		w := &p.Weeks[wi]
		switch b.n(8) {
		case 0:
			p.Weeks = append(p.Weeks[:wi], p.Weeks[wi+1:]...)
			continue
		case 1:
			w.TargetRIR = b.num()
		case 2:
			w.Phase = b.word([]string{"accumulation", "deload"})
		case 3:
			w.Week = b.num()
		case 4:
			w.Days = append(w.Days, Day{Day: b.num(), Label: "extra", EstimatedMinutes: b.num()})
		}
		if len(w.Days) == 0 {
			continue
		}
		di := b.n(len(w.Days))
		d := &w.Days[di]
		if b.n(12) == 0 {
			w.Days = append(w.Days[:di], w.Days[di+1:]...)
			continue
		}
		if len(d.Exercises) == 0 || b.n(10) == 0 {
			c := cat[b.n(len(cat))]
			d.Exercises = append(d.Exercises, ProgramExercise{ExerciseID: c.ID, Name: c.Name, PrimaryMuscles: c.PrimaryMuscles,
				Sets: b.num(), RepMin: b.num(), RepMax: b.num(), TargetRIR: b.num(), RestSeconds: b.num()})
			continue
		}
		xi := b.n(len(d.Exercises))
		x := &d.Exercises[xi]
		switch b.n(13) {
		case 0:
			x.Sets = b.num()
		case 1:
			x.RepMin, x.RepMax = b.num(), b.num()
		case 2:
			x.TargetRIR = b.num()
		case 3:
			x.RestSeconds = b.num()
		case 4:
			c := cat[b.n(len(cat))]
			x.ExerciseID, x.Name = c.ID, c.Name
		case 5:
			x.ExerciseID = b.word([]string{"barbell_bench_press", "made_up_exercise"})
		case 6:
			x.PrimaryMuscles = append(x.PrimaryMuscles, b.word(Muscles))
		case 7:
			x.PrimaryMuscles = nil
		case 8:
			x.Equipment = append(x.Equipment, b.word(EquipmentKinds))
		case 9:
			d.Exercises = append(d.Exercises[:xi], d.Exercises[xi+1:]...)
		case 10:
			d.Exercises = append(d.Exercises, *x) // the same exercise twice
		case 11:
			d.EstimatedMinutes = b.num()
		case 12:
			x.Rationale, x.Notes = "", "<img src=x onerror=alert(1)>"
		}
		if len(p.WeeklyVolume) > 0 && b.n(4) == 0 {
			v := &p.WeeklyVolume[b.n(len(p.WeeklyVolume))]
			v.Sets, v.Week, v.Muscle = b.num(), b.num(), b.word(Muscles)
		}
	}
}

// FuzzValidate damages a generated program from the fuzzer's bytes. Validate and Enhance must
// never panic, Enhance must leave its argument alone, and a program Enhance returns with no
// error left must really pass Validate, also after the JSON round trip the database makes.
func FuzzValidate(f *testing.F) {
	for _, seed := range [][]byte{
		{},
		{0, 1, 0, 5, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0},
		{1, 0, 9, 0, 3, 0, 1, 0, 0, 0, 0, 2, 0, 7},
		{0, 0, 17, 0, 0, 0, 0, 40, 0, 0, 0, 0, 0, 6, 0, 0, 0, 9, 0, 1},
		{3, 200, 0, 23, 255, 255, 0, 1, 0, 4, 0, 0, 0, 0, 0, 5, 0, 1, 0, 2, 0, 4},
		{0, 100, 0, 20, 0, 0, 0, 39, 0, 0, 0, 0, 0, 0, 0, 0},
	} {
		f.Add(seed)
	}
	cat := Catalogue()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzInputsOnce.Do(func() { fuzzInputs = allCombinations() })
		b := fuzzBytes(data)
		in := fuzzInputs[b.n(len(fuzzInputs))]
		a, err := Analyze(in)
		if err != nil {
			t.Fatalf("Analyze(%+v): %v", in, err)
		}
		p := Generate(a)
		mutate(&b, &p, cat)
		before, _ := json.Marshal(p) // every field is in the JSON: any write to p shows

		_ = Validate(a, p)
		fixed, _, remaining := enhance3(a, p)
		if after, _ := json.Marshal(p); string(after) != string(before) {
			t.Fatal("Enhance modified the program it was given")
		}
		if HasErrors(remaining) {
			return // unfixable here: the pipeline asks for a new program
		}
		for _, f := range Validate(a, fixed) {
			if f.Severity == SeverityError {
				t.Fatalf("Enhance reported no remaining error, but Validate finds %s: %s", f.Rule, f.Message)
			}
		}
		raw, err := json.Marshal(fixed)
		if err != nil {
			t.Fatal(err)
		}
		var stored Program
		if err := json.Unmarshal(raw, &stored); err != nil {
			t.Fatal(err)
		}
		for _, f := range Validate(a, stored) {
			if f.Severity == SeverityError {
				t.Fatalf("after the JSON round trip Validate finds %s: %s", f.Rule, f.Message)
			}
		}
	})
}

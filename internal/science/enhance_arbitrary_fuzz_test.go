package science

import (
	"encoding/json"
	"testing"
)

// arbitraryProgram builds a schema-valid program from the fuzzer's bytes,
// unrelated to any generated one: the shape an LLM could return when it
// follows the schema but not the science. Weeks and days are mostly right
// (so the enhancer has something to work with), everything inside is free.
func arbitraryProgram(b *fuzzBytes, a *Analysis, cat []CatalogueExercise) Program {
	p := Program{
		SchemaVersion: SchemaVersion, Name: "fuzz", Goal: a.Input.Goal, Experience: a.Input.Experience,
		Split:     ProgramSplit{Type: b.word(SplitTypes), DaysPerWeek: a.Input.DaysPerWeek},
		Mesocycle: Mesocycle{Weeks: a.Weeks, DeloadWeek: a.DeloadWeek, Progression: b.word(Progressions)},
		Weeks:     make([]Week, a.Weeks), WeeklyVolume: []WeeklyVolume{},
		Science: ProgramScience{LandmarkTable: a.LandmarkTable, WeakPoints: []string{}, Rationale: "fuzz", Warnings: []string{}, Fixes: []string{}},
	}
	for wi := range p.Weeks {
		w := Week{Week: wi + 1, Phase: PhaseAccumulation, TargetRIR: b.n(6), Days: make([]Day, a.Input.DaysPerWeek)}
		if wi == a.Weeks-1 {
			w.Phase = PhaseDeload
		}
		for di := range w.Days {
			d := Day{Day: di + 1, Label: "day", Exercises: []ProgramExercise{}}
			for range b.n(10) {
				c := cat[b.n(len(cat))]
				x := ProgramExercise{
					ExerciseID: c.ID, Name: c.Name, Equipment: c.Equipment, PrimaryMuscles: c.PrimaryMuscles, SecondaryMuscles: c.SecondaryMuscles,
					Sets: b.n(8), RepMin: b.n(40), RepMax: b.n(100), Unit: []string{UnitReps, UnitSeconds}[b.n(2)],
					TargetRIR: b.n(7), RestSeconds: b.n(400), Notes: "", Rationale: []string{"", "why"}[b.n(2)],
				}
				d.Exercises = append(d.Exercises, x)
			}
			w.Days[di] = d
		}
		p.Weeks[wi] = w
	}
	return p
}

// FuzzEnhance feeds Enhance arbitrary schema-valid programs. It must never
// panic or touch its argument, and it must converge: a result it calls OK
// re-validates with zero errors, also after the JSON round trip, and
// enhancing it again changes nothing that matters (still OK).
func FuzzEnhance(f *testing.F) {
	for _, seed := range [][]byte{{}, {0, 9, 1, 3, 0, 0, 4, 5, 6, 7, 8, 9}, {2, 200, 7, 1, 255, 3, 3, 3, 3, 9, 9, 9, 1, 1}} {
		f.Add(seed)
	}
	cat := Catalogue()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzInputsOnce.Do(func() { fuzzInputs = allCombinations() })
		b := fuzzBytes(data)
		in := fuzzInputs[b.n(len(fuzzInputs))]
		a, err := Analyze(in)
		if err != nil {
			t.Fatal(err)
		}
		p := arbitraryProgram(&b, &a, cat)
		before, _ := json.Marshal(p)
		r := Enhance(a, p)
		if after, _ := json.Marshal(p); string(after) != string(before) {
			t.Fatal("Enhance modified the program it was given")
		}
		if !r.OK() {
			return // reported as a failure: the pipeline asks for a new program
		}
		raw, _ := json.Marshal(r.Program)
		var stored Program
		if err := json.Unmarshal(raw, &stored); err != nil {
			t.Fatal(err)
		}
		if HasErrors(Validate(a, stored)) {
			t.Fatalf("Enhance said OK but Validate finds errors: %v", ruleIDs(Validate(a, stored)))
		}
		if again := Enhance(a, stored); !again.OK() {
			t.Fatalf("enhancing an OK program again left errors: %v", ruleIDs(again.Remaining))
		}
	})
}

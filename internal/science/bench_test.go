package science

import "testing"

// benchInputs are typical submissions, from a tight home week to a full gym.
var benchInputs = []Input{
	{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 4, SessionMinutes: 60, Equipment: EquipmentKinds, WeakPoints: []string{"chest"}},
	{Goal: GoalStrength, Experience: LevelAdvanced, DaysPerWeek: 6, SessionMinutes: 90, HasPaidAccess: true, Equipment: []string{"barbell", "bench", "dumbbells", "pullup_bar"}, WeakPoints: []string{"back", "hamstrings"}},
	{Goal: GoalGeneralFitness, Experience: LevelBeginner, DaysPerWeek: 3, SessionMinutes: 45, Injuries: []string{"knee"}},
	{Goal: GoalHypertrophy, Experience: LevelIntermediate, DaysPerWeek: 2, SessionMinutes: 30, Equipment: []string{"dumbbells"}, Injuries: []string{"shoulder", "lower_back"}, WeakPoints: []string{"glutes"}},
}

// BenchmarkAnalyzeGenerateValidate measures the whole built-in path for one
// program; the target is under 2 ms.
func BenchmarkAnalyzeGenerateValidate(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a, err := Analyze(benchInputs[i%len(benchInputs)])
		if err != nil {
			b.Fatal(err)
		}
		p := Generate(a)
		if fs := Validate(a, p); HasErrors(fs) {
			b.Fatal(fs)
		}
		i++
	}
}

// BenchmarkEnhance measures Enhance on a built-in program.
func BenchmarkEnhance(b *testing.B) {
	a, _ := Analyze(benchInputs[0])
	p := Generate(a)
	b.ReportAllocs()
	for b.Loop() {
		enhance3(a, p)
	}
}
